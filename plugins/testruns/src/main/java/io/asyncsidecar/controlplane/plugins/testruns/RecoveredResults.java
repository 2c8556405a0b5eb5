package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.List;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The results of a run that ended without its orchestrator (the server was killed or did not stop in time),
 * rebuilt from its event history: the E2E steps it ran and, from its last {@code stats} event, the load phase so
 * far ({@code cumulative} holds the phase's totals in report.json's form). Events are flushed every
 * {@code flush-interval-millis}, so this is what was measured up to that much before the end, and the run's
 * summary and report keep it instead of being empty.
 */
final class RecoveredResults {

    /** Marks a section rebuilt from events: the phase did not end. */
    static final String PARTIAL = "partial";

    private static final Set<String> EVENT_FIELDS = Set.of("seq", "type", "ts");

    private RecoveredResults() {
    }

    /**
     * Rebuilds the sections.
     *
     * @param events the run's events, as {@code events.jsonl} holds them
     * @param args   the run's arguments as shown in its record (concurrency, target rate)
     * @return {@code e2e} and {@code load} sections for what the events show; empty when they show nothing
     */
    static JsonObject from(List<String> events, JsonObject args) {
        JsonArrayBuilder steps = JsonCodec.arrayBuilder();
        int ran = 0;
        int passed = 0;
        JsonArrayBuilder timeline = JsonCodec.arrayBuilder();
        JsonObject lastStats = null;
        for (String line : events) {
            JsonObject event;
            try {
                event = JsonCodec.read(line) instanceof JsonObject o ? o : null;
            } catch (JsonException e) {
                continue; // a line that does not read adds nothing
            }
            if (event == null) {
                continue;
            }
            switch (event.getString("type", "")) {
                case "step" -> {
                    JsonObject step = withoutEventFields(event, Set.of());
                    steps.add(step);
                    ran++;
                    if (step.getBoolean("passed", false)) {
                        passed++;
                    }
                }
                case "stats" -> {
                    if (event.get("cumulative") instanceof JsonObject) {
                        lastStats = event;
                        timeline.add(withoutEventFields(event, Set.of("cumulative")));
                    }
                }
                default -> {
                    // status, log and update events measure nothing
                }
            }
        }
        JsonObjectBuilder out = JsonCodec.objectBuilder();
        if (ran > 0) {
            out.add("e2e", JsonCodec.objectBuilder()
                    .add("total", ran)
                    .add("passed", passed)
                    .add("failed", ran - passed)
                    .add("steps", steps)
                    .add(PARTIAL, true));
        }
        if (lastStats != null) {
            JsonObject cumulative = lastStats.getJsonObject("cumulative");
            JsonObject total = cumulative.getJsonObject("total");
            double rate = args.get("target_rate") instanceof JsonNumber n ? n.doubleValue() : 0;
            out.add("load", JsonCodec.objectBuilder()
                    .add("model", rate > 0 ? "open" : "closed")
                    .add("target_rate", rate)
                    .add("concurrency", args.getInt("concurrency", 0))
                    .add("duration_s", lastStats.getInt("second", 0))
                    .add("total", total)
                    .add("steps", cumulative.getJsonObject("steps"))
                    .add("thresholds", JsonValue.EMPTY_JSON_ARRAY)
                    .add("declared_thresholds", JsonValue.EMPTY_JSON_ARRAY)
                    .add("timeline", timeline)
                    .add(PARTIAL, true));
        }
        return out.build();
    }

    private static JsonObject withoutEventFields(JsonObject event, Set<String> alsoDrop) {
        JsonObjectBuilder b = JsonCodec.objectBuilder();
        event.forEach((k, v) -> {
            if (!EVENT_FIELDS.contains(k) && !alsoDrop.contains(k)) {
                b.add(k, v);
            }
        });
        return b.build();
    }
}
