package io.asyncsidecar.controlplane.plugins.audit;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Which fields of an entry carry what the search filters on. Entries keep their producers' names, so each role
 * lists candidates and the first one present wins: the tenant in {@code tenant_id} or {@code tenant}, the time in
 * {@code ts}, {@code timestamp} or {@code time} (an RFC 3339 string or epoch seconds / milliseconds), the subject
 * in {@code subject}, {@code actor} or {@code user}, the action in {@code action} or {@code event}, the resource
 * in {@code resource} or {@code target}.
 *
 * @param tenant   field names of the tenant
 * @param time     field names of the time
 * @param subject  field names of the subject
 * @param action   field names of the action
 * @param resource field names of the resource
 */
record EntryFields(List<String> tenant, List<String> time, List<String> subject, List<String> action,
                   List<String> resource) {

    /** Epoch values at or above this are milliseconds (as seconds it would be the year 5138). */
    private static final double MILLIS_FROM = 1e11;

    /** Copies the lists. */
    EntryFields {
        tenant = List.copyOf(tenant);
        time = List.copyOf(time);
        subject = List.copyOf(subject);
        action = List.copyOf(action);
        resource = List.copyOf(resource);
    }

    String tenantOf(JsonObject entry) {
        return first(entry, tenant);
    }

    String subjectOf(JsonObject entry) {
        return first(entry, subject);
    }

    String actionOf(JsonObject entry) {
        return first(entry, action);
    }

    String resourceOf(JsonObject entry) {
        return first(entry, resource);
    }

    /**
     * The entry's time.
     *
     * @param entry the entry
     * @return the instant, or null when no time field is present or readable
     */
    Instant timeOf(JsonObject entry) {
        for (String name : time) {
            JsonValue v = entry.get(name);
            if (v == null) {
                continue;
            }
            return switch (v) {
                case JsonString s -> parseEntryTime(s.getString());
                case JsonNumber n -> epoch(n);
                default -> null;
            };
        }
        return null;
    }

    private static String first(JsonObject entry, List<String> names) {
        for (String name : names) {
            JsonValue v = entry.get(name);
            if (v instanceof JsonString s) {
                return s.getString();
            }
            if (v instanceof JsonNumber n) {
                return n.toString();
            }
        }
        return null;
    }

    private static Instant epoch(JsonNumber n) {
        try {
            BigDecimal d = n.bigDecimalValue();
            if (d.abs().doubleValue() >= MILLIS_FROM) {
                return Instant.ofEpochMilli(d.longValue());
            }
            long seconds = d.longValue();
            long nanos = d.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (ArithmeticException | DateTimeException e) {
            return null;
        }
    }

    /**
     * Reads an entry's time leniently: RFC 3339 (also with a space or a lower-case {@code t}/{@code z}), and a
     * date-time without offset as UTC, as some producers write it.
     *
     * @param text the field's text
     * @return the instant, or null when unreadable
     */
    static Instant parseEntryTime(String text) {
        if (text.length() < 10 || text.length() > 64) {
            return null;
        }
        String t = normalise(text);
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    /**
     * Reads a request's time parameter: an RFC 3339 date-time with offset, or a full date (midnight UTC).
     *
     * @param text the parameter's value
     * @return the instant, or null when it is not one
     */
    static Instant parseQueryTime(String text) {
        if (text.length() < 10 || text.length() > 64) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(normalise(text), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static String normalise(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        return t;
    }
}
