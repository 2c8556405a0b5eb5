package io.asyncsidecar.controlplane.plugins.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricFamily;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricType;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeOutcome;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeStatus;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Collects the scrapes of one aggregate request as they finish and renders the response. Each finished scrape
 * is folded in at once and its exposition dropped (unless {@code detail} asks for it), so memory holds
 * per-family tallies, not bodies or parse trees of a thousand endpoints.
 *
 * <p>Family names are compared as PromQL sees them ({@link MetricFamily#canonicalName}); an expected name
 * also matches a counter exposed with or without its {@code _total} suffix.
 */
final class Aggregation {

    /** Longest list of endpoint names printed per expected family. */
    private static final int NAMES_SHOWN = 20;

    private final AggregateRequest request;
    private final MetricsSettings settings;
    private final EndpointResult[] results;
    private final Map<String, String> strings = new ConcurrentHashMap<>();
    // guarded by this
    private final Map<String, FamilyTally> families = new HashMap<>(1024);

    Aggregation(AggregateRequest request, MetricsSettings settings) {
        this.request = request;
        this.settings = settings;
        this.results = new EndpointResult[request.endpoints().size()];
    }

    /**
     * Shares one string per family or label name among the endpoints of this request; only worth it when the
     * expositions are kept ({@code detail}), otherwise each is dropped as soon as it is folded in.
     */
    UnaryOperator<String> interner() {
        if (!request.detail()) {
            return UnaryOperator.identity();
        }
        return s -> {
            String prior = strings.putIfAbsent(s, s);
            return prior == null ? s : prior;
        };
    }

    /**
     * Folds in a finished scrape; the first outcome for an endpoint wins.
     *
     * @param index   the endpoint's index in the request
     * @param outcome the outcome
     */
    void accept(int index, ScrapeOutcome outcome) {
        AggregateRequest.Endpoint endpoint = request.endpoints().get(index);
        Exposition exposition = outcome.exposition();
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>(endpoint.expected());
        List<MetricFamily> exposed = exposition == null ? List.of() : exposition.families();
        String[] names = new String[exposed.size()];
        if (exposition != null) {
            Map<String, MetricType> types = new HashMap<>(exposed.size() * 2);
            for (int i = 0; i < names.length; i++) {
                MetricFamily f = exposed.get(i);
                names[i] = f.canonicalName(exposition.format());
                types.put(names[i], f.type());
            }
            missing.clear();
            for (String e : endpoint.expected()) {
                (exposes(types, e) ? present : missing).add(e);
            }
        }
        EndpointResult result = new EndpointResult(endpoint, outcome.status(), outcome.httpStatus(), outcome.error(),
                outcome.durationMs(), outcome.bytes(), outcome.contentType(),
                exposition == null ? null : exposition.format().id(), exposed.size(),
                exposition == null ? 0 : exposition.samples(), present, missing,
                exposition == null ? List.of() : exposition.violations().stream().map(Throwable::getMessage).toList(),
                request.detail() && exposition != null ? exposition : null);
        synchronized (this) {
            if (results[index] != null) {
                return;
            }
            results[index] = result;
            for (int i = 0; i < names.length; i++) {
                families.computeIfAbsent(names[i], n -> new FamilyTally()).add(exposed.get(i), endpoint.name());
            }
        }
    }

    synchronized boolean has(int index) {
        return results[index] != null;
    }

    /**
     * Whether an endpoint exposes an expected family: by name, or for counters with or without {@code _total}.
     */
    static boolean exposes(Map<String, MetricType> exposed, String expected) {
        if (exposed.containsKey(expected)) {
            return true;
        }
        if (expected.endsWith("_total")) {
            String bare = expected.substring(0, expected.length() - "_total".length());
            if (exposed.get(bare) == MetricType.COUNTER) {
                return true;
            }
        }
        return exposed.get(expected + "_total") == MetricType.COUNTER;
    }

    /** Renders the response; call after every endpoint was accepted. */
    synchronized JsonObject toJson() {
        JsonArrayBuilder endpoints = JsonCodec.arrayBuilder();
        JsonArrayBuilder sources = JsonCodec.arrayBuilder();
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (ScrapeStatus s : ScrapeStatus.values()) {
            byStatus.put(s.wireName(), 0);
        }
        int up = 0;
        for (EndpointResult r : results) {
            endpoints.add(r.toJson());
            sources.add(r.source());
            byStatus.merge(r.status().wireName(), 1, Integer::sum);
            if (r.status() == ScrapeStatus.UP) {
                up++;
            }
        }
        JsonObjectBuilder statuses = JsonCodec.objectBuilder();
        byStatus.forEach(statuses::add);
        JsonObjectBuilder summary = JsonCodec.objectBuilder()
                .add("conformance", request.strict() ? "strict" : "lenient")
                .add("endpoints", results.length)
                .add("up", up)
                .add("down", results.length - up)
                .add("by_status", statuses)
                .add("expected", expected())
                .add("families", presence(up))
                .add("cardinality", cardinality())
                .add("lint", lint());
        JsonObjectBuilder parsed = JsonCodec.objectBuilder();
        new TreeMap<>(families).forEach((name, t) -> parsed.add(name, t.samples));
        return JsonCodec.objectBuilder()
                .add("endpoints", endpoints)
                .add("summary", summary)
                .add("sources", sources)
                .add("parsed", parsed)
                .build();
    }

    private JsonArrayBuilder expected() {
        Map<String, List<EndpointResult>> expecting = new LinkedHashMap<>();
        for (EndpointResult r : results) {
            for (String e : r.endpoint().expected()) {
                expecting.computeIfAbsent(e, k -> new ArrayList<>()).add(r);
            }
        }
        JsonArrayBuilder out = JsonCodec.arrayBuilder();
        expecting.forEach((family, rs) -> {
            List<String> missingOn = new ArrayList<>();
            int presentOn = 0;
            for (EndpointResult r : rs) {
                if (r.present().contains(family)) {
                    presentOn++;
                } else {
                    missingOn.add(r.endpoint().name());
                }
            }
            JsonArrayBuilder names = JsonCodec.arrayBuilder();
            missingOn.stream().limit(NAMES_SHOWN).forEach(names::add);
            out.add(JsonCodec.objectBuilder()
                    .add("family", family)
                    .add("present_on", presentOn)
                    .add("of", rs.size())
                    .add("text", "present on " + presentOn + " of " + rs.size())
                    .add("missing_on", names)
                    .add("missing_on_count", missingOn.size()));
        });
        return out;
    }

    private JsonObjectBuilder presence(int up) {
        JsonArrayBuilder onAll = JsonCodec.arrayBuilder();
        List<Map.Entry<String, FamilyTally>> some = new ArrayList<>();
        new TreeMap<>(families).forEach((name, t) -> {
            if (t.endpoints == up) {
                onAll.add(name);
            } else {
                some.add(Map.entry(name, t));
            }
        });
        some.sort(Comparator.comparing((Map.Entry<String, FamilyTally> e) -> -e.getValue().endpoints)
                .thenComparing(Map.Entry::getKey));
        JsonArrayBuilder onSome = JsonCodec.arrayBuilder();
        some.forEach(e -> onSome.add(JsonCodec.objectBuilder()
                .add("family", e.getKey()).add("present_on", e.getValue().endpoints)));
        Set<String> expected = new LinkedHashSet<>();
        for (EndpointResult r : results) {
            expected.addAll(r.endpoint().expected());
        }
        Set<String> seen = new HashSet<>();
        for (EndpointResult r : results) {
            seen.addAll(r.present());
        }
        JsonArrayBuilder onNone = JsonCodec.arrayBuilder();
        expected.stream().filter(e -> !seen.contains(e)).forEach(onNone::add);
        return JsonCodec.objectBuilder()
                .add("scraped_endpoints", up)
                .add("on_all", onAll)
                .add("on_some", onSome)
                .add("on_none", onNone);
    }

    private JsonObjectBuilder cardinality() {
        List<Map.Entry<String, FamilyTally>> bySeries = new ArrayList<>(families.entrySet());
        bySeries.sort(Comparator.comparing((Map.Entry<String, FamilyTally> e) -> -e.getValue().maxSeries)
                .thenComparing(Map.Entry::getKey));
        JsonArrayBuilder top = JsonCodec.arrayBuilder();
        JsonArrayBuilder warnings = JsonCodec.arrayBuilder();
        int threshold = settings.cardinalityWarnSeries();
        for (int i = 0; i < bySeries.size(); i++) {
            Map.Entry<String, FamilyTally> e = bySeries.get(i);
            FamilyTally t = e.getValue();
            if (i < settings.cardinalityTop()) {
                top.add(JsonCodec.objectBuilder()
                        .add("family", e.getKey())
                        .add("series", t.maxSeries)
                        .add("endpoint", t.maxSeriesEndpoint)
                        .add("total_series", t.totalSeries));
            }
            if (t.maxSeries > threshold) {
                warnings.add(e.getKey() + " has " + t.maxSeries + " series on " + t.maxSeriesEndpoint
                        + " (warning threshold " + threshold + ")");
            }
        }
        return JsonCodec.objectBuilder()
                .add("warn_series", threshold)
                .add("top", top)
                .add("warnings", warnings);
    }

    /** Lint runs once per distinct shape of a family (type, HELP present, label names), not per endpoint. */
    private JsonArrayBuilder lint() {
        JsonArrayBuilder out = JsonCodec.arrayBuilder();
        new TreeMap<>(families).forEach((name, tally) -> {
            Map<String, Integer> endpointsByMessage = new TreeMap<>();
            Map<String, String> rules = new HashMap<>();
            for (Shape shape : tally.shapes) {
                for (NamingLint.Finding f : NamingLint.check(name, shape.type, shape.hasHelp, shape.labelNames)) {
                    endpointsByMessage.merge(f.message(), shape.endpoints, Integer::sum);
                    rules.put(f.message(), f.rule());
                }
            }
            endpointsByMessage.forEach((message, endpoints) -> out.add(JsonCodec.objectBuilder()
                    .add("family", name)
                    .add("rule", rules.get(message))
                    .add("message", message)
                    .add("severity", "warning")
                    .add("endpoints", endpoints)));
        });
        return out;
    }

    /** A family as one or more endpoints expose it: what naming lint looks at. */
    private static final class Shape {
        private final MetricType type;
        private final boolean hasHelp;
        private final List<String> labelNames;
        private int endpoints;

        Shape(MetricFamily f) {
            this.type = f.type();
            this.hasHelp = f.help() != null;
            this.labelNames = f.labelNames();
        }

        boolean matches(MetricFamily f) {
            return type == f.type() && hasHelp == (f.help() != null) && labelNames.equals(f.labelNames());
        }
    }

    /** One family across endpoints. */
    private static final class FamilyTally {
        private final List<Shape> shapes = new ArrayList<>(1);
        private int endpoints;
        private long samples;
        private long totalSeries;
        private long maxSeries = -1;
        private String maxSeriesEndpoint;

        void add(MetricFamily f, String endpoint) {
            endpoints++;
            samples += f.samples();
            totalSeries += f.series();
            if (f.series() > maxSeries) {
                maxSeries = f.series();
                maxSeriesEndpoint = endpoint;
            }
            for (Shape shape : shapes) {
                if (shape.matches(f)) {
                    shape.endpoints++;
                    return;
                }
            }
            Shape shape = new Shape(f);
            shape.endpoints = 1;
            shapes.add(shape);
        }
    }
}
