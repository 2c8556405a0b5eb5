package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;

import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * One WebSocket subscriber of {@code /ws/testruns/{id}/stream}.
 *
 * <p>The first message is the run's current state ({@code {"type":"state","seq":n,"run":{...}}}, where
 * {@code n} is the last event already reflected in it); then events follow in {@code seq} order: after
 * {@code ?since=<seq>} when given (a reconnecting client), else only new ones. A finished run replays its
 * events (all of them, or those after {@code since}) and the socket is closed normally (1000).
 *
 * <p>Each subscriber reads the run's event log by its own cursor on its own virtual thread, so the run never
 * waits for it, and a burst of events (an external runner dumping its output) costs a subscriber nothing but
 * the time to send them. The {@link EventLogFlusher} checks every subscriber: one that, a second later, is still
 * more than {@code stream-max-lag} events behind where the run was is too slow and is closed with 1008 and a
 * reason naming the {@code since} to reconnect with; one still stuck in a blocked write a second after that is
 * cut off.
 */
final class RunSubscriber implements WsListener {

    private static final int BATCH = 256;
    private static final long WAIT_MILLIS = 1000;
    private static final long WINDOW_NANOS = 1_000_000_000L;
    /**
     * Pause between a finished run's last event and the close: every subscriber of the run reaches the end at
     * once, and the closing handshakes of hundreds of sockets would otherwise delay the final events of the
     * others (measured with 500 subscribers: summary lag p50 0.3 s without the pause).
     */
    private static final long CLOSE_LINGER_MILLIS = 250;

    private final RunHistory history;
    private final ExecutorService executor;
    private final TestRun run;
    private final Long since;
    private volatile WsSession session;
    private volatile boolean closed;
    private volatile long cursor;
    private volatile boolean dropRequested;
    private long headMark;
    private long markNanos = System.nanoTime();

    private RunSubscriber(RunHistory history, ExecutorService executor, TestRun run, Long since) {
        this.history = history;
        this.executor = executor;
        this.run = run;
        this.since = since;
    }

    /**
     * Accepts an upgrade for a run of the caller's tenant.
     *
     * @param history  the runs
     * @param executor runs the subscriber's sender
     * @param upgrade  the authenticated upgrade
     * @return the listener
     * @throws ProblemException 404 for an unknown run or one of another tenant, 400 for a bad {@code since}
     */
    static RunSubscriber open(RunHistory history, ExecutorService executor, SocketUpgrade upgrade) {
        TestRun run = history.get(upgrade.caller().tenantId(), upgrade.pathParam("id"));
        Long since = null;
        if (upgrade.queryParam("since").isPresent()) {
            String raw = upgrade.queryParam("since").get();
            try {
                since = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                since = -1L;
            }
            if (since < 0) {
                throw ProblemException.badRequest("'since' must be a sequence number >= 0, got '" + raw + "'")
                        .with("field", "since");
            }
        }
        return new RunSubscriber(history, executor, run, since);
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        executor.execute(this::deliver);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        closed = true;
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        closed = true;
    }

    /**
     * The watchdog's check, called by one thread every flush interval: a subscriber that has not delivered
     * what the run had produced a second ago, less {@code maxLag} events, is asked to close; one that did not
     * manage to (blocked in a write to a client that reads nothing) is terminated.
     *
     * @param head   the log's last sequence number now
     * @param maxLag the allowed backlog
     */
    void checkLag(long head, int maxLag) {
        WsSession s = session;
        long now = System.nanoTime();
        if (closed || s == null || now - markNanos < WINDOW_NANOS) {
            return;
        }
        if (dropRequested) {
            closed = true;
            s.terminate();
        } else if (cursor + maxLag < headMark) {
            dropRequested = true;
        }
        headMark = head;
        markNanos = now;
    }

    private void deliver() {
        try {
            RunEventLog log = run.liveLog();
            if (log != null) {
                long joined = log.lastSeq();
                cursor = since == null ? joined : Math.min(since, joined);
                log.subscribers().add(this);
                try {
                    live(log, joined);
                } finally {
                    log.subscribers().remove(this);
                }
            } else {
                replay();
            }
        } catch (RuntimeException e) {
            // mostly a client that went away in mid-send; else (events deleted by retention meanwhile) say so
            closed = true;
            try {
                session.close(WsCloseCodes.UNEXPECTED_CONDITION, "stream failed");
            } catch (RuntimeException ignored) {
                // the connection is gone already
            }
        } catch (InterruptedException e) {
            closed = true;
            Thread.currentThread().interrupt();
        }
    }

    private void live(RunEventLog log, long joined) throws InterruptedException {
        session.send(state(joined), true);
        while (!closed) {
            RunEventLog.Batch batch = log.await(cursor, BATCH, WAIT_MILLIS);
            for (String event : batch.events()) {
                if (closed) {
                    return;
                }
                if (dropRequested) {
                    closed = true;
                    session.close(WsCloseCodes.VIOLATED_POLICY, "subscriber too slow; reconnect with since="
                            + cursor);
                    return;
                }
                session.send(event, true);
                cursor++;
            }
            if (batch.closed() && cursor >= batch.lastSeq()) {
                Thread.sleep(CLOSE_LINGER_MILLIS);
                closed = true;
                session.close(WsCloseCodes.NORMAL_CLOSE, "run finished");
                return;
            }
        }
    }

    private void replay() {
        List<String> events;
        try {
            events = RunEventLog.read(history.eventsFile(run.id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long last = events.isEmpty() ? 0 : RunEventLog.seqOf(events.get(events.size() - 1));
        session.send(state(last), true);
        long from = since == null ? 0 : since;
        for (String event : events) {
            if (closed) {
                return;
            }
            if (RunEventLog.seqOf(event) > from) {
                session.send(event, true);
            }
        }
        closed = true;
        session.close(WsCloseCodes.NORMAL_CLOSE, "run finished");
    }

    private String state(long seq) {
        return RunEventLog.fields("seq", seq, "type", "state", "ts", RunEventLog.epochSeconds(Instant.now()),
                "run", run.toJson()).toString();
    }
}
