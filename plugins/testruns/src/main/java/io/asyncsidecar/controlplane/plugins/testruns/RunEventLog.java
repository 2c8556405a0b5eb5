package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * The event history of one run: an append-only list of JSON messages numbered by {@code seq} (from 1),
 * written to {@code events.jsonl} and kept in memory while the run is live so that WebSocket subscribers read
 * it by cursor. Appending never waits for a subscriber.
 *
 * <p>Writers (the run's threads) encode an event's fields, then number and write it under a lock; readers take
 * no lock: an event is stored before {@code lastSeq} (volatile) is advanced past it, so a reader that has read
 * {@code lastSeq} sees every event up to it. Waiting readers park and are unparked by the writer, so hundreds of
 * subscribers woken by one event do not queue on a lock.
 *
 * <p>Durability: lines go to a buffered writer that is flushed to the OS at every status change and by the
 * {@link EventLogFlusher} every {@code flush-interval-millis}, so a {@code kill -9} loses at most that interval.
 * (A flush is not an fsync: a power loss can lose more; process crashes are the case this covers.)
 */
final class RunEventLog {

    /** A slice of events for a subscriber. */
    record Batch(List<String> events, long lastSeq, boolean closed) {
    }

    private static final int CHUNK = 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final long firstSeq;
    private final Set<RunSubscriber> subscribers = new CopyOnWriteArraySet<>();
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private final int maxLogLines;
    /** Events in chunks of {@link #CHUNK}; the directory is replaced (copied) when it grows. */
    private volatile String[][] chunks = new String[4][];
    private volatile long lastSeq;
    private volatile boolean closed;
    private BufferedWriter writer;
    private boolean dirty;
    private int logLines;
    private long droppedLogLines;

    private RunEventLog(Path file, long lastSeq, int maxLogLines) {
        this.firstSeq = lastSeq + 1;
        this.lastSeq = lastSeq;
        this.maxLogLines = maxLogLines;
        try {
            // a stream, not a channel: a FileChannel is closed for good when its writer thread is interrupted
            this.writer = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new, empty log.
     *
     * @param file        the events file to create
     * @param maxLogLines log events kept before further lines are only counted
     * @return the log
     */
    static RunEventLog create(Path file, int maxLogLines) {
        return new RunEventLog(file, 0, maxLogLines);
    }

    /**
     * Reopens the log of a run found on disk, to append its last events (interrupted); a torn last line,
     * from a crash in mid-write, is cut off first.
     *
     * @param file the events file
     * @return the log, continuing the numbering
     * @throws IOException when the file cannot be read or repaired
     */
    static RunEventLog reopen(Path file) throws IOException {
        return reopen(file, Integer.MAX_VALUE);
    }

    private static RunEventLog reopen(Path file, int maxLogLines) throws IOException {
        long last = 0;
        if (Files.exists(file)) {
            repairTail(file);
            List<String> lines = read(file);
            if (!lines.isEmpty()) {
                last = seqOf(lines.get(lines.size() - 1));
            }
        }
        return new RunEventLog(file, last, maxLogLines);
    }

    /**
     * Reopens the log of a run found on disk to go on with it (a queued run run after a restart), with its
     * earlier events in memory, so that a subscriber gets them as from a run that never stopped.
     *
     * @param file        the events file
     * @param maxLogLines log events kept from now on before further lines are only counted
     * @return the log, continuing the numbering
     * @throws IOException when the file cannot be read or repaired
     */
    static RunEventLog resume(Path file, int maxLogLines) throws IOException {
        if (Files.exists(file)) {
            repairTail(file);
        }
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            if (!numbered(lines.get(i), i + 1)) {
                return reopen(file, maxLogLines); // not numbered as this class writes: only appended to
            }
        }
        RunEventLog log = new RunEventLog(file, 0, maxLogLines);
        for (int i = 0; i < lines.size(); i++) {
            log.store(i + 1, lines.get(i));
        }
        log.lastSeq = lines.size();
        return log;
    }

    /**
     * Reads a finished run's events.
     *
     * @param file the events file
     * @return its complete lines (a torn last line is left out)
     * @throws IOException on read errors
     */
    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        int nl;
        while ((nl = text.indexOf('\n', start)) >= 0) {
            if (nl > start) {
                out.add(text.substring(start, nl));
            }
            start = nl + 1;
        }
        return out;
    }

    private static boolean numbered(String event, long seq) {
        try {
            return seqOf(event) == seq;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static long seqOf(String event) {
        // "{"seq":123,..." is how append writes every line
        int colon = event.indexOf(':');
        int comma = event.indexOf(',', colon);
        return Long.parseLong(event.substring(colon + 1, comma).trim());
    }

    private static void repairTail(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long length = raf.length();
            long pos = length;
            while (pos > 0) {
                raf.seek(pos - 1);
                if (raf.read() == '\n') {
                    break;
                }
                pos--;
            }
            if (pos != length) {
                raf.setLength(pos);
            }
        }
    }

    /**
     * Appends an event.
     *
     * @param type   the message type
     * @param fields its other fields (neither {@code seq} nor {@code type})
     * @return the event's sequence number, or -1 for a log line beyond the limit
     */
    long append(String type, JsonObject fields) {
        return append(type, fields, false);
    }

    /**
     * Appends an event and flushes the file at once (status changes).
     *
     * @param type   the message type
     * @param fields its other fields
     * @return the sequence number
     */
    long appendAndFlush(String type, JsonObject fields) {
        return append(type, fields, true);
    }

    private long append(String type, JsonObject fields, boolean flush) {
        // encoded before taking the lock, so the run's threads wait on each other only to number and write;
        // the ts is still taken under it, to rise with seq
        String quotedType = JsonCodec.value(type).toString();
        String body = JsonCodec.write(fields);
        boolean stamp = !fields.containsKey("ts");
        long seq;
        lock.lock();
        try {
            if (closed) {
                return -1;
            }
            if ("log".equals(type) && ++logLines > maxLogLines) {
                droppedLogLines++;
                return -1;
            }
            seq = lastSeq + 1;
            String line = line(seq, quotedType, stamp, body);
            store(seq, line);
            lastSeq = seq; // publishes the event to readers
            try {
                writer.write(line);
                writer.write('\n');
                dirty = true;
                if (flush) {
                    flushLocked();
                }
            } catch (IOException e) {
                // the in-memory history and the stream go on; the file is best effort after a disk error
                dirty = false;
            }
        } finally {
            lock.unlock();
        }
        wakeReaders();
        return seq;
    }

    /** {@code {"seq":n,"type":t,"ts":now,<the fields>}}: seq first, because {@link #seqOf} reads it there. */
    private static String line(long seq, String quotedType, boolean stamp, String body) {
        StringBuilder line = new StringBuilder(body.length() + 64)
                .append("{\"seq\":").append(seq).append(",\"type\":").append(quotedType);
        if (stamp) {
            // written as JSON-P writes the number (1796177696.587), not as Double.toString would (1.796177696587E9)
            line.append(",\"ts\":").append(JsonCodec.value(epochSeconds(Instant.now())));
        }
        if (body.length() > 2) {
            line.append(',');
        }
        return line.append(body, 1, body.length()).toString();
    }

    private void store(long seq, String line) {
        int index = (int) (seq - firstSeq);
        int chunk = index / CHUNK;
        String[][] dir = chunks;
        if (chunk >= dir.length) {
            dir = Arrays.copyOf(dir, dir.length * 2);
        }
        if (dir[chunk] == null) {
            dir[chunk] = new String[CHUNK];
        }
        dir[chunk][index % CHUNK] = line;
        chunks = dir;
    }

    private void wakeReaders() {
        for (Thread t : waiting) {
            LockSupport.unpark(t);
        }
    }

    /** Flushes buffered lines to the file, if any. */
    void flush() {
        lock.lock();
        try {
            if (dirty && !closed) {
                flushLocked();
            }
        } catch (IOException e) {
            dirty = false;
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() throws IOException {
        writer.flush();
        dirty = false;
    }

    /**
     * Ends the log: notes dropped log lines, flushes, closes the file and wakes subscribers so they finish.
     */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (droppedLogLines > 0) {
                logLines = Integer.MIN_VALUE;
                append("log", fields("stream", "runner",
                        "line", droppedLogLines + " further log lines were not kept (max-log-lines)"));
            }
            closed = true;
            try {
                writer.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
        } finally {
            lock.unlock();
        }
        wakeReaders();
    }

    /**
     * The last sequence number written.
     *
     * @return 0 when empty
     */
    long lastSeq() {
        return lastSeq;
    }

    /**
     * Waits for events after a cursor. Takes no lock.
     *
     * @param after      the last sequence number the caller has
     * @param maxEvents  most events to return
     * @param waitMillis how long to wait when there are none
     * @return the events after {@code after} (possibly none), the last sequence number and whether the log
     *         is closed (then no event follows the returned last sequence number)
     * @throws InterruptedException when interrupted while waiting
     */
    Batch await(long after, int maxEvents, long waitMillis) throws InterruptedException {
        if (lastSeq <= after && !closed) {
            Thread self = Thread.currentThread();
            waiting.add(self);
            try {
                // re-checked after registering: an append in between either is seen here or unparks us
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
                long left;
                while (lastSeq <= after && !closed && (left = deadline - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(this, left);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            } finally {
                waiting.remove(self);
            }
        }
        boolean done = closed; // read before lastSeq: once closed, lastSeq is final
        long last = lastSeq;
        String[][] dir = chunks;
        long from = Math.max(after + 1, firstSeq);
        long to = Math.min(last, from + maxEvents - 1);
        List<String> slice = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            int index = (int) (seq - firstSeq);
            slice.add(dir[index / CHUNK][index % CHUNK]);
        }
        return new Batch(slice, last, done);
    }

    /** @return whether the log was closed (the run finished) */
    boolean isClosed() {
        return closed;
    }

    /** @return the live subscribers, for the lag watchdog */
    Set<RunSubscriber> subscribers() {
        return subscribers;
    }

    /**
     * The {@code ts} of messages: epoch seconds with millisecond precision, as the seed's {@code time.time()}.
     *
     * @param t an instant
     * @return seconds since the epoch
     */
    static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /**
     * A JSON object from alternating names and values (strings, numbers, booleans, JSON values or null).
     *
     * @param keyValues name, value, name, value, ...
     * @return the object
     */
    static JsonObject fields(Object... keyValues) {
        JsonObjectBuilder b = JsonCodec.objectBuilder();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            String k = (String) keyValues[i];
            switch (v) {
                case null -> b.add(k, JsonValue.NULL);
                case String s -> b.add(k, s);
                case Integer n -> b.add(k, n);
                case Long n -> b.add(k, n);
                case Double n -> b.add(k, n);
                case Boolean f -> b.add(k, f);
                case JsonValue j -> b.add(k, j);
                default -> b.add(k, v.toString());
            }
        }
        return b.build();
    }
}
