package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.testruns.TestRunArchive;
import io.asyncsidecar.controlplane.spi.testruns.TestRunReport;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The {@link TestRunArchive} this plugin publishes for the {@code reports} plugin: a tenant's runs from the
 * history, each with its record and, once it has finished, its report files.
 */
final class RunArchive implements TestRunArchive {

    private final RunHistory history;
    private final RunStore store;
    private final System.Logger logger;

    RunArchive(RunHistory history, RunStore store, System.Logger logger) {
        this.history = history;
        this.store = store;
        this.logger = logger;
    }

    @Override
    public Optional<TestRunReport> latestCompleted(String tenantId) {
        return history.runs(tenantId)
                .filter(r -> r.status().isCompleted())
                .max(Comparator.comparing(TestRun::finishedAt).thenComparing(TestRun::order))
                .map(this::toReport);
    }

    @Override
    public Optional<TestRunReport> find(String tenantId, String runId) {
        return history.find(tenantId, runId).map(this::toReport);
    }

    private TestRunReport toReport(TestRun run) {
        JsonObject record = run.toJson();
        JsonObject report = JsonValue.EMPTY_JSON_OBJECT;
        String markdown = "";
        if (run.hasReport()) {
            try (JsonReader r = JsonCodec.reader(new ByteArrayInputStream(
                    Files.readAllBytes(store.reportJson(run.id()))))) {
                report = r.readObject();
                markdown = Files.readString(store.reportMarkdown(run.id()), StandardCharsets.UTF_8);
            } catch (IOException | JsonException e) {
                // deleted by retention in the meantime, or damaged on disk: report the run without its report
                logger.log(System.Logger.Level.WARNING, "cannot read the report of test run " + run.id() + ": "
                        + e.getMessage());
            }
        }
        return new TestRunReport(run.id(), run.tenantId(), run.status().label(), run.status().isFinal(),
                record, report, markdown);
    }
}
