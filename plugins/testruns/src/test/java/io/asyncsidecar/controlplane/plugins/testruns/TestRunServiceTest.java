package io.asyncsidecar.controlplane.plugins.testruns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.websocket.WsSession;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service without a network: stream fan-out (many subscribers on one run all get every event in order, a
 * slow one is dropped without holding the run back) and retention.
 */
class TestRunServiceTest {

    private static final Caller ALICE = new Caller("alice", "tA", "tA", Set.of("tests.read", "tests.run"));

    private ExecutorService executor;
    private TestRunService service;
    private Path data;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("stream-max-lag", "20");
        m.put("retention-per-tenant", "2");
        m.put("flush-interval-millis", "100");
        List<String> argv = List.of("sh", TestRunsApiTest.script().toString(), "--base-url", "{base_url}",
                "--output", "{run_dir}/report.json");
        for (int i = 0; i < argv.size(); i++) {
            m.put("orchestrators.fake.command." + i, argv.get(i));
        }
        data = Files.createDirectories(Path.of("target/test-data/fanout-" + System.nanoTime()));
        executor = Executors.newVirtualThreadPerTaskExecutor();
        service = new TestRunService(TestRunsSettings.create(Config.just(ConfigSources.create(m))),
                TestConfigs.demoWorkspace(), data, () -> "", executor, System.getLogger("test"));
        service.start();
    }

    @AfterEach
    void stop() {
        service.close();
        executor.shutdownNow();
    }

    @Test
    void everySubscriberGetsEveryEventAndASlowOneIsDropped() throws Exception {
        // the chatty runner prints 500 lines at once: far more than a slow subscriber can take
        long begin = System.nanoTime();
        TestRun run = service.queue().submit(ALICE, Json.createObjectBuilder()
                .add("base_url", "http://127.0.0.1:9").add("orchestrator", "fake").add("only", "chatty").build());
        List<FakeSession> fast = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fast.add(subscribe(run, 0));
        }
        FakeSession slow = subscribe(run, 50);

        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!run.status().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(run.status()).isEqualTo(RunStatus.PASSED);
        // the slow subscriber (50 ms a message) would need 25 s for this run's events: the run did not wait
        assertThat((System.nanoTime() - begin) / 1e9).isLessThan(10.0);
        for (FakeSession s : fast) {
            s.awaitClose();
            assertThat(s.closeCode).isEqualTo(1000);
            List<Long> seqs = s.sent.stream().skip(1).map(RunEventLog::seqOf).toList();
            // every event after the state message, without gaps, ending with the summary
            for (int i = 1; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(seqs.get(i - 1) + 1);
            }
            assertThat(s.sent.get(s.sent.size() - 1)).contains("\"type\":\"summary\"");
            assertThat(s.sent).hasSizeGreaterThan(500);
        }
        slow.awaitClose();
        assertThat(slow.closeCode).isEqualTo(1008);
        assertThat(slow.closeReason).startsWith("subscriber too slow; reconnect with since=");
        assertThat(slow.sent.size()).isLessThan(100);
    }

    @Test
    void retentionKeepsTheNewestRunsOfEachTenant() throws Exception {
        Caller bob = new Caller("bob", "tB", "tB", Set.of("tests.run"));
        TestRun bobs = service.queue().submit(bob, fakeRun());
        awaitFinal(bobs);
        List<TestRun> alices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestRun run = service.queue().submit(ALICE, fakeRun());
            awaitFinal(run);
            alices.add(run);
        }
        // retention runs right after a run is recorded as finished
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (service.history().list("tA", Set.of(), 10, 0).total() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(service.history().list("tA", Set.of(), 10, 0).items()).extracting(TestRun::id)
                .containsExactly(alices.get(2).id(), alices.get(1).id());
        assertThat(Files.exists(data.resolve("runs").resolve(alices.get(0).id()))).isFalse();
        assertThat(Files.exists(data.resolve("runs").resolve(alices.get(1).id()).resolve("report.json"))).isTrue();
        // other tenants keep theirs
        assertThat(service.history().list("tB", Set.of(), 10, 0).items()).extracting(TestRun::id)
                .containsExactly(bobs.id());
    }

    private static jakarta.json.JsonObject fakeRun() {
        return Json.createObjectBuilder().add("base_url", "http://127.0.0.1:9").add("orchestrator", "fake").build();
    }

    private static void awaitFinal(TestRun run) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!run.status().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(run.status()).isEqualTo(RunStatus.PASSED);
    }

    private FakeSession subscribe(TestRun run, long sendMillis) {
        RunSubscriber subscriber = RunSubscriber.open(service.history(), executor, new SocketUpgrade(ALICE,
                "/ws/testruns/" + run.id() + "/stream", Map.of("id", run.id()), Map.of("since", "0")));
        FakeSession session = new FakeSession(sendMillis);
        subscriber.onOpen(session);
        return session;
    }

    /** A session that records what it is sent, optionally slowly. */
    private static final class FakeSession implements WsSession {
        private final long sendMillis;
        private final List<String> sent = new CopyOnWriteArrayList<>();
        private volatile int closeCode = -1;
        private volatile String closeReason;

        FakeSession(long sendMillis) {
            this.sendMillis = sendMillis;
        }

        void awaitClose() throws InterruptedException {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (closeCode < 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        @Override
        public WsSession send(String text, boolean last) {
            if (sendMillis > 0) {
                try {
                    Thread.sleep(sendMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sent.add(text);
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            throw new UnsupportedOperationException();
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
            closeReason = reason;
            closeCode = code;
            return this;
        }

        @Override
        public WsSession terminate() {
            closeCode = 1006;
            return this;
        }

        @Override
        public SocketContext socketContext() {
            throw new UnsupportedOperationException();
        }
    }
}
