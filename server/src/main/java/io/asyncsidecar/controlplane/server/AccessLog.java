package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.asyncsidecar.controlplane.kit.JsonCodec;

/**
 * The access log (logger {@value #LOGGER}): one entry per request, written by a background thread so a request
 * never waits for the console. The queue is bounded; when it is full the entry is dropped and counted
 * ({@code controlplane_access_log_dropped_total} in {@code /metrics}) rather than blocking the request.
 *
 * <p>Entries hold the raw (still percent-encoded) path without the query string, so a {@code %0a} in a request
 * cannot forge a line, and never a token.
 */
final class AccessLog implements AutoCloseable {

    static final String LOGGER = "io.asyncsidecar.controlplane.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    /**
     * One request.
     *
     * @param method  the method
     * @param path    the raw path
     * @param status  the status sent
     * @param nanos   how long it took
     * @param subject the caller's subject, or null
     * @param tenant  the caller's tenant, or null
     * @param note    extra words (e.g. a WebSocket upgrade refused), or null
     */
    record Entry(String method, String path, int status, long nanos, String subject, String tenant, String note) {
    }

    private final AccessLogSettings settings;
    private final BlockingQueue<Entry> queue;
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;

    AccessLog(AccessLogSettings settings) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        if (settings.enabled()) {
            writer = Thread.ofPlatform().daemon().name("access-log").unstarted(this::drain);
            writer.start();
        } else {
            writer = null;
        }
    }

    /** @return whether a request to this path is logged */
    boolean wants(String path) {
        return settings.enabled() && !closed && !settings.excluded(path);
    }

    /**
     * Queues an entry; never blocks.
     *
     * @param entry the entry
     */
    void log(Entry entry) {
        if (!wants(entry.path())) {
            return;
        }
        if (!queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** @return entries dropped because the queue was full */
    long dropped() {
        return dropped.sum();
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drain() {
        List<Entry> batch = new ArrayList<>(256);
        while (true) {
            try {
                Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 255);
                    write(batch);
                    batch.clear();
                } else if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                queue.drainTo(batch);
                write(batch);
                return;
            }
        }
    }

    private void write(List<Entry> batch) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        for (Entry e : batch) {
            LOG.log(System.Logger.Level.INFO, format(e));
        }
    }

    String format(Entry e) {
        if (settings.format() == AccessLogSettings.Format.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", e.method());
            m.put("path", e.path());
            m.put("status", e.status());
            m.put("duration_ms", Math.round(e.nanos() / 1e4) / 100.0);
            m.put("subject", e.subject());
            m.put("tenant", e.tenant());
            if (e.note() != null) {
                m.put("note", e.note());
            }
            return JsonCodec.write(m);
        }
        return e.method() + " " + e.path() + " " + e.status() + " "
                + String.format(Locale.ROOT, "%.1fms", e.nanos() / 1e6)
                + " subject=" + (e.subject() == null ? "-" : e.subject())
                + " tenant=" + (e.tenant() == null ? "-" : e.tenant())
                + (e.note() == null ? "" : " (" + e.note() + ")");
    }
}
