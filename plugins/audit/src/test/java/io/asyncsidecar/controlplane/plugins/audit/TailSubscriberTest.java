package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.websocket.WsSession;

import org.junit.jupiter.api.Test;

/**
 * A subscriber whose writes never complete (a client that stopped reading) is asked to close, then cut off: the
 * watcher and the other subscribers never wait for it.
 */
class TailSubscriberTest {

    /** A session whose writes block after the first, until it is terminated. */
    private static final class StuckSession implements WsSession {
        final CountDownLatch terminated = new CountDownLatch(1);
        final AtomicInteger sent = new AtomicInteger();

        @Override
        public WsSession send(String text, boolean last) {
            if (sent.incrementAndGet() > 1) {
                try {
                    terminated.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UncheckedIOException(new java.io.IOException("connection closed"));
            }
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            return this;
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            throw new AssertionError("a stuck connection cannot take a close frame");
        }

        @Override
        public WsSession terminate() {
            terminated.countDown();
            return this;
        }

        @Override
        public SocketContext socketContext() {
            return null;
        }
    }

    @Test
    void aStuckSubscriberIsCutOff() throws Exception {
        Path dir = LogFiles.folder("stuck");
        Path log = dir.resolve("audit.log");
        LogFiles.write(log, List.of(entry("old", "2026-12-01T09:00:00Z", "tA", "alice", "a", "r")));
        AuditSettings settings = AuditSettings.create(Config.just(ConfigSources.create(Map.of(
                "plugins.audit.path", log.toString(), "plugins.audit.tail.poll-millis", "50",
                "plugins.audit.tail.max-lag", "5", "plugins.audit.tail.close-timeout-millis", "200")))
                .get("plugins.audit"), dir);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            LogWatcher watcher = new LogWatcher(settings.logs().getFirst(), settings, executor);
            AuditQuery query = AuditQuery.parse(settings.logs().getFirst(), "tA", Map.of());
            TailSubscriber subscriber = new TailSubscriber(watcher, query, settings.fields(), executor);
            StuckSession session = new StuckSession();
            subscriber.onOpen(session);
            Thread.sleep(300);
            List<String> lines = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                lines.add(entry("e" + i, "2026-12-01T10:00:00Z", "tA", "alice", "a", "r"));
            }
            LogFiles.append(log, lines);
            // one second to see the lag, then the close timeout: the connection is cut
            assertThat(session.terminated.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(session.sent.get()).isEqualTo(2);
            watcher.close();
        } finally {
            executor.shutdownNow();
        }
    }
}
