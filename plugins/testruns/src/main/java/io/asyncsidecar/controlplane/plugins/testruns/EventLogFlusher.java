package io.asyncsidecar.controlplane.plugins.testruns;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One virtual thread that, every {@code flush-interval-millis}, flushes the event files of live runs (so a
 * kill -9 loses at most that interval) and checks each stream subscriber's lag. A finished run's log stays
 * watched while subscribers still read it.
 */
final class EventLogFlusher implements AutoCloseable {

    private final Duration interval;
    private final int streamMaxLag;
    private final Set<RunEventLog> watched = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Thread thread;

    EventLogFlusher(Duration interval, int streamMaxLag) {
        this.interval = interval;
        this.streamMaxLag = streamMaxLag;
    }

    /**
     * Watches a run's log until it is closed and has no subscriber left.
     *
     * @param log the log
     */
    void watch(RunEventLog log) {
        watched.add(log);
    }

    /** Starts the thread. */
    void start() {
        thread = Thread.ofVirtual().name("testruns-flusher").start(this::loop);
    }

    private void loop() {
        long millis = interval.toMillis();
        while (!closed) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            for (RunEventLog log : watched) {
                log.flush();
                long last = log.lastSeq();
                for (RunSubscriber s : log.subscribers()) {
                    s.checkLag(last, streamMaxLag);
                }
                if (log.isClosed() && log.subscribers().isEmpty()) {
                    watched.remove(log);
                }
            }
        }
    }

    /** Stops the thread; logs still open are flushed by their runs' ends. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
