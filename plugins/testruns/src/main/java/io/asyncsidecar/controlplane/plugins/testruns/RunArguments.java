package io.asyncsidecar.controlplane.plugins.testruns;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The validated body of {@code POST /api/testruns}. Everything a caller sends is checked here, up front,
 * with a 400 that names the field; the run itself never sees unchecked input.
 *
 * @param baseUrl      the target, {@code http(s)://host[:port][/prefix]} without a trailing slash
 * @param loadDuration load phase length in seconds
 * @param concurrency  virtual users of the load phase
 * @param orchestrator {@code builtin} or a configured external orchestrator
 * @param scenario     the built-in runner's scenario, relative to the workspace
 * @param targetRate   requests per second of an open-model load phase; 0 for the closed model
 * @param thresholds   thresholds replacing the scenario's, empty to keep them
 * @param extras       the seed's optional fields, passed to an external runner as {@code --kebab-case} flags and
 *                     to scenarios as variables; may hold secrets, see {@link #redacted()}
 */
record RunArguments(String baseUrl,
                           int loadDuration,
                           int concurrency,
                           String orchestrator,
                           String scenario,
                           double targetRate,
                           List<String> thresholds,
                           Map<String, String> extras) {

    /** Fields whose values are secrets: never stored, logged or reported in clear. */
    public static final Set<String> SECRET_FIELDS = Set.of("auth_token_write", "auth_token_read");

    /** The seed's optional fields, passed through to an external runner. */
    public static final List<String> SEED_FIELDS = List.of("metrics_gateway", "metrics_explainer",
            "auth_token_write", "auth_token_read", "tenant_a", "tenant_b", "status_json", "audit_log", "s3_check",
            "helm_chart", "argocd_manifest", "keda_template", "karpenter_file", "attach_rate", "token_mix",
            "chaos_control", "only", "skip");

    /** Seed fields that name URLs the runner will call: held to the same allow list as {@code base_url}. */
    private static final Set<String> URL_FIELDS = Set.of("metrics_gateway", "metrics_explainer");
    private static final Set<String> OWN_FIELDS = Set.of("base_url", "load_duration", "concurrency",
            "orchestrator", "scenario", "target_rate", "thresholds");
    private static final int MAX_TEXT = 2048;
    private static final double MAX_RATE = 1_000_000;
    /** Marks a value that was redacted. */
    static final String REDACTED = "***";

    /**
     * Copies the collections.
     */
    public RunArguments {
        thresholds = List.copyOf(thresholds);
        extras = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /**
     * Validates a request body.
     *
     * @param body          the JSON body
     * @param settings      bounds and orchestrators
     * @param allowList     allowed targets
     * @param defaultTarget the base URL used when the body names none (the server's own), may be empty
     * @return the arguments
     * @throws ProblemException 400 naming the field
     */
    public static RunArguments parse(JsonObject body, TestRunsSettings settings, TargetAllowList allowList,
                                     String defaultTarget) {
        refuseLoneSurrogates(body);
        for (String key : body.keySet()) {
            if (!OWN_FIELDS.contains(key) && !SEED_FIELDS.contains(key)) {
                throw field(key, "unknown field '" + key + "'; accepted: " + OWN_FIELDS + " and " + SEED_FIELDS);
            }
        }
        String baseUrl = optionalText(body, "base_url");
        if (baseUrl == null) {
            if (defaultTarget == null || defaultTarget.isEmpty()) {
                throw field("base_url", "'base_url' is required");
            }
            baseUrl = defaultTarget;
        }
        baseUrl = checkUrl("base_url", baseUrl, allowList);
        int duration = integer(body, "load_duration", 60, settings.minLoadDuration(), settings.maxLoadDuration());
        int concurrency = integer(body, "concurrency", 10, settings.minConcurrency(), settings.maxConcurrency());
        String orchestrator = optionalText(body, "orchestrator");
        if (orchestrator == null) {
            orchestrator = settings.defaultOrchestrator();
        } else if (!TestRunsSettings.BUILTIN.equals(orchestrator) && !settings.externals().containsKey(orchestrator)) {
            List<String> known = new ArrayList<>();
            known.add(TestRunsSettings.BUILTIN);
            known.addAll(settings.externals().keySet());
            throw field("orchestrator", "unknown orchestrator '" + orchestrator + "'; configured: " + known);
        }
        String scenario = optionalText(body, "scenario");
        if (scenario != null && !TestRunsSettings.BUILTIN.equals(orchestrator)) {
            throw field("scenario", "'scenario' applies to the builtin orchestrator only, not '" + orchestrator + "'");
        }
        double rate = 0;
        if (body.containsKey("target_rate") && !body.isNull("target_rate")) {
            rate = number(body, "target_rate");
            if (!(rate > 0 && rate <= MAX_RATE)) {
                throw field("target_rate", "'target_rate' must be > 0 and <= " + (long) MAX_RATE
                        + " requests/s, got " + rate);
            }
        }
        List<String> thresholds = new ArrayList<>();
        if (body.containsKey("thresholds") && !body.isNull("thresholds")) {
            if (!(body.get("thresholds") instanceof JsonArray list)) {
                throw field("thresholds", "'thresholds' must be a list of strings like \"p95<500\"");
            }
            for (JsonValue v : list) {
                if (!(v instanceof JsonString s)) {
                    throw field("thresholds", "'thresholds' must be a list of strings like \"p95<500\"");
                }
                try {
                    Threshold.parse(s.getString());
                } catch (IllegalArgumentException e) {
                    throw field("thresholds", "'thresholds': " + e.getMessage());
                }
                thresholds.add(s.getString());
            }
        }
        Map<String, String> extras = new LinkedHashMap<>();
        for (String key : SEED_FIELDS) {
            String value = seedValue(body, key);
            if (value != null) {
                if (URL_FIELDS.contains(key)) {
                    value = checkUrl(key, value, allowList);
                }
                extras.put(key, value);
            }
        }
        return new RunArguments(baseUrl, duration, concurrency, orchestrator,
                scenario == null ? settings.scenario() : scenario, rate, thresholds, extras);
    }

    /**
     * The arguments as stored and shown: secrets replaced by {@value #REDACTED}.
     *
     * @return the JSON object of the record's {@code args}
     */
    public JsonObject redacted() {
        return json(true);
    }

    /**
     * The arguments as a request body {@link #parse} reads back into these same arguments, secrets included:
     * what a queued run keeps on disk (owner-only) so that a restart can still run it.
     *
     * @return the body
     */
    public JsonObject stored() {
        return json(false);
    }

    private JsonObject json(boolean redact) {
        JsonObjectBuilder b = JsonCodec.objectBuilder()
                .add("base_url", baseUrl)
                .add("load_duration", loadDuration)
                .add("concurrency", concurrency)
                .add("orchestrator", orchestrator);
        if (TestRunsSettings.BUILTIN.equals(orchestrator)) {
            b.add("scenario", scenario);
        }
        if (targetRate > 0) {
            b.add("target_rate", targetRate);
        }
        if (!thresholds.isEmpty()) {
            b.add("thresholds", JsonCodec.toJsonValue(thresholds));
        }
        extras.forEach((k, v) -> b.add(k, redact && SECRET_FIELDS.contains(k) ? REDACTED : v));
        return b.build();
    }

    /**
     * The secret values among the arguments, for scrubbing logs and reports.
     *
     * @return non-empty secret values
     */
    public List<String> secrets() {
        List<String> out = new ArrayList<>();
        for (String k : SECRET_FIELDS) {
            String v = extras.get(k);
            if (v != null && !v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * The extras that are not secrets as command-line flags: {@code --kebab-case=value}, or a bare
     * {@code --flag} for {@code true}. The {@code =} form keeps a value that starts with a dash from being read as
     * another flag. Secrets never go on a command line, which every local user can read ({@code ps}); see
     * {@link #secretEnvironment()}.
     *
     * @return the flags, in the seed's field order
     */
    public List<String> flags() {
        List<String> out = new ArrayList<>();
        extras.forEach((k, v) -> {
            if (SECRET_FIELDS.contains(k)) {
                return;
            }
            String flag = "--" + k.replace('_', '-');
            if ("true".equals(v)) {
                out.add(flag);
            } else if (!"false".equals(v)) {
                out.add(flag + "=" + v);
            }
        });
        return out;
    }

    /**
     * The secrets for an external runner's environment, named as the field upper-cased
     * ({@code auth_token_read} is {@code AUTH_TOKEN_READ}): only the runner's own user (and root) can read a
     * process's environment, unlike its command line.
     *
     * @return variable name to value, in the seed's field order
     */
    public Map<String, String> secretEnvironment() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : SEED_FIELDS) {
            if (SECRET_FIELDS.contains(k) && extras.containsKey(k)) {
                out.put(k.toUpperCase(Locale.ROOT), extras.get(k));
            }
        }
        return out;
    }

    private static String checkUrl(String field, String raw, TargetAllowList allowList) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw field(field, "'" + field + "' is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw field(field, "'" + field + "' must be an http or https URL, got '" + raw + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw field(field, "'" + field + "' has no host: '" + raw + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw field(field, "'" + field + "' must not carry user info, a query or a fragment");
        }
        if (!allowList.allows(uri.getHost())) {
            throw field(field, "'" + field + "' host '" + uri.getHost() + "' is not an allowed target ("
                    + allowList.describe() + "; more via plugins.testruns.allowed-hosts)");
        }
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String optionalText(JsonObject body, String key) {
        if (!body.containsKey(key) || body.isNull(key)) {
            return null;
        }
        if (!(body.get(key) instanceof JsonString s)) {
            throw field(key, "'" + key + "' must be a string");
        }
        String v = s.getString().trim();
        if (v.isEmpty()) {
            throw field(key, "'" + key + "' is empty");
        }
        checkText(key, v);
        return v;
    }

    private static int integer(JsonObject body, String key, int defaultValue, int min, int max) {
        if (!body.containsKey(key) || body.isNull(key)) {
            return Math.max(min, Math.min(max, defaultValue));
        }
        double v = number(body, key);
        if (v != Math.rint(v) || v < min || v > max) {
            throw field(key, "'" + key + "' must be a whole number from " + min + " to " + max + ", got "
                    + body.get(key));
        }
        return (int) v;
    }

    private static double number(JsonObject body, String key) {
        JsonValue v = body.get(key);
        try {
            if (v instanceof JsonNumber n) {
                return n.doubleValue();
            }
            if (v instanceof JsonString s) {
                // the seed's GUI sent form fields as strings
                return new BigDecimal(s.getString().trim()).doubleValue();
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw field(key, "'" + key + "' must be a number, got " + v);
    }

    private static String seedValue(JsonObject body, String key) {
        if (!body.containsKey(key) || body.isNull(key)) {
            return null;
        }
        JsonValue v = body.get(key);
        String text = switch (v.getValueType()) {
            case STRING -> ((JsonString) v).getString();
            case NUMBER -> v.toString();
            case TRUE -> "true";
            case FALSE -> "false";
            case ARRAY -> {
                List<String> parts = new ArrayList<>();
                for (JsonValue e : (JsonArray) v) {
                    if (!(e instanceof JsonString s)) {
                        throw field(key, "'" + key + "' must be a string, number, boolean or list of strings");
                    }
                    parts.add(s.getString());
                }
                yield String.join(",", parts);
            }
            default -> throw field(key, "'" + key + "' must be a string, number, boolean or list of strings");
        };
        checkText(key, text);
        return text;
    }

    /**
     * A JSON escape can carry half a surrogate pair, which is not Unicode text: no UTF-8 file (the run's record)
     * or answer can hold it. Refused, not replaced: the value may be a token or a name a runner gets, and a
     * silently altered one would fail later and elsewhere.
     */
    private static void refuseLoneSurrogates(JsonObject body) {
        for (Map.Entry<String, JsonValue> e : body.entrySet()) {
            String key = e.getKey();
            int at = loneSurrogate(key);
            if (at >= 0) {
                throw field(escaped(key), "a field name holds a lone surrogate (" + codeUnit(key, at)
                        + " at character " + (at + 1) + "), which is not Unicode text");
            }
            refuseLoneSurrogates(key, e.getValue());
        }
    }

    private static void refuseLoneSurrogates(String key, JsonValue value) {
        switch (value) {
            case JsonString s -> {
                int at = loneSurrogate(s.getString());
                if (at >= 0) {
                    throw field(key, "'" + key + "' holds a lone surrogate (" + codeUnit(s.getString(), at)
                            + " at character " + (at + 1) + "), which is not Unicode text; send the character as a"
                            + " surrogate pair or leave it out");
                }
            }
            case JsonArray a -> a.forEach(v -> refuseLoneSurrogates(key, v));
            case JsonObject o -> o.forEach((k, v) -> {
                if (loneSurrogate(k) >= 0) {
                    throw field(key, "'" + key + "' holds a name with a lone surrogate, which is not Unicode text");
                }
                refuseLoneSurrogates(key, v);
            });
            default -> {
                // numbers, booleans and null hold no text
            }
        }
    }

    /** @return the index of the first unpaired surrogate, or -1 */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String codeUnit(String s, int at) {
        return String.format(Locale.ROOT, "\\u%04X", (int) s.charAt(at));
    }

    /** The text with each lone surrogate written as a backslash-u escape, so that an answer can name it. */
    private static String escaped(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        int at;
        String rest = s;
        while ((at = loneSurrogate(rest)) >= 0) {
            out.append(rest, 0, at).append(codeUnit(rest, at));
            rest = rest.substring(at + 1);
        }
        return out.append(rest).toString();
    }

    private static void checkText(String key, String v) {
        if (v.length() > MAX_TEXT) {
            throw field(key, "'" + key + "' is longer than " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw field(key, "'" + key + "' contains a control character");
            }
        }
    }

    private static ProblemException field(String field, String detail) {
        return ProblemException.badRequest(detail).with("field", field);
    }
}
