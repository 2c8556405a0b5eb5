package io.asyncsidecar.controlplane.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The default output: lines written to standard output a batch at a time, as text or JSON. */
class AccessLogOutputTest {

    private static List<String> linesWritten(AccessLogSettings.Format format) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AccessLog log = new AccessLog(new AccessLogSettings(true, format, AccessLogSettings.DEFAULT_EXCLUDES, 16,
                    AccessLogSettings.Output.STDOUT));
            log.log(new AccessLog.Entry("GET", "/api/plugins", 200, 1_234_567, "alice", "tA", null, 1_764_640_000_007L));
            log.log(new AccessLog.Entry("GET", "/health/ready", 200, 1_000, null, null, null));
            log.log(new AccessLog.Entry("GET", "/ws/x", 401, 50_000, null, null, "websocket upgrade refused"));
            log.close();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void textLinesCarryTimeLevelLoggerAndTheRequest() {
        List<String> lines = linesWritten(AccessLogSettings.Format.TEXT);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.007 INFO "
                + "io\\.asyncsidecar\\.controlplane\\.access: GET /api/plugins 200 1\\.2ms subject=alice tenant=tA");
        assertThat(lines.get(1)).endsWith(": GET /ws/x 401 0.0ms subject=- tenant=- (websocket upgrade refused)");
    }

    @Test
    void jsonLinesAreOneObjectEach() {
        List<String> lines = linesWritten(AccessLogSettings.Format.JSON);
        assertThat(lines).hasSize(2);
        JsonObject first = (JsonObject) JsonCodec.read(lines.get(0));
        assertThat(first.getString("ts")).isEqualTo("2025-12-02T01:46:40.007Z");
        assertThat(first.getString("path")).isEqualTo("/api/plugins");
        assertThat(first.getJsonNumber("duration_ms").doubleValue()).isEqualTo(1.23);
        assertThat(((JsonObject) JsonCodec.read(lines.get(1))).getString("note")).isEqualTo("websocket upgrade refused");
    }
}
