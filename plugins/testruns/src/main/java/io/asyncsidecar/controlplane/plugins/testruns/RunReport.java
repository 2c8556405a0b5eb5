package io.asyncsidecar.controlplane.plugins.testruns;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Builds a run's {@code report.json} (parameters, timings, E2E step results, load statistics with the
 * per-second timeline, an external runner's own report) and renders the same content as {@code report.md},
 * a table per phase.
 */
final class RunReport {

    private RunReport() {
    }

    /**
     * The JSON report.
     *
     * @param record  the run record after it finished
     * @param results the orchestrator's sections
     * @return report.json
     */
    static JsonObject json(JsonObject record, JsonObject results) {
        JsonObjectBuilder run = JsonCodec.objectBuilder();
        for (String k : new String[] {"id", "tenant_id", "created_by", "status", "exit_code", "error",
                "orchestrator"}) {
            if (record.containsKey(k)) {
                run.add(k, record.get(k));
            }
        }
        Instant created = instant(record, "created_at");
        Instant started = instant(record, "started_at");
        Instant finished = instant(record, "finished_at");
        JsonObjectBuilder timings = JsonCodec.objectBuilder()
                .add("created_at", record.get("created_at"))
                .add("started_at", record.getOrDefault("started_at", JsonValue.NULL))
                .add("finished_at", record.getOrDefault("finished_at", JsonValue.NULL));
        if (started != null) {
            timings.add("queued_s", seconds(created, started));
        }
        if (started != null && finished != null) {
            timings.add("duration_s", seconds(started, finished));
        }
        JsonObjectBuilder b = JsonCodec.objectBuilder()
                .add("run", run)
                .add("parameters", record.getJsonObject("args"))
                .add("timings", timings);
        results.forEach(b::add);
        return b.build();
    }

    /**
     * The Markdown rendering of a JSON report.
     *
     * @param report   report.json
     * @param appendix an external runner's own Markdown report, may be empty
     * @return report.md
     */
    static String markdown(JsonObject report, String appendix) {
        StringBuilder md = new StringBuilder();
        JsonObject run = report.getJsonObject("run");
        md.append("# Test run ").append(text(run, "id")).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Status", "**" + text(run, "status") + "**");
        row(md, "Exit code", text(run, "exit_code"));
        if (run.get("error") instanceof JsonString e) {
            row(md, "Error", e.getString());
        }
        row(md, "Tenant", text(run, "tenant_id"));
        row(md, "Created by", text(run, "created_by"));
        row(md, "Orchestrator", text(run, "orchestrator"));
        JsonObject params = report.getJsonObject("parameters");
        for (Map.Entry<String, JsonValue> p : params.entrySet()) {
            if (!p.getKey().equals("orchestrator")) {
                row(md, "`" + p.getKey() + "`", plain(p.getValue()));
            }
        }
        JsonObject t = report.getJsonObject("timings");
        row(md, "Created", text(t, "created_at"));
        row(md, "Started", text(t, "started_at"));
        row(md, "Finished", text(t, "finished_at"));
        if (t.containsKey("duration_s")) {
            row(md, "Duration", text(t, "duration_s") + " s");
        }
        md.append('\n');

        if (report.get("e2e") instanceof JsonObject e2e) {
            md.append("## Phase 1: E2E");
            if (report.get("scenario") instanceof JsonObject s) {
                md.append(" — scenario `").append(text(s, "name")).append("` (").append(text(s, "file")).append(')');
            }
            md.append("\n\n");
            if (e2e.containsKey("total")) {
                md.append(text(e2e, "passed")).append(" of ").append(text(e2e, "total")).append(" steps passed.\n\n");
            }
            md.append("| step | request | status | latency ms | result |\n|---|---|---|---|---|\n");
            for (JsonValue v : e2e.getJsonArray("steps")) {
                JsonObject s = v.asJsonObject();
                md.append("| ").append(cell(text(s, "name"))).append(" | `").append(text(s, "method")).append(' ')
                        .append(cell(text(s, "path"))).append("` | ").append(text(s, "status")).append(" | ")
                        .append(text(s, "latency_ms")).append(" | ")
                        .append(s.getBoolean("passed", false) ? "passed" : "**failed**: "
                                + cell(String.join("; ", s.getJsonArray("failures").getValuesAs(JsonString::getString))))
                        .append(" |\n");
            }
            md.append('\n');
        }
        if (report.get("load") instanceof JsonObject load) {
            md.append("## Phase 2: Load\n\n");
            if (load.containsKey("skipped")) {
                md.append("Skipped: ").append(text(load, "skipped")).append(".\n\n");
            } else {
                loadMarkdown(md, load);
            }
        }
        if (report.get("external") instanceof JsonObject ext) {
            md.append("## External runner `").append(text(ext, "orchestrator")).append("`\n\n");
            md.append("Command: `").append(String.join(" ", ext.getJsonArray("argv")
                    .getValuesAs(JsonString::getString))).append("`\n\n");
            if (ext.containsKey("exit_code")) {
                md.append("Exit code: ").append(text(ext, "exit_code")).append("\n\n");
            }
            if (ext.get("summary") instanceof JsonObject s) {
                md.append("| total | passed | failed | skipped |\n|---|---|---|---|\n| ").append(text(s, "total"))
                        .append(" | ").append(text(s, "passed")).append(" | ").append(text(s, "failed")).append(" | ")
                        .append(text(s, "skipped")).append(" |\n\n");
            }
        }
        if (!appendix.isBlank()) {
            // the runner's headings go below this section's
            md.append("## Runner report\n\n").append(appendix.strip().replaceAll("(?m)^(#{1,4}) ", "##$1 "))
                    .append('\n');
        }
        return md.toString();
    }

    private static void loadMarkdown(StringBuilder md, JsonObject load) {
        JsonObject total = load.getJsonObject("total");
        md.append(text(load, "concurrency")).append(" users, ").append(text(load, "duration_s")).append(" s, ")
                .append(text(load, "model")).append(" model");
        if ("open".equals(text(load, "model"))) {
            md.append(" at ").append(text(load, "target_rate")).append(" requests/s (latency from the intended send"
                    + " time)");
        }
        md.append(".\n\n");
        md.append("| step | requests | errors | error rate | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, JsonValue> s : load.getJsonObject("steps").entrySet()) {
            statsRow(md, s.getKey(), s.getValue().asJsonObject());
        }
        statsRow(md, "**total**", total);
        md.append('\n');
        JsonArray thresholds = load.getJsonArray("thresholds");
        if (!thresholds.isEmpty()) {
            md.append("### Thresholds\n\n| threshold | scope | value | result |\n|---|---|---|---|\n");
            for (JsonValue v : thresholds) {
                JsonObject th = v.asJsonObject();
                md.append("| `").append(text(th, "threshold")).append("` | ").append(text(th, "scope")).append(" | ")
                        .append(text(th, "value")).append(" | ")
                        .append(th.getBoolean("passed") ? "passed" : "**failed**").append(" |\n");
            }
            md.append('\n');
        }
        StringBuilder errors = new StringBuilder();
        for (Map.Entry<String, JsonValue> s : load.getJsonObject("steps").entrySet()) {
            JsonObject st = s.getValue().asJsonObject();
            st.getJsonObject("errors_by_status").forEach((k, v) -> errors.append("| ").append(s.getKey())
                    .append(" | status ").append(k).append(" | ").append(v).append(" |\n"));
            st.getJsonObject("errors_by_exception").forEach((k, v) -> errors.append("| ").append(s.getKey())
                    .append(" | ").append(k).append(" | ").append(v).append(" |\n"));
        }
        if (!errors.isEmpty()) {
            md.append("### Errors\n\n| step | kind | count |\n|---|---|---|\n").append(errors).append('\n');
        }
        md.append("### Timeline\n\n| second | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (JsonValue v : load.getJsonArray("timeline")) {
            JsonObject s = v.asJsonObject();
            md.append("| ").append(text(s, "second")).append(" | ").append(text(s, "requests")).append(" | ")
                    .append(text(s, "errors")).append(" | ").append(text(s, "rps")).append(" | ")
                    .append(text(s, "p50_ms")).append(" | ").append(text(s, "p95_ms")).append(" | ")
                    .append(text(s, "p99_ms")).append(" | ").append(text(s, "max_ms")).append(" |\n");
        }
        md.append('\n');
    }

    private static void statsRow(StringBuilder md, String name, JsonObject s) {
        JsonObject l = s.getJsonObject("latency_ms");
        md.append("| ").append(cell(name)).append(" | ").append(text(s, "requests")).append(" | ")
                .append(text(s, "errors")).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f%%", 100 * s.getJsonNumber("error_rate").doubleValue()))
                .append(" | ").append(text(s, "rps")).append(" | ").append(text(l, "p50")).append(" | ")
                .append(text(l, "p90")).append(" | ").append(text(l, "p95")).append(" | ").append(text(l, "p99"))
                .append(" | ").append(text(l, "max")).append(" |\n");
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n");
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v == null ? "" : plain(v);
    }

    private static String plain(JsonValue v) {
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (v instanceof JsonNumber n) {
            return n.isIntegral() ? String.valueOf(n.longValue()) : n.toString();
        }
        return v.getValueType() == JsonValue.ValueType.NULL ? "—" : v.toString();
    }

    private static Instant instant(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? Instant.parse(s.getString()) : null;
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }
}
