package io.asyncsidecar.controlplane.plugins.metrics;

import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import io.asyncsidecar.controlplane.plugins.metrics.probe.GuardedMetricsProbe;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeClient;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.TargetGuard;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.metrics.MetricsProbe;

/**
 * The {@code metrics} plugin: checks that services expose the Prometheus/OpenMetrics families they should.
 * {@code POST /api/metrics/aggregate} scrapes endpoints concurrently behind a request forgery guard and
 * reports per endpoint and in summary; {@code GET /api/metrics/profiles} lists what each kind of service must
 * expose. Configured under {@code plugins.metrics} ({@link MetricsSettings}). It publishes a {@link MetricsProbe}
 * (its scraper, parser and a Prometheus API client behind the same guard) for other plugins.
 */
public final class MetricsPlugin implements Plugin {

    private MetricsApi api;

    /** Creates the plugin; {@link #init} configures it. */
    public MetricsPlugin() {
    }

    @Override
    public String id() {
        return "metrics";
    }

    @Override
    public void init(PluginContext context) throws NoSuchAlgorithmException {
        MetricsSettings settings = MetricsSettings.from(context.config());
        TargetGuard guard = TargetGuard.of(settings.allow(), settings.deny(), TargetGuard.systemResolver());
        ScrapeClient client = new ScrapeClient(guard, settings.connectTimeout(), settings.maxBytes(),
                settings.maxRedirects(), SSLContext.getDefault());
        api = new MetricsApi(settings, client, context.executor());
        // The keda plugin's trigger dry-run scrapes and asks Prometheus through this, under the same rules.
        context.services().publish(MetricsProbe.class, new GuardedMetricsProbe(client, settings.timeout(),
                settings.maxBytes(), settings.maxLineBytes()));
        context.logger().log(System.Logger.Level.INFO, "metrics: " + settings.profiles().size() + " profiles, at most "
                + settings.maxEndpoints() + " endpoints per request, allow list " + settings.allow());
    }

    @Override
    public void routes(PluginRoutes routes) {
        api.routes(routes);
    }
}
