package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Runs a configured command (e.g. the hypergraph repository's {@code python3 tests/e2e/runner.py}) without a
 * shell, in the workspace, and understands the hypergraph runner protocol:
 * <ul>
 *   <li>arguments from the template with {@code {base_url}}, {@code {load_duration}}, {@code {concurrency}},
 *       {@code {run_dir}} replaced, then the request's optional fields as {@code --kebab-case=value} flags,
 *       except the secrets ({@code auth_token_read}, {@code auth_token_write}), which come in the environment as
 *       {@code AUTH_TOKEN_READ} and {@code AUTH_TOKEN_WRITE};</li>
 *   <li>stdout and stderr lines become {@code log} events (tokens redacted);</li>
 *   <li>the last stdout line may be a JSON summary
 *       {@code {"total","passed","failed","skipped","output_json","output_md"}};</li>
 *   <li>the report is {@code output_json} / {@code output_md} from the summary when they lie in the run or
 *       workspace directory, else {@code report.json} / {@code report.md} in the run directory;</li>
 *   <li>exit code 0 passed, 1 failed (a test failed), anything else error.</li>
 * </ul>
 */
final class ExternalOrchestrator implements Orchestrator {

    private static final long MAX_REPORT_BYTES = 16L * 1024 * 1024;
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final TestRunsSettings.ExternalOrchestratorSettings command;

    ExternalOrchestrator(String name, TestRunsSettings.ExternalOrchestratorSettings command) {
        this.name = name;
        this.command = command;
    }

    @Override
    public RunOutcome execute(RunContext run) throws InterruptedException {
        RunArguments args = run.args();
        Path runDir = run.workDirectory();
        List<String> argv = new ArrayList<>();
        for (String element : command.argv()) {
            argv.add(element.replace("{base_url}", args.baseUrl())
                    .replace("{load_duration}", String.valueOf(args.loadDuration()))
                    .replace("{concurrency}", String.valueOf(args.concurrency()))
                    .replace("{run_dir}", runDir.toString()));
        }
        argv.addAll(args.flags());
        JsonArrayBuilder shownArgv = JsonCodec.arrayBuilder();
        argv.forEach(a -> shownArgv.add(run.redact(a)));
        JsonObjectBuilder section = JsonCodec.objectBuilder()
                .add("orchestrator", name)
                .add("argv", shownArgv);

        ProcessBuilder pb = new ProcessBuilder(argv).directory(run.workspace().toFile());
        // The server's own configuration (its token table, passwords) is none of the runner's business.
        pb.environment().keySet().removeIf(ExternalOrchestrator::serverConfiguration);
        pb.environment().put("PYTHONUNBUFFERED", "1"); // lines as they happen, not at exit
        pb.environment().put("CP_RUN_DIR", runDir.toString());
        // secrets through the environment, never argv: /proc/<pid>/cmdline is readable by every local user
        pb.environment().putAll(args.secretEnvironment());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return RunOutcome.error("cannot start '" + argv.get(0) + "' (orchestrator " + name + "): "
                    + e.getMessage(), wrap(section));
        }
        AtomicReference<String> lastStdout = new AtomicReference<>();
        AtomicReference<String> lastStderr = new AtomicReference<>();
        Thread out = Thread.ofVirtual().name("runner-stdout-" + run.runId())
                .start(() -> pump(process.getInputStream(), "stdout", run, lastStdout));
        Thread err = Thread.ofVirtual().name("runner-stderr-" + run.runId())
                .start(() -> pump(process.getErrorStream(), "stderr", run, lastStderr));
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the runner reads no input
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(args.loadDuration()).plus(command.timeoutGrace())
                .toNanos();
        try {
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (run.cancelled()) {
                    terminate(process);
                    return new RunOutcome(RunStatus.CANCELLED, null, null, wrap(section), "");
                }
                if (System.nanoTime() > deadline) {
                    terminate(process);
                    return RunOutcome.error("runner did not finish within load_duration + "
                            + command.timeoutGrace().toSeconds() + " s and was killed", wrap(section));
                }
            }
        } catch (InterruptedException e) {
            terminate(process);
            throw e;
        }
        out.join(TERMINATE_GRACE.toMillis());
        err.join(TERMINATE_GRACE.toMillis());
        int exit = process.exitValue();
        section.add("exit_code", exit);

        Optional<JsonObject> summary = summary(lastStdout.get());
        summary.ifPresent(s -> section.add("summary", s));
        Path jsonReport = reportPath(summary, "output_json", run, runDir.resolve("report.json"));
        Path mdReport = reportPath(summary, "output_md", run, sibling(jsonReport));
        readJson(jsonReport, run).ifPresent(r -> section.add("report", r));
        String markdown = readText(mdReport, run).orElse("");

        RunStatus status;
        String error = null;
        long failed = summary.map(s -> s.get("failed") instanceof JsonNumber n ? n.longValue() : 0L).orElse(0L);
        if (exit == 0 && failed == 0) {
            status = RunStatus.PASSED;
        } else if (exit == 0 || exit == 1) {
            status = RunStatus.FAILED;
            error = failed > 0 ? failed + " test(s) failed" : "runner reported a failure (exit code 1)";
        } else {
            status = RunStatus.ERROR;
            error = "runner exited with code " + exit
                    + (lastStderr.get() == null ? "" : ": " + run.redact(lastStderr.get()));
        }
        return new RunOutcome(status, exit, error, wrap(section), markdown);
    }

    private static JsonObject wrap(JsonObjectBuilder section) {
        return JsonCodec.objectBuilder().add("external", section).build();
    }

    private static void pump(InputStream stream, String name, RunContext run, AtomicReference<String> last) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                run.log(name, line);
                if (!line.isBlank()) {
                    last.set(line);
                }
            }
        } catch (IOException e) {
            run.log("runner", name + " closed: " + e.getMessage());
        }
    }

    private static Optional<JsonObject> summary(String line) {
        if (line == null || !line.trim().startsWith("{")) {
            return Optional.empty();
        }
        try {
            return JsonCodec.read(line) instanceof JsonObject o ? Optional.of(o) : Optional.empty();
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    /** A report path named by the summary, accepted only inside the run directory or the workspace. */
    private static Path reportPath(Optional<JsonObject> summary, String key, RunContext run, Path fallback) {
        if (summary.isPresent() && summary.get().get(key) instanceof JsonString s && !s.getString().isBlank()) {
            Path p = run.workspace().resolve(s.getString()).toAbsolutePath().normalize();
            if (p.startsWith(run.workDirectory()) || p.startsWith(run.workspace())) {
                return p;
            }
            run.log("runner", "ignored " + key + " outside the run directory and workspace");
        }
        return fallback;
    }

    private static Path sibling(Path json) {
        String file = json.getFileName().toString();
        String md = file.endsWith(".json") ? file.substring(0, file.length() - 5) + ".md" : file + ".md";
        return json.resolveSibling(md);
    }

    private static Optional<String> readText(Path file, RunContext run) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_REPORT_BYTES) {
                return Optional.empty();
            }
            return Optional.of(run.redact(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            run.log("runner", "cannot read " + file.getFileName() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<JsonValue> readJson(Path file, RunContext run) {
        return readText(file, run).map(text -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try (JsonReader reader = JsonCodec.reader(new ByteArrayInputStream(bytes))) {
                return reader.readValue();
            } catch (JsonException e) {
                run.log("runner", file.getFileName() + " is not valid JSON; kept as text");
                return JsonCodec.value(text);
            }
        });
    }

    /** Stops the runner and its children: politely first, then by force. */
    private static void terminate(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(TERMINATE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether an environment variable configures the server: {@code AUTH_*, CP_*, PLUGINS_*, SERVER_*}. */
    private static boolean serverConfiguration(String name) {
        return name.startsWith("AUTH_") || name.startsWith("CP_") || name.startsWith("PLUGINS_")
                || name.startsWith("SERVER_");
    }
}
