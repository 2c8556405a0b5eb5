package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import jakarta.json.JsonObject;

/**
 * Phase 2 of the built-in runner: {@code concurrency} virtual users, each on its own kept-alive connection,
 * send the scenario's load mix for a fixed time.
 *
 * <p>Closed model (no target rate): each user sends its next request when the previous response arrived,
 * as wrk does; latency is measured from send to response. Open model (a target rate): requests are due at
 * fixed intervals whatever the target does, and latency is measured from the time a request was due, not
 * from when a free user sent it. A stalled target thus shows up in the percentiles instead of silently
 * lowering the request rate (coordinated omission, corrected as wrk2 does).
 */
final class LoadPhase {

    /**
     * One entry of the mix, ready to send.
     *
     * @param name   the step name
     * @param bytes  the encoded request
     * @param head   whether it is a HEAD request
     * @param expect the accepted statuses
     */
    record Request(String name, byte[] bytes, boolean head, Scenario.Expectation expect) {
    }

    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final URI target;
    private final List<Request> requests;
    private final int[] order;
    private final int concurrency;
    private final long durationNanos;
    private final double targetRate;
    private final int timeoutMillis;
    private final Queue<Http1Connection> connections = new ConcurrentLinkedQueue<>();
    private final AtomicLong tickets = new AtomicLong();
    private volatile boolean stop;
    private long startNanos;
    private long deadlineNanos;

    /**
     * A load phase.
     *
     * @param target      the base URL
     * @param requests    the distinct requests of the mix
     * @param weights     the weight of each request
     * @param concurrency virtual users
     * @param duration    how long to send
     * @param targetRate  requests per second for the open model, 0 for the closed model
     * @param timeout     connect and read timeout per request
     */
    LoadPhase(URI target, List<Request> requests, List<Integer> weights, int concurrency, Duration duration,
              double targetRate, Duration timeout) {
        this.target = target;
        this.requests = List.copyOf(requests);
        this.order = interleave(weights);
        this.concurrency = concurrency;
        this.durationNanos = duration.toNanos();
        this.targetRate = targetRate;
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    }

    /**
     * Runs the phase on the calling thread (the ticker) and {@code concurrency} virtual threads.
     *
     * @param perSecond receives each second's statistics, with the phase's so far ({@link LoadStats#withCumulative})
     * @param cancelled polled by the ticker; when true the users stop and connections are closed
     * @return the statistics
     * @throws InterruptedException when the calling thread is interrupted (the users are stopped first)
     */
    LoadStats run(Consumer<JsonObject> perSecond, BooleanSupplier cancelled) throws InterruptedException {
        List<String> names = new ArrayList<>();
        requests.forEach(r -> names.add(r.name()));
        LoadStats stats = new LoadStats(names);
        startNanos = System.nanoTime();
        deadlineNanos = startNanos + durationNanos;
        List<Thread> users = new ArrayList<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            int user = i;
            users.add(Thread.ofVirtual().name("load-user-" + i).start(() -> user(user, stats)));
        }
        try {
            int second = 0;
            long nextTick = startNanos + TICK_NANOS;
            // users alive when the current interval began: users only stop, so the most it had
            int activeAtStart = concurrency;
            while (true) {
                int alive = 0;
                for (Thread t : users) {
                    if (t.isAlive()) {
                        alive++;
                    }
                }
                long now = System.nanoTime();
                if (alive == 0) {
                    double elapsed = (now - startNanos) / 1e9;
                    stats.elapsed(elapsed);
                    JsonObject last = stats.tick(second + 1, (now - (nextTick - TICK_NANOS)) / 1e9, activeAtStart);
                    perSecond.accept(stats.withCumulative(last, elapsed));
                    return stats;
                }
                // The last second is closed when the users are done, so responses still in flight at the
                // deadline count in it rather than in a tiny interval of their own.
                if (now >= nextTick && nextTick < deadlineNanos) {
                    second++;
                    perSecond.accept(stats.withCumulative(stats.tick(second, 1.0, activeAtStart), second));
                    activeAtStart = alive;
                    nextTick += TICK_NANOS;
                    continue;
                }
                if (!stop && cancelled.getAsBoolean()) {
                    stopUsers();
                }
                LockSupport.parkNanos(nextTick > now ? Math.min(nextTick - now, POLL_NANOS) : POLL_NANOS / 10);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            stopUsers();
            for (Thread t : users) {
                t.join(timeoutMillis + 1000L);
            }
            throw e;
        }
    }

    /** Whether the phase was stopped before its time. */
    boolean stopped() {
        return stop;
    }

    private void stopUsers() {
        stop = true;
        // closing unblocks users waiting for a response
        connections.forEach(Http1Connection::close);
    }

    private void user(int index, LoadStats stats) {
        Http1Connection connection = new Http1Connection(target, timeoutMillis);
        connections.add(connection);
        boolean open = targetRate > 0;
        double intervalNanos = open ? 1e9 / targetRate : 0;
        int cursor = index % order.length;
        try {
            while (!stop) {
                int which = order[cursor];
                cursor = cursor + 1 == order.length ? 0 : cursor + 1;
                Request request = requests.get(which);
                long begin;
                if (open) {
                    begin = startNanos + (long) (tickets.getAndIncrement() * intervalNanos);
                    if (begin >= deadlineNanos) {
                        return;
                    }
                    long wait;
                    while ((wait = begin - System.nanoTime()) > 0 && !stop) {
                        LockSupport.parkNanos(wait);
                    }
                    if (stop) {
                        return;
                    }
                } else {
                    begin = System.nanoTime();
                    if (begin >= deadlineNanos) {
                        return;
                    }
                }
                LoadStats.StepMeter meter = stats.meter(which);
                try {
                    int status = connection.exchange(request.bytes(), request.head());
                    long end = System.nanoTime();
                    meter.response(status, (end - begin) / 1000, request.expect().accepts(status));
                } catch (IOException e) {
                    if (stop) {
                        return;
                    }
                    meter.exception(e);
                    // a target that refuses connections must not turn the users into a busy loop
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
        } finally {
            connection.close();
        }
    }

    /**
     * Spreads the steps over one cycle in proportion to their weights, interleaved (smooth weighted
     * round-robin) so that a heavy step does not come in one burst.
     */
    static int[] interleave(List<Integer> weights) {
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        int[] out = new int[total];
        int[] current = new int[weights.size()];
        for (int i = 0; i < total; i++) {
            int best = 0;
            for (int j = 0; j < weights.size(); j++) {
                current[j] += weights.get(j);
                if (current[j] > current[best]) {
                    best = j;
                }
            }
            current[best] -= total;
            out[i] = best;
        }
        return out;
    }
}
