package io.asyncsidecar.controlplane.kit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.config.Config;

/**
 * How many of one kind of heavy work (a chart render and check, a document validation) run at once, with a short
 * queue in front: a caller waits at most {@code queue-timeout} for a slot, and when the queue is already
 * {@code max-queued} long or the wait runs out it gets a 503 with {@code Retry-After} at once. So a burst of heavy
 * requests costs bounded memory and CPU and answers quickly, and cheap routes keep their latency.
 *
 * <p>Config, under the key a plugin names (e.g. {@code plugins.helm.checks}): {@code max-concurrent} (default
 * the number of processors), {@code max-queued} (default 4 × max-concurrent), {@code queue-timeout} (ISO-8601 or
 * milliseconds, default 10 s).
 */
public final class ConcurrencyLimit {

    private final String work;
    private final String configKey;
    private final int permits;
    private final int maxQueued;
    private final Duration queueTimeout;
    private final Semaphore slots;
    private final AtomicInteger queued = new AtomicInteger();

    private ConcurrencyLimit(String work, String configKey, int permits, int maxQueued, Duration queueTimeout) {
        this.work = Objects.requireNonNull(work, "work");
        this.configKey = Objects.requireNonNull(configKey, "configKey");
        if (permits < 1) {
            throw new IllegalArgumentException(configKey + ".max-concurrent must be at least 1, got " + permits);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException(configKey + ".max-queued must be 0 or more, got " + maxQueued);
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException(configKey + ".queue-timeout must not be negative, got " + queueTimeout);
        }
        this.permits = permits;
        this.maxQueued = maxQueued;
        this.queueTimeout = queueTimeout;
        this.slots = new Semaphore(permits, true);
    }

    /**
     * A limit from its parts.
     *
     * @param work         what the work is, for messages, e.g. {@code chart checks}
     * @param configKey    the config key of the limit, for messages, e.g. {@code plugins.helm.checks}
     * @param permits      how many run at once
     * @param maxQueued    how many may wait for a slot
     * @param queueTimeout how long one may wait
     * @return the limit
     * @throws IllegalArgumentException for a value out of range, naming its key
     */
    public static ConcurrencyLimit of(String work, String configKey, int permits, int maxQueued,
                                      Duration queueTimeout) {
        return new ConcurrencyLimit(work, configKey, permits, maxQueued, queueTimeout);
    }

    /**
     * A limit read from config, with the defaults above.
     *
     * @param work      what the work is, for messages
     * @param config    the limit's node, e.g. {@code context.config().get("checks")}
     * @param configKey the node's full key, for messages, e.g. {@code plugins.helm.checks}
     * @return the limit
     * @throws IllegalArgumentException for a value out of range, naming its key
     */
    public static ConcurrencyLimit from(String work, Config config, String configKey) {
        int permits = config.get("max-concurrent").asInt().orElse(Runtime.getRuntime().availableProcessors());
        int maxQueued = config.get("max-queued").asInt().orElse(4 * Math.max(1, permits));
        Duration timeout = config.get("queue-timeout").as(Duration.class)
                .orElseGet(() -> config.get("queue-timeout").asLong().map(Duration::ofMillis)
                        .orElse(Duration.ofSeconds(10)));
        return of(work, configKey, permits, maxQueued, timeout);
    }

    /**
     * Runs work in a slot.
     *
     * @param task the work
     * @param <T>  its result
     * @return its result
     * @throws ProblemException 503 with {@code Retry-After} when no slot came free in time or the queue was full
     */
    public <T> T call(Supplier<T> task) {
        acquire();
        try {
            return task.get();
        } finally {
            slots.release();
        }
    }

    /**
     * Runs work in a slot.
     *
     * @param task the work
     * @throws ProblemException as {@link #call}
     */
    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** @return how many run at once */
    public int permits() {
        return permits;
    }

    private void acquire() {
        if (slots.tryAcquire()) {
            return;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            throw busy("all " + permits + " slots are busy and " + maxQueued + " requests already wait");
        }
        try {
            if (!slots.tryAcquire(queueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy("all " + permits + " slots stayed busy for " + queueTimeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("interrupted while waiting for a slot");
        } finally {
            queued.decrementAndGet();
        }
    }

    private ProblemException busy(String why) {
        int retry = (int) Math.max(1, Math.min(60, queueTimeout.toSeconds()));
        return ProblemException.busy(work + ": " + why + " (" + configKey + ".max-concurrent, " + configKey
                + ".max-queued)", retry);
    }
}
