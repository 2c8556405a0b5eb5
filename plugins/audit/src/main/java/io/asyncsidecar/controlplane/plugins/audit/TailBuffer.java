package io.asyncsidecar.controlplane.plugins.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.json.JsonObject;

/**
 * The entries a tailed log recently gained, numbered, for its subscribers to read each at its own pace. It keeps
 * at most {@code maxBytes} of raw lines: a subscriber further behind than that has lost entries and is dropped.
 */
final class TailBuffer {

    /**
     * An entry, or a notice for every subscriber (a rotation) when {@code raw} is null.
     *
     * @param seq     its number, from 1
     * @param raw     the entry as written, or null for a notice
     * @param shown   the entry scrubbed, or null for a notice
     * @param message the WebSocket message to send
     * @param bytes   raw line bytes (what the buffer's bound counts)
     */
    record Entry(long seq, JsonObject raw, JsonObject shown, String message, int bytes) {
    }

    /**
     * What a subscriber gets from {@link #await}.
     *
     * @param entries the entries after the one asked for
     * @param lost    true when entries after that one were already dropped from the buffer
     */
    record Batch(List<Entry> entries, boolean lost) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    // entries[head..] are kept; the list is compacted when the dropped front grows as large as the rest
    private final ArrayList<Entry> entries = new ArrayList<>();
    private int head;
    private final long maxBytes;
    private long bytes;
    private long lastSeq;

    TailBuffer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void append(JsonObject raw, JsonObject shown, String message, int rawBytes) {
        lock.lock();
        try {
            entries.add(new Entry(++lastSeq, raw, shown, message, rawBytes));
            bytes += rawBytes;
            while (bytes > maxBytes && entries.size() - head > 1) {
                bytes -= entries.get(head).bytes();
                entries.set(head++, null);
            }
            if (head > 1024 && head > entries.size() / 2) {
                entries.subList(0, head).clear();
                head = 0;
            }
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entries after one, waiting a while when there are none.
     *
     * @param after  the last entry the caller has
     * @param max    most entries returned
     * @param millis how long to wait
     * @return the batch (possibly empty)
     * @throws InterruptedException when interrupted
     */
    Batch await(long after, int max, long millis) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (lastSeq <= after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Batch(List.of(), false);
                }
                added.awaitNanos(left);
            }
            long firstSeq = lastSeq - (entries.size() - head) + 1;
            if (firstSeq > after + 1) {
                return new Batch(List.of(), true);
            }
            int from = head + (int) (after + 1 - firstSeq);
            int to = (int) Math.min(entries.size(), (long) from + max);
            return new Batch(List.copyOf(entries.subList(from, to)), false);
        } finally {
            lock.unlock();
        }
    }
}
