package io.asyncsidecar.controlplane.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the HTTP requests being handled, so a shutdown can refuse new ones and wait for those in flight.
 * Helidon's own stop interrupts handler threads still running when it closes their connections; draining first
 * lets a long request (a 5 s scrape, a chart render) finish with its real answer.
 */
final class InFlightRequests {

    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** @return false when the server is draining and the request must be refused */
    boolean enter() {
        active.incrementAndGet();
        if (draining.get()) {
            active.decrementAndGet();
            return false;
        }
        return true;
    }

    void exit() {
        active.decrementAndGet();
    }

    boolean draining() {
        return draining.get();
    }

    /**
     * Refuses new requests and waits for those in flight.
     *
     * @param grace the longest wait
     * @return true when every request finished in time
     */
    boolean drain(Duration grace) {
        draining.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        while (active.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return active.get() == 0;
    }
}
