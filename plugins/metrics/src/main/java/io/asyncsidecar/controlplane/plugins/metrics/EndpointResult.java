package io.asyncsidecar.controlplane.plugins.metrics;

import java.util.List;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricFamily;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeStatus;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * What the response says about one endpoint.
 *
 * @param endpoint    the requested endpoint
 * @param status      how the scrape ended
 * @param httpStatus  final HTTP status, 0 when none
 * @param error       what went wrong, or null
 * @param durationMs  scrape wall time
 * @param bytes       body bytes read
 * @param contentType the response content type, or null
 * @param format      the exposition format id when parsed, else null
 * @param familyCount number of families
 * @param sampleCount number of samples
 * @param present     expected families it exposes
 * @param missing     expected families it does not expose
 * @param violations  spec violations Prometheus tolerates, as "line N: reason" (the scrape still counts as up)
 * @param detail      the exposition, kept only when the request asked for detail
 */
record EndpointResult(AggregateRequest.Endpoint endpoint, ScrapeStatus status, int httpStatus, String error,
                      long durationMs, long bytes, String contentType, String format, int familyCount,
                      long sampleCount, List<String> present, List<String> missing, List<String> violations,
                      Exposition detail) {

    JsonObjectBuilder toJson() {
        JsonObjectBuilder o = JsonCodec.objectBuilder()
                .add("name", endpoint.name())
                .add("url", endpoint.url().toString());
        optional(o, "profile", endpoint.profile());
        o.add("status", status.wireName());
        if (httpStatus > 0) {
            o.add("http_status", httpStatus);
        } else {
            o.addNull("http_status");
        }
        optional(o, "error", error);
        o.add("duration_ms", durationMs)
                .add("bytes", bytes);
        optional(o, "content_type", contentType);
        optional(o, "format", format);
        o.add("family_count", familyCount)
                .add("sample_count", sampleCount)
                .add("expected_present", strings(present))
                .add("expected_missing", strings(missing))
                .add("conformance", strings(violations));
        if (detail != null) {
            JsonArrayBuilder families = JsonCodec.arrayBuilder();
            for (MetricFamily f : detail.families()) {
                JsonObjectBuilder fam = JsonCodec.objectBuilder()
                        .add("name", f.canonicalName(detail.format()))
                        .add("exposed_name", f.name())
                        .add("type", f.type().wireName());
                optional(fam, "help", f.help());
                fam.add("unit", f.unit())
                        .add("series", f.series())
                        .add("samples", f.samples())
                        .add("labels", strings(f.labelNames()));
                families.add(fam);
            }
            o.add("families", families);
        }
        return o;
    }

    /**
     * The endpoint in the compact {@code sources} list: {@code {url, ok, length}} or {@code {url, ok: false, error}}.
     */
    JsonObjectBuilder source() {
        JsonObjectBuilder o = JsonCodec.objectBuilder().add("url", endpoint.url().toString());
        if (status == ScrapeStatus.UP) {
            return o.add("ok", true).add("length", bytes);
        }
        return o.add("ok", false).add("error", status.wireName() + ": " + error);
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder a = JsonCodec.arrayBuilder();
        values.forEach(a::add);
        return a;
    }

    private static void optional(JsonObjectBuilder o, String key, String value) {
        if (value == null) {
            o.addNull(key);
        } else {
            o.add(key, value);
        }
    }
}
