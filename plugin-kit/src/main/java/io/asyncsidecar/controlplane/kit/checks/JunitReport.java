package io.asyncsidecar.controlplane.kit.checks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * A {@link CheckReport} as JUnit XML, the Ant/Surefire test report that CI systems (GitHub Actions test reporters,
 * GitLab's {@code artifacts:reports:junit}, Jenkins' JUnit publisher) read, so a pipeline can fail and annotate on
 * a check's findings without reading its JSON:
 *
 * <pre>{@code
 * <testsuites name="<tool>" tests failures errors time>
 *   <testsuite name="<tool>[ (<label>)]" tests failures errors skipped time>   one per report (helm: per values file)
 *     <properties>tool.version, the summary, the run's own properties</properties>
 *     <testcase classname="<check id>" name="<Kind>/<namespace>/<name>" file="<file>" line="<n>" time="0">
 *       <failure type="error|warning" message="<message>">message, remediation, object, file:line</failure>
 *     </testcase>
 *   </testsuite>
 * </testsuites>
 * }</pre>
 *
 * <ul>
 *   <li>One testcase per finding, in the report's order. An active error or warning is a {@code <failure>} whose
 *       type is the severity; an active info finding passes and carries its text in {@code <system-out>}; an
 *       ignored finding (any severity) is {@code <skipped message="ignored: <reason>">}. {@code errors} is always
 *       0: JUnit keeps it for tests that could not run, and a check that could not read its input reports that as
 *       a finding.</li>
 *   <li>A testcase's name is the object's {@code Kind/namespace/name} ({@code Kind/name} without a namespace),
 *       else the file, else the check id; a second testcase of the same check and name in a suite gets
 *       {@code " #2"} and so on, so that consumers that key results by class and name keep them apart.</li>
 *   <li>A report without findings gets one passing testcase, {@code classname="<tool>" name="all checks passed"},
 *       so the suite is never empty (an empty suite reads as "no tests ran" to some consumers).</li>
 *   <li>{@code file} and {@code line} on a testcase are the widely read extension (pytest's xunit1, GitHub
 *       annotation actions, GitLab); the rest follows the Jenkins/Surefire schema.</li>
 * </ul>
 *
 * <p>Text is written by the JDK's StAX writer, which escapes {@code &}, {@code <}, {@code >} and quotes; characters
 * XML 1.0 cannot carry at all (controls other than tab, line feed and carriage return, lone surrogates,
 * U+FFFE/U+FFFF) are replaced with U+FFFD first, and line breaks and tabs in attributes become spaces (a parser
 * would make them spaces anyway). The same report always gives the same bytes: no timestamp, no host name.
 */
public final class JunitReport {

    /** The name of the testcase of a report without findings. */
    public static final String ALL_PASSED = "all checks passed";

    /**
     * The JDK's own StAX implementation, looked up once: {@code XMLOutputFactory.newFactory()} would run a
     * ServiceLoader scan through the plugin class loader on every call. The factory is configured once and not
     * changed afterwards, and creates a new writer per call.
     */
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    private JunitReport() {
    }

    /**
     * One testsuite: a report, what tells it apart from the other suites of the answer, and its own properties.
     *
     * @param label      appended to the tool name in the suite name, e.g. the values file; null for none
     * @param report     the report
     * @param properties more suite properties after the summary's, in order (may be empty); strings, numbers and
     *                   booleans are written as text, lists and maps as JSON, null values are left out
     */
    public record Suite(String label, CheckReport report, Map<String, ?> properties) {

        /**
         * Checks the parts.
         *
         * @param label      the label
         * @param report     the report
         * @param properties the properties
         */
        public Suite {
            Objects.requireNonNull(report, "report");
            properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }
    }

    /**
     * The JUnit XML of one report: one testsuite named after the tool.
     *
     * @param tool   the tool that made it
     * @param report the report
     * @return the document, UTF-8
     */
    public static byte[] of(CheckTool tool, CheckReport report) {
        return of(tool, List.of(new Suite(null, report, Map.of())));
    }

    /**
     * The JUnit XML of several reports, e.g. one per values file a chart was rendered with.
     *
     * @param tool   the tool that made them
     * @param suites the suites, in order
     * @return the document, UTF-8
     */
    public static byte[] of(CheckTool tool, List<Suite> suites) {
        Objects.requireNonNull(tool, "tool");
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            XMLStreamWriter w = FACTORY.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            try {
                write(w, tool, suites);
            } finally {
                w.close();
            }
        } catch (XMLStreamException e) {
            // Writing to memory: only a bug in the writing order gets here.
            throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * A text with every character XML 1.0 cannot carry replaced by U+FFFD: C0 controls other than tab, line feed
     * and carriage return, lone surrogates, U+FFFE and U+FFFF. Surrogate pairs are kept.
     *
     * @param text the text, or null
     * @return the text, the same instance when nothing had to change; null for null
     */
    public static String xmlSafe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean ok;
            int width = 1;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1));
                if (ok) {
                    width = 2;
                }
            } else if (Character.isLowSurrogate(c)) {
                ok = false;
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xFFFD;
            }
            if (ok) {
                if (b != null) {
                    b.append(text, i, i + width);
                }
            } else {
                if (b == null) {
                    b = new StringBuilder(n).append(text, 0, i);
                }
                b.append('\uFFFD');
            }
            i += width - 1;
        }
        return b == null ? text : b.toString();
    }

    private static void write(XMLStreamWriter w, CheckTool tool, List<Suite> suites) throws XMLStreamException {
        int tests = 0;
        int failures = 0;
        long millis = 0;
        for (Suite s : suites) {
            tests += testcases(s.report());
            failures += failures(s.report());
            millis += millis(s.report());
        }
        w.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("testsuites");
        attribute(w, "name", tool.name());
        attribute(w, "tests", Integer.toString(tests));
        attribute(w, "failures", Integer.toString(failures));
        attribute(w, "errors", "0");
        attribute(w, "time", seconds(millis));
        for (Suite s : suites) {
            suite(w, tool, s);
        }
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
    }

    private static void suite(XMLStreamWriter w, CheckTool tool, Suite suite) throws XMLStreamException {
        CheckReport report = suite.report();
        Map<String, Object> summary = report.summary();
        indent(w, 1);
        w.writeStartElement("testsuite");
        attribute(w, "name", suite.label() == null ? tool.name() : tool.name() + " (" + suite.label() + ")");
        attribute(w, "tests", Integer.toString(testcases(report)));
        attribute(w, "failures", Integer.toString(failures(report)));
        attribute(w, "errors", "0");
        attribute(w, "skipped", Integer.toString(report.ignored().size()));
        attribute(w, "time", seconds(millis(report)));

        indent(w, 2);
        w.writeStartElement("properties");
        property(w, "tool.version", tool.version());
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            property(w, e.getKey(), e.getValue());
        }
        for (Map.Entry<String, ?> e : suite.properties().entrySet()) {
            property(w, e.getKey(), e.getValue());
        }
        indent(w, 2);
        w.writeEndElement();

        if (report.findings().isEmpty()) {
            indent(w, 2);
            w.writeEmptyElement("testcase");
            attribute(w, "classname", tool.name());
            attribute(w, "name", ALL_PASSED);
            attribute(w, "time", "0");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Finding f : report.findings()) {
            testcase(w, f, seen);
        }
        indent(w, 1);
        w.writeEndElement();
    }

    private static void testcase(XMLStreamWriter w, Finding f, Map<String, Integer> seen) throws XMLStreamException {
        String name = f.object() != null ? f.object().display() : f.file() != null ? f.file() : f.checkId();
        int nth = seen.merge(f.checkId() + '\u0000' + name, 1, Integer::sum);
        if (nth > 1) {
            name = name + " #" + nth;
        }
        indent(w, 2);
        w.writeStartElement("testcase");
        attribute(w, "classname", f.checkId());
        attribute(w, "name", name);
        if (f.file() != null) {
            attribute(w, "file", f.file());
        }
        if (f.line() > 0) {
            attribute(w, "line", Integer.toString(f.line()));
        }
        attribute(w, "time", "0");
        indent(w, 3);
        if (f.ignored()) {
            w.writeStartElement("skipped");
            attribute(w, "message", "ignored: " + f.ignoredReason());
            text(w, body(f));
            w.writeEndElement();
        } else if (f.severity() == Severity.INFO) {
            w.writeStartElement("system-out");
            text(w, body(f));
            w.writeEndElement();
        } else {
            w.writeStartElement("failure");
            attribute(w, "type", f.severity().json());
            attribute(w, "message", f.message());
            text(w, body(f));
            w.writeEndElement();
        }
        indent(w, 2);
        w.writeEndElement();
    }

    /** What a finding's element holds: the message, then one line each for what else the finding says. */
    private static String body(Finding f) {
        StringBuilder b = new StringBuilder(f.message());
        if (f.remediation() != null && !f.remediation().isBlank()) {
            b.append("\nRemediation: ").append(f.remediation());
        }
        b.append("\nCheck: ").append(f.checkId()).append(" (").append(f.severity().json()).append(')');
        if (f.object() != null) {
            b.append("\nObject: ").append(f.object().display());
        }
        if (f.container() != null) {
            b.append("\nContainer: ").append(f.container());
        }
        if (f.field() != null) {
            b.append("\nField: ").append(f.field());
        }
        if (f.file() != null) {
            b.append("\nFile: ").append(f.file());
            if (f.line() > 0) {
                b.append(':').append(f.line());
            }
        }
        if (f.ignored()) {
            b.append("\nIgnored: ").append(f.ignoredReason());
            if (f.ignoredSource() != null) {
                b.append(" (").append(f.ignoredSource()).append(')');
            }
        }
        return b.toString();
    }

    /** Counted testcases: one per finding, or the one passing testcase of a report without any. */
    private static int testcases(CheckReport report) {
        return Math.max(1, report.findings().size());
    }

    private static int failures(CheckReport report) {
        int n = 0;
        for (Finding f : report.active()) {
            if (f.severity() != Severity.INFO) {
                n++;
            }
        }
        return n;
    }

    private static void property(XMLStreamWriter w, String name, Object value) throws XMLStreamException {
        if (value == null) {
            return;
        }
        String text = value instanceof Map<?, ?> || value instanceof Collection<?> ? JsonCodec.write(value)
                : value.toString();
        indent(w, 3);
        w.writeEmptyElement("property");
        attribute(w, "name", name);
        attribute(w, "value", text);
    }

    private static void attribute(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        String safe = xmlSafe(value);
        // A parser turns tabs and line breaks in an attribute into spaces; do it here so the bytes say so.
        if (safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0 || safe.indexOf('\t') >= 0) {
            safe = safe.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ').replace('\t', ' ');
        }
        w.writeAttribute(name, safe);
    }

    private static void text(XMLStreamWriter w, String value) throws XMLStreamException {
        String safe = xmlSafe(value);
        // A parser turns CR LF and lone CRs into LF; write them so.
        if (safe.indexOf('\r') >= 0) {
            safe = safe.replace("\r\n", "\n").replace('\r', '\n');
        }
        w.writeCharacters(safe);
    }

    private static void indent(XMLStreamWriter w, int depth) throws XMLStreamException {
        w.writeCharacters("\n" + "  ".repeat(depth));
    }

    private static long millis(CheckReport report) {
        return report.summary().get("duration_ms") instanceof Number d ? Math.max(0, d.longValue()) : 0;
    }

    /** Seconds with three decimals, as Surefire writes them. */
    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }
}
