package io.asyncsidecar.controlplane.server;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every console log line escapes the control characters a request may have put into its message, its parameters
 * or a logged exception's message, so a {@code %0a} never starts a forged line; stack frames stay one per line.
 */
class LogLineFormatterTest {

    private final LogLineFormatter formatter = new LogLineFormatter();

    @Test
    void messagesAndParametersAreOneLine() {
        LogRecord r = new LogRecord(Level.WARNING, "no route for {0}\nFORGED line");
        r.setLoggerName("io.asyncsidecar.controlplane.server.ErrorMapper");
        r.setParameters(new Object[] {"GET /x?a=\r\n2026-01-01 SEVERE forged\u0000\u001b[31m\u0085\u2028"});
        String line = formatter.format(r);
        assertThat(line.strip()).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000")
                .doesNotContain("\u001b").doesNotContain("\u0085").doesNotContain("\u2028")
                .contains("\\nFORGED line").contains("a=\\r\\n2026-01-01 SEVERE forged\\0\\u001b[31m\\u0085\\u2028");
        assertThat(line).endsWith(System.lineSeparator());
    }

    @Test
    void anExceptionsMessagesAreEscapedAndItsFramesKept() {
        LogRecord r = new LogRecord(Level.SEVERE, "internal error");
        r.setLoggerName("x");
        IllegalStateException e = new IllegalStateException("body line\n{\"token\":\"s\"}",
                new java.io.IOException("cause\rline"));
        r.setThrown(e);
        String text = formatter.format(r);
        String[] lines = text.split(System.lineSeparator());
        assertThat(lines[0]).contains("internal error");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: body line\\n{\"token\":\"s\"}");
        assertThat(lines[2]).startsWith("\tat io.asyncsidecar.controlplane.server.LogLineFormatterTest");
        assertThat(text).contains("Caused by: java.io.IOException: cause\\rline");
        for (String l : lines) {
            assertThat(l).matches(s -> s.isEmpty() || s.startsWith("\tat ") || s.startsWith("\t... ")
                    || s.startsWith("Caused by: ") || s == lines[0] || s == lines[1], "one of the record's lines");
        }
    }

    @Test
    void plainTextIsUnchanged() {
        assertThat(LogLineFormatter.escape("GET /api/plugins 200 é ü 中")).isEqualTo("GET /api/plugins 200 é ü 中");
    }
}
