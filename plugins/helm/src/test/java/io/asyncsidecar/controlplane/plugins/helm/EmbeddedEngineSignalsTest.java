package io.asyncsidecar.controlplane.plugins.helm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helm's Go runtime, once loaded by the embedded engine, takes SIGTERM from the JVM; the engine gives it back.
 * Without that, a server that rendered one chart ignores {@code kill -TERM} (measured: still alive minutes later).
 */
class EmbeddedEngineSignalsTest {

    @Test
    void aJvmThatRenderedWithTheEmbeddedEngineStillShutsDownOnSigterm() throws Exception {
        Path chart = TestConfigs.demoWorkspace().resolve("manifests/helm/hypergraph");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RenderThenWait.class.getName(), chart.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("rendered:")) {
                    break;
                }
            }
            assertThat(output).as("child output").contains("rendered: true");
            // Past the Go runtime's late re-installation of its handler.
            Thread.sleep(2500);
            child.toHandle().destroy(); // SIGTERM, keeping our end of the pipe open
            boolean exited = child.waitFor(20, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly();
            }
            assertThat(exited).as("exited on SIGTERM").isTrue();
            while ((line = out.readLine()) != null) {
                output.add(line);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(143);
        assertThat(output).contains("shutdown hook ran").doesNotContain("not terminated");
    }
}
