package io.asyncsidecar.controlplane.plugins.testruns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RunEventLogTest {

    @Test
    void reopenCutsATornLastLineAndContinuesTheNumbering(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.jsonl");
        // two complete events, then a crash in the middle of the third
        Files.writeString(file, "{\"seq\":1,\"type\":\"status\",\"ts\":1.0}\n{\"seq\":2,\"type\":\"log\",\"ts\":1.1}\n"
                + "{\"seq\":3,\"type\":\"st");
        RunEventLog log = RunEventLog.reopen(file);
        assertThat(log.lastSeq()).isEqualTo(2);
        assertThat(log.appendAndFlush("status", JsonValue.EMPTY_JSON_OBJECT)).isEqualTo(3);
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).startsWith("{\"seq\":3,\"type\":\"status\",\"ts\":");
    }

    @Test
    void readersGetEventsInOrderAcrossChunksAndSeeTheClose(@TempDir Path dir) throws Exception {
        RunEventLog log = RunEventLog.create(dir.resolve("events.jsonl"), 10_000);
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 5000; i++) {
                log.append("log", RunEventLog.fields("stream", "stdout", "line", "line " + i));
            }
            log.close();
        });
        long cursor = 0;
        boolean closed = false;
        while (!closed) {
            RunEventLog.Batch batch = log.await(cursor, 300, 1000);
            for (String event : batch.events()) {
                assertThat(RunEventLog.seqOf(event)).isEqualTo(++cursor);
            }
            closed = batch.closed() && cursor == batch.lastSeq();
        }
        writer.join();
        assertThat(cursor).isEqualTo(5000);
        assertThat(log.append("log", JsonValue.EMPTY_JSON_OBJECT)).as("closed logs take nothing more").isEqualTo(-1);
        assertThat(RunEventLog.read(dir.resolve("events.jsonl"))).hasSize(5000);
    }

    @Test
    void logLinesBeyondTheLimitAreCountedNotKept(@TempDir Path dir) throws Exception {
        RunEventLog log = RunEventLog.create(dir.resolve("events.jsonl"), 3);
        for (int i = 0; i < 10; i++) {
            log.append("log", RunEventLog.fields("stream", "stdout", "line", "l" + i));
        }
        log.append("status", RunEventLog.fields("status", "passed"));
        log.close();
        List<String> lines = RunEventLog.read(dir.resolve("events.jsonl"));
        assertThat(lines).hasSize(5);
        assertThat(lines.get(4)).contains("7 further log lines were not kept (max-log-lines)");
    }
}
