package io.asyncsidecar.controlplane.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * The console log's formatter (config/logging.properties): {@link java.util.logging.SimpleFormatter}'s layout and
 * its {@code java.util.logging.SimpleFormatter.format} property, with every control character of the message, its
 * parameters and the messages of a logged exception's chain escaped ({@code \n}, {@code \r}, {@code \t}, {@code \0},
 * {@code \}{@code u00XX} for the rest of C0 and C1, and U+2028/U+2029). A request's bytes (a {@code %0a} in a query,
 * a header, a body quoted by an exception) can then never start a line of their own: one record is one line, but
 * for the stack trace's own frames.
 */
public final class LogLineFormatter extends Formatter {

    private static final String DEFAULT_FORMAT = "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n";

    private final String format;

    /** Reads the layout from {@code java.util.logging.SimpleFormatter.format}, as SimpleFormatter does. */
    public LogLineFormatter() {
        String configured = LogManager.getLogManager().getProperty("java.util.logging.SimpleFormatter.format");
        this.format = configured == null || configured.isBlank() ? DEFAULT_FORMAT : configured;
    }

    @Override
    public String format(LogRecord record) {
        ZonedDateTime time = ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault());
        String source = record.getSourceClassName() == null ? record.getLoggerName()
                : record.getSourceClassName() + (record.getSourceMethodName() == null ? ""
                : " " + record.getSourceMethodName());
        String thrown = record.getThrown() == null ? "" : System.lineSeparator() + stackTrace(record.getThrown());
        return String.format(format, time, escape(source), escape(record.getLoggerName()),
                record.getLevel().getLocalizedName(), escape(formatMessage(record)), thrown);
    }

    /**
     * Escapes control characters.
     *
     * @param text any text, or null
     * @return the text with every control character written as an escape; null as "null"
     */
    static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = escaped(c);
            if (escaped != null && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (escaped != null) {
                    b.append(escaped);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }

    private static String escaped(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\0' -> "\\0";
            default -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                    ? String.format("\\u%04x", (int) c) : null;
        };
    }

    /** The stack trace as {@link Throwable#printStackTrace()} writes it, each throwable's own text escaped. */
    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        write(w, t, "", "", null, seen);
        w.flush();
        return out.toString();
    }

    private static void write(PrintWriter w, Throwable t, String caption, String prefix, StackTraceElement[] enclosing,
                              Set<Throwable> seen) {
        if (!seen.add(t)) {
            w.println(prefix + caption + "[CIRCULAR REFERENCE: " + escape(String.valueOf(t)) + "]");
            return;
        }
        StackTraceElement[] trace = t.getStackTrace();
        int inCommon = 0;
        if (enclosing != null) {
            int m = trace.length - 1;
            int n = enclosing.length - 1;
            while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
                m--;
                n--;
            }
            inCommon = trace.length - 1 - m;
        }
        w.println(prefix + caption + escape(String.valueOf(t)));
        for (int i = 0; i < trace.length - inCommon; i++) {
            w.println(prefix + "\tat " + trace[i]);
        }
        if (inCommon != 0) {
            w.println(prefix + "\t... " + inCommon + " more");
        }
        for (Throwable s : t.getSuppressed()) {
            write(w, s, "Suppressed: ", prefix + "\t", trace, seen);
        }
        if (t.getCause() != null) {
            write(w, t.getCause(), "Caused by: ", prefix, trace, seen);
        }
    }
}
