package io.asyncsidecar.controlplane.plugins.audit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import io.helidon.webserver.ConnectionContext;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * One subscriber of {@code /ws/audit/tail}: first {@code {"type":"tailing","log":...,"filters":{...}}}, then
 * {@code {"type":"entry","entry":{...}}} for each new matching entry of the caller's tenant (scrubbed), and
 * {@code {"type":"rotated","how":"renamed"|"truncated"}} when the log rotates.
 *
 * <p>Like the test-run stream, the subscriber reads the log's {@link TailBuffer} by its own cursor on its own
 * virtual thread, so the log's watcher never waits for it. One still more than {@code tail.max-lag} entries behind
 * where the log was a second earlier, or which fell out of the buffer, is closed with 1008 ("subscriber too slow;
 * reconnect"); one whose connection takes no close frame within {@code tail.close-timeout-millis} (a client that
 * stopped reading, its socket buffers full) has its connection cut.
 */
final class TailSubscriber implements WsListener {

    private static final System.Logger LOG = System.getLogger(TailSubscriber.class.getName());
    private static final int BATCH = 256;
    private static final long WAIT_MILLIS = 1000;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final LogWatcher watcher;
    private final AuditQuery query;
    private final EntryFields fields;
    private final ExecutorService executor;
    private volatile WsSession session;
    private volatile boolean closed;
    private volatile boolean dropRequested;
    private volatile long cursor;
    private long dropNanos;
    private long headMark = -1;
    private long markNanos = System.nanoTime();

    TailSubscriber(LogWatcher watcher, AuditQuery query, EntryFields fields, ExecutorService executor) {
        this.watcher = watcher;
        this.query = query;
        this.fields = fields;
        this.executor = executor;
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        executor.execute(this::deliver);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        closed = true;
        watcher.unsubscribe(this);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        closed = true;
        watcher.unsubscribe(this);
    }

    /**
     * The watcher's check, once a poll: asks a subscriber that is too far behind to close, and cuts the
     * connection of one that did not manage to.
     *
     * @param head         the buffer's last sequence number now
     * @param maxLag       entries a subscriber may be behind a second later
     * @param closeTimeout how long a dropped subscriber's close may take
     */
    void checkLag(long head, int maxLag, Duration closeTimeout) {
        WsSession s = session;
        if (closed || s == null) {
            return;
        }
        long now = System.nanoTime();
        if (dropRequested) {
            if (now - dropNanos >= closeTimeout.toNanos()) {
                cut(s);
            }
            return;
        }
        if (now - markNanos < WINDOW_NANOS) {
            return;
        }
        if (headMark >= 0 && cursor + maxLag < headMark) {
            drop();
        }
        headMark = head;
        markNanos = now;
    }

    /** The server is stopping. */
    void goingAway() {
        WsSession s = session;
        if (!closed && s != null) {
            closed = true;
            try {
                s.close(WsCloseCodes.GOING_AWAY, "server stopping");
            } catch (RuntimeException ignored) {
                // gone already
            }
        }
    }

    private void drop() {
        dropNanos = System.nanoTime();
        dropRequested = true;
    }

    private void deliver() {
        TailBuffer buffer = watcher.buffer();
        try {
            cursor = watcher.subscribe(this);
            session.send(hello(), true);
            while (!closed) {
                TailBuffer.Batch batch = buffer.await(cursor, BATCH, WAIT_MILLIS);
                if (batch.lost()) {
                    drop();
                }
                for (TailBuffer.Entry e : batch.entries()) {
                    if (closed) {
                        return;
                    }
                    if (dropRequested) {
                        break;
                    }
                    if (e.raw() == null || query.selects(fields, e.raw(), e.shown())) {
                        session.send(e.message(), true);
                    }
                    cursor = e.seq();
                }
                if (dropRequested) {
                    closed = true;
                    session.close(WsCloseCodes.VIOLATED_POLICY, "subscriber too slow; reconnect");
                    return;
                }
            }
        } catch (InterruptedException e) {
            closed = true;
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // mostly a client that went away in mid-send, or a connection cut by checkLag
            closed = true;
        } finally {
            watcher.unsubscribe(this);
        }
    }

    /** Cuts a connection that takes nothing any more: closing its socket ends the blocked write. */
    private void cut(WsSession s) {
        closed = true;
        watcher.unsubscribe(this);
        try {
            if (s.socketContext() instanceof ConnectionContext c) {
                c.serverSocket().close();
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "audit tail: closing a stuck socket: " + e);
        }
        try {
            s.terminate();
        } catch (RuntimeException ignored) {
            // the connection is gone
        }
    }

    private String hello() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "tailing");
        m.put("log", watcher.log().configured());
        m.put("filters", query.describe());
        return JsonCodec.write(m);
    }
}
