package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@link EmbeddedEngineSignalsTest}: renders a chart with the embedded engine (loading
 * Helm's Go runtime into this JVM), says so, and waits to be terminated.
 */
final class RenderThenWait {

    private RenderThenWait() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        try (EmbeddedHelmEngine engine = new EmbeddedHelmEngine(Duration.ofSeconds(60), 1)) {
            RenderOutcome outcome = engine.render(new RenderRequest(Path.of(args[0]), "hypergraph", "default",
                    "1.31.0", List.of(), Map.of()));
            System.out.println("rendered: " + (outcome instanceof RenderOutcome.Rendered));
            System.out.flush();
            Thread.sleep(120_000);
            System.out.println("not terminated");
        }
    }
}
