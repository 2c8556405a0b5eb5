package io.asyncsidecar.controlplane.plugins.testruns;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.PluginSockets;
import io.asyncsidecar.controlplane.spi.testruns.TestRunArchive;

/**
 * The {@code testruns} plugin: orchestrated E2E and load runs with durable history and live streams.
 * Routes under {@code /api/testruns}, the stream at {@code /ws/testruns/{id}/stream}; it publishes a
 * {@link TestRunArchive} for the {@code reports} plugin.
 */
public final class TestRunsPlugin implements Plugin {

    private TestRunService service;

    /** Creates the plugin; {@link #init} does the work. */
    public TestRunsPlugin() {
    }

    @Override
    public String id() {
        return "testruns";
    }

    @Override
    public void init(PluginContext context) {
        TestRunsSettings settings = TestRunsSettings.create(context.config());
        WorkspacePaths.warnIfMissing(context, "plugins.testruns.scenario", settings.scenario());
        service = new TestRunService(settings, context.workspace(), context.dataDirectory(), context::serverBaseUrl,
                context.executor(), context.logger());
        service.start();
        context.services().publish(TestRunArchive.class, service.archive());
    }

    @Override
    public void routes(PluginRoutes routes) {
        new TestRunsApi(service.queue(), service.history()).routes(routes);
    }

    @Override
    public void sockets(PluginSockets sockets) {
        sockets.endpoint("/{id}/stream", TestRunsApi.READ, upgrade -> RunSubscriber.open(service.history(),
                service.executor(), upgrade));
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
