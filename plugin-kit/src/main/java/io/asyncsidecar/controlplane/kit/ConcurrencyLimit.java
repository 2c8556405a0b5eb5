package io.asyncsidecar.controlplane.kit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * <p>The work runs on platform threads of the limit's own, while the caller's (virtual) thread waits: a virtual
 * thread is never preempted, so CPU-bound work on it would hold one of the few carrier threads every request shares
 * until it finished, and cheap requests queued behind two renders on a two-core machine waited seconds. On platform
 * threads the operating system time-slices the work against the carriers.
 *
 * <p>Config, under the key a plugin names (e.g. {@code plugins.helm.checks}): {@code max-concurrent} (default
 * the number of processors), {@code max-queued} (default 4 × max-concurrent), {@code queue-timeout} (ISO-8601 or
 * milliseconds, default 10 s).
 */
public final class ConcurrencyLimit {

    private final String work;
    private final String keys;
    private final int permits;
    private final int maxQueued;
    private final Duration queueTimeout;
    private final Semaphore slots;
    private final AtomicInteger queued = new AtomicInteger();
    private final ExecutorService workers;

    private ConcurrencyLimit(String work, String keys, int permits, int maxQueued, Duration queueTimeout) {
        this.work = Objects.requireNonNull(work, "work");
        this.keys = Objects.requireNonNull(keys, "keys");
        if (permits < 1) {
            throw new IllegalArgumentException("the concurrency of " + work + " (" + keys + ") must be at least 1, got "
                    + permits);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("the queue of " + work + " (" + keys + ") must be 0 or more, got "
                    + maxQueued);
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("the queue timeout of " + work + " (" + keys + ") must not be negative,"
                    + " got " + queueTimeout);
        }
        this.permits = permits;
        this.maxQueued = maxQueued;
        this.queueTimeout = queueTimeout;
        this.slots = new Semaphore(permits, true);
        // At most `permits` tasks hold a slot, so the cached pool never grows past them; idle threads end.
        this.workers = permits == Integer.MAX_VALUE ? null : Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name(work.replaceAll("[^A-Za-z0-9]+", "-") + "-", 1).factory());
    }

    /**
     * A limit from its parts.
     *
     * @param work         what the work is, for messages, e.g. {@code chart checks}
     * @param keys         the config keys that set the limit, for messages, e.g.
     *                     {@code plugins.audit.max-concurrent-searches}
     * @param permits      how many run at once
     * @param maxQueued    how many may wait for a slot
     * @param queueTimeout how long one may wait
     * @return the limit
     * @throws IllegalArgumentException for a value out of range, naming the keys
     */
    public static ConcurrencyLimit of(String work, String keys, int permits, int maxQueued, Duration queueTimeout) {
        return new ConcurrencyLimit(work, keys, permits, maxQueued, queueTimeout);
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
        if (permits < 1) {
            throw new IllegalArgumentException(configKey + ".max-concurrent must be at least 1, got " + permits);
        }
        int maxQueued = config.get("max-queued").asInt().orElse(4 * permits);
        if (maxQueued < 0) {
            throw new IllegalArgumentException(configKey + ".max-queued must be 0 or more, got " + maxQueued);
        }
        Duration timeout = config.get("queue-timeout").as(Duration.class)
                .orElseGet(() -> config.get("queue-timeout").asLong().map(Duration::ofMillis)
                        .orElse(Duration.ofSeconds(10)));
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(configKey + ".queue-timeout must not be negative, got " + timeout);
        }
        return of(work, configKey + ".max-concurrent, " + configKey + ".max-queued", permits, maxQueued, timeout);
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
            if (workers == null) {
                return task.get();
            }
            Future<T> running = workers.submit(task::get);
            try {
                return running.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                running.cancel(true);
                Thread.currentThread().interrupt();
                throw busy("interrupted while the work ran");
            }
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
        return ProblemException.busy(work + ": " + why + " (" + keys + ")", retry);
    }
}
