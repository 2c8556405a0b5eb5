package io.asyncsidecar.controlplane.plugins.metrics;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A checked {@code POST /api/metrics/aggregate} body. Everything a caller can get wrong is a 400 that names the
 * field: {@code endpoints} missing, not a list, empty or longer than the limit; an entry that is neither a URL
 * nor an object with {@code url}; a URL that is not absolute http(s) with a host; an unknown profile; a bad
 * {@code expect}, {@code timeout_ms}, {@code detail} or {@code strict}.
 *
 * @param endpoints the endpoints in request order
 * @param timeout   the per-endpoint scrape budget
 * @param detail    whether to list every family of every endpoint
 * @param strict    whether an OpenMetrics violation Prometheus tolerates makes the endpoint {@code invalid}
 *                  (as the OpenMetrics test suite decides) instead of a {@code conformance} note on an {@code up}
 *                  one; lenient by default, since Prometheus scrapes such targets
 */
record AggregateRequest(List<Endpoint> endpoints, Duration timeout, boolean detail, boolean strict) {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /**
     * One endpoint to scrape.
     *
     * @param url      the URL
     * @param name     the caller's name for it, else {@code host:port}
     * @param profile  the profile whose families it must expose, or null
     * @param expected the families it must expose (its profile's plus the request's {@code expect})
     */
    record Endpoint(URI url, String name, String profile, Set<String> expected) {
    }

    /**
     * Checks a body.
     *
     * @param body        the JSON body
     * @param settings    the plugin's limits and profiles
     * @param detailParam the {@code detail} query parameter, if given
     * @return the request
     * @throws ProblemException 400 naming the problem
     */
    static AggregateRequest parse(JsonObject body, MetricsSettings settings, String detailParam) {
        JsonValue list = body.get("endpoints");
        if (list == null || list.getValueType() == JsonValue.ValueType.NULL) {
            throw bad("'endpoints' is required: a list of URLs or {\"url\", \"name\"?, \"profile\"?} objects");
        }
        if (list.getValueType() != JsonValue.ValueType.ARRAY) {
            throw bad("'endpoints' must be a list, got a " + kind(list));
        }
        List<JsonValue> entries = list.asJsonArray();
        if (entries.isEmpty()) {
            throw bad("'endpoints' is empty: name at least one URL to scrape");
        }
        if (entries.size() > settings.maxEndpoints()) {
            throw bad("'endpoints' has " + entries.size() + " entries; the limit is " + settings.maxEndpoints()
                    + " (plugins.metrics.max-endpoints)");
        }
        Set<String> expect = names(body.get("expect"), "expect");
        String defaultProfile = optionalString(body, "profile", "profile");
        checkProfile(defaultProfile, "profile", settings);
        List<Endpoint> endpoints = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            endpoints.add(endpoint(entries.get(i), "endpoints[" + i + "]", defaultProfile, expect, settings));
        }
        Duration timeout = settings.timeout();
        JsonValue t = body.get("timeout_ms");
        if (t != null && t.getValueType() != JsonValue.ValueType.NULL) {
            if (!(t instanceof JsonNumber n) || !n.isIntegral() || n.longValue() < 1
                    || n.longValue() > settings.maxTimeout().toMillis()) {
                throw bad("'timeout_ms' must be an integer from 1 to " + settings.maxTimeout().toMillis()
                        + " (plugins.metrics.max-timeout-ms), got " + t);
            }
            timeout = Duration.ofMillis(n.longValue());
        }
        boolean detail = detail(body.get("detail"), detailParam);
        if (detail && endpoints.size() > settings.maxDetailEndpoints()) {
            throw bad("'detail' lists every family of every endpoint and is limited to "
                    + settings.maxDetailEndpoints() + " endpoints (plugins.metrics.max-detail-endpoints); this request has "
                    + endpoints.size());
        }
        JsonValue strict = body.get("strict");
        if (strict != null && strict != JsonValue.NULL && strict != JsonValue.TRUE && strict != JsonValue.FALSE) {
            throw bad("'strict' must be true or false, got " + strict);
        }
        return new AggregateRequest(endpoints, timeout, detail, strict == JsonValue.TRUE);
    }

    private static Endpoint endpoint(JsonValue entry, String field, String defaultProfile, Set<String> expect,
                                     MetricsSettings settings) {
        String url;
        String name = null;
        String profile = defaultProfile;
        if (entry instanceof JsonString s) {
            url = s.getString();
        } else if (entry.getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObject o = entry.asJsonObject();
            url = optionalString(o, "url", field + ".url");
            if (url == null) {
                throw bad("'" + field + ".url' is required");
            }
            name = optionalString(o, "name", field + ".name");
            String own = optionalString(o, "profile", field + ".profile");
            if (own != null) {
                checkProfile(own, field + ".profile", settings);
                profile = own;
            }
        } else {
            throw bad("'" + field + "' must be a URL string or an object with 'url', got a " + kind(entry));
        }
        URI uri = url(url, field);
        Set<String> expected = new LinkedHashSet<>();
        if (profile != null) {
            expected.addAll(settings.profiles().get(profile));
        }
        expected.addAll(expect);
        if (name == null || name.isBlank()) {
            name = uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        }
        return new Endpoint(uri, name, profile, expected);
    }

    private static URI url(String text, String field) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad("'" + field + "' is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad("'" + field + "' must be an http or https URL, got '" + text + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw bad("'" + field + "' has no host: '" + text + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw bad("'" + field + "' carries credentials; the metrics plugin does not send them");
        }
        return uri;
    }

    private static void checkProfile(String profile, String field, MetricsSettings settings) {
        if (profile != null && !settings.profiles().containsKey(profile)) {
            throw bad("'" + field + "' names unknown profile '" + profile + "'; known: "
                    + (settings.profiles().isEmpty() ? "none (plugins.metrics.profiles)"
                    : String.join(", ", settings.profiles().keySet())));
        }
    }

    private static Set<String> names(JsonValue value, String field) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Set.of();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw bad("'" + field + "' must be a list of metric family names, got a " + kind(value));
        }
        Set<String> out = new LinkedHashSet<>();
        List<JsonValue> items = value.asJsonArray();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof JsonString s) || !METRIC_NAME.matcher(s.getString()).matches()) {
                throw bad("'" + field + "[" + i + "]' must be a metric name like http_requests_total, got "
                        + items.get(i));
            }
            out.add(s.getString());
        }
        return out;
    }

    private static boolean detail(JsonValue value, String param) {
        if (value != null && value.getValueType() != JsonValue.ValueType.NULL) {
            if (value == JsonValue.TRUE) {
                return true;
            }
            if (value == JsonValue.FALSE) {
                return false;
            }
            throw bad("'detail' must be true or false, got " + value);
        }
        if (param == null) {
            return false;
        }
        return switch (param.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no", "" -> false;
            default -> throw bad("query parameter 'detail' must be true or false, got '" + param + "'");
        };
    }

    private static String optionalString(JsonObject o, String key, String field) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw bad("'" + field + "' must be a string, got a " + kind(v));
        }
        return s.getString();
    }

    private static String kind(JsonValue v) {
        return switch (v.getValueType()) {
            case ARRAY -> "list";
            case OBJECT -> "object";
            case STRING -> "string";
            case NUMBER -> "number";
            case TRUE, FALSE -> "boolean";
            case NULL -> "null";
        };
    }

    private static ProblemException bad(String detail) {
        return ProblemException.badRequest(detail);
    }
}
