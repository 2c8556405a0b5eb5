package io.asyncsidecar.controlplane.plugins.metrics.probe;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.FetchOutcome;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeClient;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeStatus;
import io.asyncsidecar.controlplane.spi.metrics.MetricNames;
import io.asyncsidecar.controlplane.spi.metrics.QueryResult;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A client of the parts of the Prometheus HTTP API that a dry-run of an autoscaler needs:
 * {@code GET /api/v1/query} (an instant query, as KEDA's prometheus scaler sends it) and
 * {@code GET /api/v1/label/__name__/values}. Every request goes through {@link ScrapeClient#fetch}: the request
 * forgery guard checks the Prometheus URL and each redirect, one deadline bounds the whole request and the size
 * limit the answer. Failures never throw; they come back as the result's error.
 */
public final class PrometheusApiClient {

    private static final String ACCEPT = "application/json";

    private final ScrapeClient client;
    private final Duration timeout;

    /**
     * A client.
     *
     * @param client  the guarded HTTP client of the metrics plugin
     * @param timeout the budget of one API request
     */
    public PrometheusApiClient(ScrapeClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Runs an instant query.
     *
     * @param prometheus the Prometheus base URL
     * @param query      the PromQL expression
     * @return the samples, or why there are none
     */
    public QueryResult instantQuery(URI prometheus, String query) {
        Objects.requireNonNull(query, "query");
        Answer answer = get(prometheus, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        if (answer.error != null) {
            return new QueryResult(Optional.of(answer.error), "", List.of());
        }
        try {
            JsonObject data = answer.data.asJsonObject();
            String type = data.getString("resultType", "");
            JsonValue result = data.get("result");
            List<QueryResult.Sample> samples = switch (type) {
                case "vector" -> vector(result.asJsonArray(), "value");
                case "matrix" -> vector(result.asJsonArray(), "values");
                case "scalar" -> List.of(new QueryResult.Sample(Map.of(), number(result.asJsonArray().get(1))));
                case "string" -> List.of();
                default -> throw new IllegalArgumentException("unknown resultType '" + type + "'");
            };
            return new QueryResult(Optional.empty(), type, samples);
        } catch (RuntimeException e) {
            return new QueryResult(Optional.of(answer.where + ": not a Prometheus query result (" + e.getMessage()
                    + ")"), "", List.of());
        }
    }

    /**
     * Every metric name the Prometheus knows.
     *
     * @param prometheus the Prometheus base URL
     * @return the names, or why they could not be read
     */
    public MetricNames metricNames(URI prometheus) {
        Answer answer = get(prometheus, "/api/v1/label/__name__/values");
        if (answer.error != null) {
            return new MetricNames(Optional.of(answer.error), List.of());
        }
        try {
            List<String> names = new ArrayList<>();
            for (JsonValue v : answer.data.asJsonArray()) {
                names.add(((JsonString) v).getString());
            }
            return new MetricNames(Optional.empty(), names);
        } catch (RuntimeException e) {
            return new MetricNames(Optional.of(answer.where + ": not a list of label values (" + e.getMessage()
                    + ")"), List.of());
        }
    }

    /** One series per element; a matrix element's value is its last point. */
    private static List<QueryResult.Sample> vector(JsonArray result, String valueKey) {
        List<QueryResult.Sample> samples = new ArrayList<>(result.size());
        for (JsonValue element : result) {
            JsonObject series = element.asJsonObject();
            Map<String, String> labels = new LinkedHashMap<>();
            series.getJsonObject("metric").forEach((k, v) -> labels.put(k, ((JsonString) v).getString()));
            JsonArray point = series.getJsonArray(valueKey);
            if (valueKey.equals("values")) {
                point = point.isEmpty() ? null : point.getJsonArray(point.size() - 1);
            }
            samples.add(new QueryResult.Sample(labels, point == null ? Double.NaN : number(point.get(1))));
        }
        return samples;
    }

    /** Prometheus sends sample values as strings, with Go's spellings of the special values. */
    private static double number(JsonValue value) {
        String s = ((JsonString) value).getString();
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** A successful answer's {@code data}, or why there is none. */
    private record Answer(String where, JsonValue data, String error) {
    }

    private Answer get(URI prometheus, String pathAndQuery) {
        URI url;
        try {
            url = endpoint(prometheus, pathAndQuery);
        } catch (IllegalArgumentException e) {
            return new Answer(String.valueOf(prometheus), null, e.getMessage());
        }
        String where = "GET " + url.getRawPath();
        FetchOutcome fetched = client.fetch(url, timeout, ACCEPT);
        if (!fetched.up()) {
            String prefix = fetched.status() == ScrapeStatus.REFUSED
                    ? "refused by the metrics plugin's target rules (plugins.metrics.ssrf): "
                    : fetched.status().wireName() + ": ";
            return new Answer(where, null, prefix + fetched.error());
        }
        JsonObject body;
        try (JsonReader reader = JsonCodec.reader(new ByteArrayInputStream(fetched.body()))) {
            body = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return new Answer(where, null, where + " answered HTTP " + fetched.httpStatus() + " with "
                    + (fetched.contentType() == null ? "no content type" : fetched.contentType())
                    + ", not a Prometheus API answer");
        }
        if (!"success".equals(body.getString("status", ""))) {
            return new Answer(where, null, "Prometheus answered HTTP " + fetched.httpStatus() + " "
                    + body.getString("errorType", "error") + ": " + body.getString("error", "(no message)"));
        }
        JsonValue data = body.get("data");
        if (data == null) {
            return new Answer(where, null, where + " answered success without data");
        }
        return new Answer(where, data, null);
    }

    /** The base URL with an API path appended to its own path, as KEDA appends to serverAddress. */
    static URI endpoint(URI prometheus, String pathAndQuery) {
        Objects.requireNonNull(prometheus, "prometheus");
        if (prometheus.getRawQuery() != null || prometheus.getRawFragment() != null || !prometheus.isAbsolute()) {
            throw new IllegalArgumentException("the Prometheus URL '" + prometheus
                    + "' must be an absolute http(s) URL without a query or fragment");
        }
        String base = prometheus.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            return new URI(base + pathAndQuery);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the Prometheus URL '" + prometheus + "' does not take an API path: "
                    + e.getMessage());
        }
    }
}
