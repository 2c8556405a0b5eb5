package io.asyncsidecar.controlplane.plugins.keda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;

/**
 * Stands in for the helm plugin in tests: with {@code plugins.helm-stub.publish: true} it publishes
 * {@link RenderedManifests} holding rendered/hypergraph.yaml as the hypergraph chart rendered by helm-java, so
 * tests can tell the published objects from the raw templates. Publishes nothing otherwise.
 */
public final class HelmStubPlugin implements Plugin {

    /** Creates the stub. */
    public HelmStubPlugin() {
    }

    @Override
    public String id() {
        return "helm-stub";
    }

    @Override
    public void init(PluginContext context) throws IOException {
        if (!context.config().get("publish").asBoolean().orElse(false)) {
            return;
        }
        String text;
        try (InputStream in = HelmStubPlugin.class.getResourceAsStream("/rendered/hypergraph.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        RenderedChart chart = new RenderedChart("manifests/helm/hypergraph", "helm-java", false,
                SafeYaml.create().parse(text, "manifests/helm/hypergraph/templates/keda-scalers.yaml", 1).documents(),
                List.of());
        context.services().publish(RenderedManifests.class, () -> chart);
    }

    @Override
    public void routes(PluginRoutes routes) {
    }
}
