package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.asyncsidecar.controlplane.plugins.audit.AuditSettings.LogRef;
import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * What a search or a tail selects: the caller's tenant, always, and the optional filters {@code q} (text in any
 * field name or value, ignoring ASCII case, after scrubbing: a secret cannot be found by searching for it),
 * {@code subject}, {@code action}, {@code resource} (exact, or a prefix when they end with {@code *}), {@code since}
 * (inclusive) and {@code until} (exclusive) on the entry's time. An entry without a readable time never matches
 * {@code since} or {@code until}; one without a tenant matches no caller.
 */
final class AuditQuery {

    /** Longest accepted filter value. */
    static final int MAX_VALUE_LENGTH = 512;

    /**
     * Bytes from the log the search is about to read, to tune its needles.
     *
     * @param bytes  the bytes
     * @param length how many are valid
     * @param counts how often each byte value occurs among them
     */
    record Sample(byte[] bytes, int length, int[] counts) {
    }

    /** An exact or prefix match on a string field. */
    record ValueFilter(String value, boolean prefix) {
        boolean matches(String actual) {
            return actual != null && (prefix ? actual.startsWith(value) : actual.equals(value));
        }

        @Override
        public String toString() {
            return prefix ? value + "*" : value;
        }
    }

    private final LogRef log;
    private final String tenant;
    private final String q;
    private final ValueFilter subject;
    private final ValueFilter action;
    private final ValueFilter resource;
    private final Instant since;
    private final Instant until;

    AuditQuery(LogRef log, String tenant, String q, ValueFilter subject, ValueFilter action, ValueFilter resource,
               Instant since, Instant until) {
        this.log = log;
        this.tenant = tenant;
        this.q = q == null ? null : q.toLowerCase(Locale.ROOT);
        this.subject = subject;
        this.action = action;
        this.resource = resource;
        this.since = since;
        this.until = until;
    }

    /**
     * Reads the filters from request parameters (already checked for unknown names).
     *
     * @param log    the log searched
     * @param tenant the caller's effective tenant
     * @param params parameter values by name
     * @return the query
     * @throws ProblemException 400 naming a bad value
     */
    static AuditQuery parse(LogRef log, String tenant, Map<String, String> params) {
        String q = text(params, "q");
        Instant since = time(params, "since");
        Instant until = time(params, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw ProblemException.badRequest("'since' (" + params.get("since") + ") must be before 'until' ("
                    + params.get("until") + ")").with("field", "since");
        }
        return new AuditQuery(log, tenant, q, filter(params, "subject"), filter(params, "action"),
                filter(params, "resource"), since, until);
    }

    private static String text(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > MAX_VALUE_LENGTH) {
            throw ProblemException.badRequest("'" + name + "' is " + v.length() + " characters long; at most "
                    + MAX_VALUE_LENGTH + " are accepted").with("field", name);
        }
        return v;
    }

    private static ValueFilter filter(Map<String, String> params, String name) {
        String v = text(params, name);
        if (v == null) {
            return null;
        }
        if (v.equals("*")) {
            throw ProblemException.badRequest("'" + name + "' must not be only '*': leave it out to match any "
                    + name).with("field", name);
        }
        return v.endsWith("*") ? new ValueFilter(v.substring(0, v.length() - 1), true) : new ValueFilter(v, false);
    }

    private static Instant time(Map<String, String> params, String name) {
        String v = text(params, name);
        if (v == null) {
            return null;
        }
        Instant t = EntryFields.parseQueryTime(v);
        if (t == null) {
            throw ProblemException.badRequest("'" + name + "' must be an RFC 3339 date-time such as"
                    + " 2026-11-30T12:00:00Z (or a date, 2026-11-30), got '" + v + "'").with("field", name);
        }
        return t;
    }

    LogRef log() {
        return log;
    }

    String tenant() {
        return tenant;
    }

    /**
     * Decides on a parsed entry.
     *
     * @param fields where the entry keeps what the filters look at
     * @param raw    the entry as written
     * @return the entry as it may be shown (scrubbed) when it matches, else null
     */
    JsonObject apply(EntryFields fields, JsonObject raw) {
        if (!selectsRaw(fields, raw)) {
            return null;
        }
        JsonObject shown = Scrubber.scrub(raw);
        return q == null || shown == raw || containsText(shown, q) ? shown : null;
    }

    /**
     * Decides on an entry already scrubbed.
     *
     * @param fields where the entry keeps what the filters look at
     * @param raw    the entry as written
     * @param shown  the entry scrubbed
     * @return true when it matches
     */
    boolean selects(EntryFields fields, JsonObject raw, JsonObject shown) {
        return selectsRaw(fields, raw) && (q == null || shown == raw || containsText(shown, q));
    }

    private boolean selectsRaw(EntryFields fields, JsonObject raw) {
        if (!tenant.equals(fields.tenantOf(raw))) {
            return false;
        }
        if (subject != null && !subject.matches(fields.subjectOf(raw))
                || action != null && !action.matches(fields.actionOf(raw))
                || resource != null && !resource.matches(fields.resourceOf(raw))) {
            return false;
        }
        if (since != null || until != null) {
            Instant t = fields.timeOf(raw);
            if (t == null || since != null && t.isBefore(since) || until != null && !t.isBefore(until)) {
                return false;
            }
        }
        // q on the raw entry first only because scrubbing costs more than the check; the scrubbed one decides
        return q == null || containsText(raw, q);
    }

    private static boolean containsText(JsonValue v, String q) {
        return switch (v.getValueType()) {
            case OBJECT -> {
                for (Map.Entry<String, JsonValue> e : v.asJsonObject().entrySet()) {
                    if (contains(e.getKey(), q) || containsText(e.getValue(), q)) {
                        yield true;
                    }
                }
                yield false;
            }
            case ARRAY -> {
                for (JsonValue item : v.asJsonArray()) {
                    if (containsText(item, q)) {
                        yield true;
                    }
                }
                yield false;
            }
            case STRING -> contains(((JsonString) v).getString(), q);
            case NUMBER -> ((JsonNumber) v).toString().contains(q);
            case TRUE -> "true".contains(q);
            case FALSE -> "false".contains(q);
            default -> false;
        };
    }

    private static boolean contains(String hay, String lowerNeedle) {
        return hay.length() >= lowerNeedle.length() && hay.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    /**
     * The byte strings a matching line must contain as written, the most selective first: the scan looks for the
     * first and checks the others on the lines that have it.
     *
     * @param sample the end of the log, to rank the needles by how often they occur there and to pick each one's
     *               rarest byte; null for a guess
     * @return the needles; empty only when not even the tenant is safe to look for
     */
    List<Needle> needles(Sample sample) {
        List<Needle> out = new ArrayList<>();
        if (q != null) {
            add(out, Needle.of(q, true));
        }
        for (ValueFilter f : new ValueFilter[] {subject, action, resource}) {
            if (f != null) {
                add(out, Needle.ofValue(f.value(), f.prefix()));
            }
        }
        add(out, Needle.ofValue(tenant, false));
        if (sample == null) {
            out.sort(Comparator.comparingLong(Needle::rarity)
                    .thenComparing(Comparator.comparingInt(Needle::length).reversed()));
            return out;
        }
        out.replaceAll(n -> n.tuned(sample.counts()));
        out.sort(Comparator.comparingInt((Needle n) -> n.occurrences(sample.bytes(), sample.length()))
                .thenComparingLong(Needle::rarity)
                .thenComparing(Comparator.comparingInt(Needle::length).reversed()));
        return out;
    }

    private static void add(List<Needle> out, Needle n) {
        if (n != null) {
            out.add(n);
        }
    }

    /**
     * Identifies the query for cursors: its log, tenant and filters.
     *
     * @return a short hash
     */
    String fingerprint() {
        String s = String.join("\u0000", log.configured(), tenant, String.valueOf(q), String.valueOf(subject),
                String.valueOf(action), String.valueOf(resource), String.valueOf(since), String.valueOf(until));
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return LogFile.digest(b, b.length);
    }

    /** @return the filters as given, for answers */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        put(m, "q", q);
        put(m, "subject", subject);
        put(m, "action", action);
        put(m, "resource", resource);
        put(m, "since", since);
        put(m, "until", until);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v.toString());
        }
    }
}
