package io.asyncsidecar.controlplane.kit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyLimitTest {

    @Test
    void neverRunsMoreThanItsPermitsAndRefusesPastTheQueueAtOnce() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.of("renders", "plugins.x.checks.max-concurrent", 2, 3, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(pool.submit(() -> limit.call(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                await(release);
                running.decrementAndGet();
                return "done";
            })));
        }
        Thread.sleep(300); // two run, three wait: the queue is full
        long start = System.nanoTime();
        assertThatThrownBy(() -> limit.call(() -> "sixth")).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(503);
            assertThat(p.detail()).contains("renders", "plugins.x.checks.max-concurrent", "3 requests already wait");
            assertThat(p.extensions()).containsEntry(ProblemException.RETRY_AFTER, 30);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        release.countDown();
        for (Future<String> f : calls) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        }
        assertThat(most.get()).isEqualTo(2);
        pool.shutdown();
    }

    @Test
    void aWaiterGivesUpAfterTheQueueTimeout() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.of("renders", "k", 1, 5, Duration.ofMillis(200));
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> limit.run(() -> await(release)));
        Thread.sleep(100);
        long start = System.nanoTime();
        assertThatThrownBy(() -> limit.run(() -> { })).isInstanceOfSatisfying(ProblemException.class,
                p -> assertThat(p.detail()).contains("stayed busy for 200 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
        release.countDown();
        holder.join();
        assertThat(limit.call(() -> 1)).isEqualTo(1);
    }

    @Test
    void theWorkRunsOnAPlatformThreadSoItCannotHoldAVirtualThreadsCarrier() throws Exception {
        ConcurrencyLimit limit = ConcurrencyLimit.of("renders", "k", 2, 2, Duration.ofSeconds(1));
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(virtual.submit(() -> Thread.currentThread().isVirtual()).get()).isTrue();
            assertThat(virtual.submit(() -> limit.call(() -> Thread.currentThread().isVirtual())).get()).isFalse();
            assertThat(virtual.submit(() -> limit.call(() -> Thread.currentThread().getName())).get())
                    .startsWith("renders-");
        }
        assertThatThrownBy(() -> limit.call(() -> {
            throw ProblemException.badRequest("bad value 'x'");
        })).isInstanceOf(ProblemException.class).hasMessage("bad value 'x'");
    }

    @Test
    void readsItsConfigAndNamesABadValue() {
        Config config = Config.just(ConfigSources.create(Map.of("max-concurrent", "3", "queue-timeout", "PT2S")));
        assertThat(ConcurrencyLimit.from("w", config, "plugins.x.checks").permits()).isEqualTo(3);
        Config bad = Config.just(ConfigSources.create(Map.of("max-concurrent", "0")));
        assertThatThrownBy(() -> ConcurrencyLimit.from("w", bad, "plugins.x.checks"))
                .hasMessageContaining("plugins.x.checks.max-concurrent must be at least 1, got 0");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
