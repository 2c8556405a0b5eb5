package io.asyncsidecar.controlplane.plugins.testruns;

import java.time.Instant;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * One test run: its fixed identity and arguments, and its changing state. State changes go through
 * {@link RunQueue} (and {@link RunHistory} at start-up), and {@link RunRecorder} persists them; readers get
 * consistent snapshots from {@link #toJson()}.
 */
final class TestRun {

    private final String id;
    private final String tenantId;
    private final String createdBy;
    private final Instant createdAt;
    private final long order;
    private final JsonObject shownArgs;
    /** The arguments with secrets; null for runs reloaded from disk that will not execute (again). */
    private final RunArguments args;

    private RunStatus status;
    private Integer exitCode;
    private String error;
    private Instant startedAt;
    private Instant finishedAt;
    private boolean hasReport;
    private JsonObject summary = JsonValue.EMPTY_JSON_OBJECT;
    private boolean finishing;
    private volatile boolean cancelRequested;
    private RunEventLog liveLog;
    private Thread worker;

    TestRun(String id, String tenantId, String createdBy, Instant createdAt, long order, RunArguments args,
            JsonObject shownArgs) {
        this.id = id;
        this.tenantId = tenantId;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.order = order;
        this.args = args;
        this.shownArgs = shownArgs;
        this.status = RunStatus.QUEUED;
    }

    /**
     * A run read back from its record.json.
     *
     * @param json  the record
     * @param order tie-breaker for runs created in the same millisecond
     * @return the run (without executable arguments)
     */
    static TestRun fromJson(JsonObject json, long order) {
        return fromJson(json, order, null);
    }

    /**
     * A run read back from its record.json that can execute: a run still queued when the server stopped.
     *
     * @param json  the record
     * @param order tie-breaker for runs created in the same millisecond
     * @param args  its arguments with secrets, from its stored request; null when it will not execute
     * @return the run
     */
    static TestRun fromJson(JsonObject json, long order, RunArguments args) {
        TestRun run = new TestRun(json.getString("id"), json.getString("tenant_id"),
                json.getString("created_by", ""), Instant.parse(json.getString("created_at")), order, args,
                json.getJsonObject("args"));
        run.status = RunStatus.fromLabel(json.getString("status"));
        run.exitCode = json.get("exit_code") instanceof JsonNumber n ? n.intValue() : null;
        run.error = json.get("error") instanceof JsonString s ? s.getString() : null;
        run.startedAt = json.get("started_at") instanceof JsonString s ? Instant.parse(s.getString()) : null;
        run.finishedAt = json.get("finished_at") instanceof JsonString s ? Instant.parse(s.getString()) : null;
        run.hasReport = json.get("output_json") instanceof JsonString;
        run.summary = json.get("summary") instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
        return run;
    }

    String id() {
        return id;
    }

    String tenantId() {
        return tenantId;
    }

    Instant createdAt() {
        return createdAt;
    }

    long order() {
        return order;
    }

    RunArguments args() {
        return args;
    }

    synchronized RunStatus status() {
        return status;
    }

    synchronized boolean hasReport() {
        return hasReport;
    }

    synchronized RunEventLog liveLog() {
        return liveLog;
    }

    synchronized void liveLog(RunEventLog log) {
        this.liveLog = log;
    }

    synchronized Thread worker() {
        return worker;
    }

    synchronized void worker(Thread t) {
        this.worker = t;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    synchronized void started(Instant at) {
        status = RunStatus.RUNNING;
        startedAt = at;
    }

    /**
     * Claims the right to finish the run, once.
     *
     * @return false when the run is final or another thread is finishing it
     */
    synchronized boolean claimFinish() {
        if (finishing || status.isFinal()) {
            return false;
        }
        finishing = true;
        return true;
    }

    synchronized void finished(RunStatus outcome, Integer exit, String message, Instant at, JsonObject runSummary,
                               boolean report) {
        status = outcome;
        exitCode = exit;
        error = message;
        finishedAt = at;
        summary = runSummary;
        hasReport = report;
    }

    synchronized Instant startedAt() {
        return startedAt;
    }

    synchronized Instant finishedAt() {
        return finishedAt;
    }

    /**
     * The run record: the seed's fields ({@code id, created_at, created_by, tenant_id, args, status, exit_code,
     * output_json, output_md, error}) and more.
     *
     * @return a snapshot
     */
    synchronized JsonObject toJson() {
        return toJson(status, exitCode, error, finishedAt, summary, hasReport);
    }

    /**
     * The record as it will be once finished, for the reports written before the run is shown as finished.
     *
     * @param outcome    the final status
     * @param exit       the exit code
     * @param message    the error
     * @param at         the finish time
     * @param runSummary the summary
     * @return the record
     */
    synchronized JsonObject finalJson(RunStatus outcome, Integer exit, String message, Instant at,
                                      JsonObject runSummary) {
        return toJson(outcome, exit, message, at, runSummary, true);
    }

    private JsonObject toJson(RunStatus shownStatus, Integer exit, String message, Instant finished,
                              JsonObject runSummary, boolean report) {
        JsonObjectBuilder b = JsonCodec.objectBuilder()
                .add("id", id)
                .add("created_at", createdAt.toString())
                .add("created_by", createdBy)
                .add("tenant_id", tenantId)
                .add("args", shownArgs)
                .add("status", shownStatus.label());
        nullable(b, "exit_code", exit == null ? null : JsonCodec.value(exit));
        nullable(b, "output_json", report ? JsonCodec.value(link("report.json")) : null);
        nullable(b, "output_md", report ? JsonCodec.value(link("report.md")) : null);
        nullable(b, "error", message == null ? null : JsonCodec.value(message));
        nullable(b, "started_at", startedAt == null ? null : JsonCodec.value(startedAt.toString()));
        nullable(b, "finished_at", finished == null ? null : JsonCodec.value(finished.toString()));
        return b.add("orchestrator", shownArgs.getString("orchestrator", TestRunsSettings.BUILTIN))
                .add("summary", runSummary)
                .add("links", JsonCodec.objectBuilder()
                        .add("self", "/api/testruns/" + id)
                        .add("stream", "/ws/testruns/" + id + "/stream")
                        .add("report_json", link("report.json"))
                        .add("report_md", link("report.md")))
                .build();
    }

    /**
     * The seed's {@code testrun.update} message fields.
     *
     * @return id, status, exit_code, error, ts
     */
    synchronized JsonObject updateMessage() {
        JsonObjectBuilder b = JsonCodec.objectBuilder().add("id", id).add("status", status.label());
        nullable(b, "exit_code", exitCode == null ? null : JsonCodec.value(exitCode));
        nullable(b, "error", error == null ? null : JsonCodec.value(error));
        return b.add("ts", RunEventLog.epochSeconds(Instant.now())).build();
    }

    private String link(String file) {
        return "/api/testruns/" + id + "/" + file;
    }

    private static void nullable(JsonObjectBuilder b, String key, JsonValue v) {
        b.add(key, v == null ? JsonValue.NULL : v);
    }
}
