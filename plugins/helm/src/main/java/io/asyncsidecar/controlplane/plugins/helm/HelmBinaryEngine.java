package io.asyncsidecar.controlplane.plugins.helm;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@code helm} executable: the configured path, else {@code helm} found on PATH. The process gets its own
 * Helm home folders under the plugin's data directory (so it never reads or writes the user's Helm config) and
 * is killed, with its children, when it outlives the render timeout.
 */
final class HelmBinaryEngine implements RenderEngine {

    /** Largest rendered output accepted; a chart rendering more is reported rather than parsed. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

    private final String configuredBinary;
    private final Path helmHome;
    private final Duration timeout;

    /**
     * An engine.
     *
     * @param configuredBinary path of the binary, or empty to search PATH
     * @param helmHome         folder for HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME
     * @param timeout          how long a render may run
     */
    HelmBinaryEngine(String configuredBinary, Path helmHome, Duration timeout) {
        this.configuredBinary = configuredBinary == null ? "" : configuredBinary.trim();
        this.helmHome = helmHome;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "helm-binary";
    }

    /**
     * The binary this engine would run.
     *
     * @return the executable, or empty when there is none
     */
    Optional<Path> binary() {
        if (!configuredBinary.isEmpty()) {
            Path p = Path.of(configuredBinary).toAbsolutePath();
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "helm");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @return whether a binary was configured explicitly (its absence is then worth reporting) */
    boolean configured() {
        return !configuredBinary.isEmpty();
    }

    @Override
    public RenderOutcome render(RenderRequest request) {
        Optional<Path> binary = binary();
        if (binary.isEmpty()) {
            return new RenderOutcome.Unavailable(configured()
                    ? "plugins.helm.binary '" + configuredBinary + "' is not an executable file"
                    : "no helm executable on PATH");
        }
        List<String> command = new ArrayList<>(List.of(binary.get().toString(), "template", request.releaseName(),
                request.chartDir().toString(), "--namespace", request.namespace(),
                "--kube-version", request.kubeVersion()));
        for (Path values : request.valuesFiles()) {
            command.add("--values");
            command.add(values.toString());
        }
        request.setValues().forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v);
        });
        ProcessBuilder pb = new ProcessBuilder(command).directory(request.chartDir().toFile());
        Map<String, String> env = pb.environment();
        env.put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
        env.put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
        env.put("HELM_DATA_HOME", helmHome.resolve("data").toString());
        Process process;
        try {
            Files.createDirectories(helmHome);
            process = pb.start();
        } catch (IOException e) {
            return new RenderOutcome.Unavailable("cannot run " + binary.get() + ": " + e.getMessage());
        }
        // Both pipes are drained while the process runs: a chart renders megabytes, more than a pipe buffers.
        CompletableFuture<byte[]> stdout = drain(process.getInputStream());
        CompletableFuture<byte[]> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new RenderOutcome.TimedOut(timeout.toSeconds());
            }
            byte[] out = stdout.get(5, TimeUnit.SECONDS);
            String err = new String(stderr.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                return new RenderOutcome.Failed(HelmMessages.clean(err.isBlank()
                        ? "helm exited with status " + process.exitValue() : err));
            }
            if (out.length > MAX_OUTPUT_BYTES) {
                return new RenderOutcome.Failed("rendered output is over " + MAX_OUTPUT_BYTES + " bytes");
            }
            return new RenderOutcome.Rendered(new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new RenderOutcome.Unavailable("interrupted while helm ran");
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            return new RenderOutcome.Unavailable("cannot read helm's output in time");
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().name("helm-binary-pipe").start(() -> {
            try (in) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                byte[] chunk = new byte[65536];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    // Keep reading past the limit so the process does not block, but stop storing.
                    if (buffer.size() <= MAX_OUTPUT_BYTES) {
                        buffer.write(chunk, 0, n);
                    }
                }
                result.complete(buffer.toByteArray());
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }
}
