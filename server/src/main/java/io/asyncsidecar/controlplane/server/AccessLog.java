package io.asyncsidecar.controlplane.server;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;

import io.asyncsidecar.controlplane.kit.JsonCodec;

/**
 * The access log (logger {@value #LOGGER}): one entry per request, written by a background thread so a request
 * never waits for the console. Lines go to standard output a batch per write, or, with {@code output: logger},
 * one java.util.logging record each; either way the logger's level in the logging configuration switches them off. The queue is bounded; when it is full the entry is dropped and counted
 * ({@code controlplane_access_log_dropped_total} in {@code /metrics}) rather than blocking the request.
 *
 * <p>Entries hold the raw (still percent-encoded) path without the query string, so a {@code %0a} in a request
 * cannot forge a line, and never a token.
 */
final class AccessLog implements AutoCloseable {

    static final String LOGGER = "io.asyncsidecar.controlplane.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.systemDefault());

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
     * @param epochMillis when the request ended
     */
    record Entry(String method, String path, int status, long nanos, String subject, String tenant, String note,
                 long epochMillis) {

        /**
         * An entry stamped now.
         *
         * @param method  the method
         * @param path    the raw path
         * @param status  the status sent
         * @param nanos   how long it took
         * @param subject the caller's subject, or null
         * @param tenant  the caller's tenant, or null
         * @param note    extra words, or null
         */
        Entry(String method, String path, int status, long nanos, String subject, String tenant, String note) {
            this(method, path, status, nanos, subject, tenant, note, System.currentTimeMillis());
        }
    }

    private final AccessLogSettings settings;
    // Lock-free: tens of thousands of requests a second offering to one lock would park each other.
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;
    // the writer thread's alone
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedPrefix = "";

    AccessLog(AccessLogSettings settings) {
        this.settings = settings;
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
        if (queued.incrementAndGet() > settings.queueSize()) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(entry);
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
            boolean stopping = closed || Thread.currentThread().isInterrupted();
            Entry e;
            while (batch.size() < 1024 && (e = queue.poll()) != null) {
                batch.add(e);
            }
            if (!batch.isEmpty()) {
                queued.addAndGet(-batch.size());
                write(batch);
                batch.clear();
                continue;
            }
            if (stopping) {
                return;
            }
            // Nothing queued: look again shortly. Entries wait at most this long; requests never wait.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private void write(List<Entry> batch) {
        if (!LOG.isLoggable(System.Logger.Level.INFO)) {
            return;
        }
        if (settings.output() == AccessLogSettings.Output.LOGGER) {
            for (Entry e : batch) {
                LOG.log(System.Logger.Level.INFO, format(e));
            }
            return;
        }
        StringBuilder out = new StringBuilder(batch.size() * 128);
        for (Entry e : batch) {
            if (settings.format() == AccessLogSettings.Format.TEXT) {
                appendTime(out, e.epochMillis()).append(" INFO ").append(LOGGER).append(": ");
            }
            out.append(format(e)).append(System.lineSeparator());
        }
        // One write per batch, as bytes; System.out is read each time so a test (or an embedding application)
        // may redirect it.
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
    }

    /**
     * One entry as its line, without the time prefix of the text format.
     *
     * @param e the entry
     * @return the line
     */
    String format(Entry e) {
        if (settings.format() == AccessLogSettings.Format.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ts", Instant.ofEpochMilli(e.epochMillis()).toString());
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
        long tenthsOfMillis = e.nanos() / 100_000;
        StringBuilder b = new StringBuilder(96).append(LogLineFormatter.escape(e.method())).append(' ')
                .append(LogLineFormatter.escape(e.path())).append(' ')
                .append(e.status()).append(' ').append(tenthsOfMillis / 10).append('.').append(tenthsOfMillis % 10)
                .append("ms subject=").append(e.subject() == null ? "-" : e.subject())
                .append(" tenant=").append(e.tenant() == null ? "-" : e.tenant());
        if (e.note() != null) {
            b.append(" (").append(LogLineFormatter.escape(e.note())).append(')');
        }
        return b.toString();
    }

    /** Local time to the millisecond, as the console log writes it; the date part is formatted once a second. */
    private StringBuilder appendTime(StringBuilder out, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedPrefix = SECONDS.format(Instant.ofEpochSecond(second));
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        out.append(cachedPrefix).append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        return out.append(millis);
    }
}
