package io.asyncsidecar.controlplane.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.concurrency.limits.LimitAlgorithm;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * One HTTP/1.1 connection as {@link ConnectionGuard} watches it: Helidon's connection over a context whose reader is
 * a {@link GuardedReader}. It knows whether it waits for a request (and since when, and whether a byte of it came),
 * handles one (between Helidon's taking a request permit and giving it back), or was upgraded to a WebSocket, and how
 * long the current request waited for its body's bytes.
 */
final class GuardedConnection implements ServerConnection, InterruptableTask<Void> {

    private final ConnectionContext ctx;
    private final ServerConnection delegate;
    private final Consumer<GuardedConnection> onEnd;

    private volatile boolean inRequest;
    private volatile boolean upgraded;
    private volatile long waitingSince = System.nanoTime();
    private volatile boolean headStarted;
    private volatile long headStartedAt;
    private volatile long readSince;
    private volatile boolean readBlocked;
    private volatile long bodyWaitedNanos;

    GuardedConnection(ConnectionContext ctx, ServerConnectionSelector http1, Consumer<GuardedConnection> onEnd) {
        this.ctx = ctx;
        this.onEnd = onEnd;
        this.delegate = http1.connection(new Context(ctx, new GuardedReader(ctx.dataReader(), this), this));
    }

    /** An upgrader that marks the connections it upgrades: a WebSocket may stay silent for as long as it likes. */
    static Http1Upgrader marking(Http1Upgrader upgrader) {
        return new Http1Upgrader() {
            @Override
            public String supportedProtocol() {
                return upgrader.supportedProtocol();
            }

            @Override
            public ServerConnection upgrade(ConnectionContext ctx, io.helidon.http.HttpPrologue prologue,
                                            io.helidon.http.WritableHeaders<?> headers) {
                ServerConnection upgradedTo = upgrader.upgrade(ctx, prologue, headers);
                if (upgradedTo != null && ctx instanceof Context c) {
                    c.connection.upgraded = true;
                }
                return upgradedTo;
            }
        };
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            delegate.handle(new TrackingLimit(limit));
        } finally {
            onEnd.accept(this);
        }
    }

    @Override
    public Duration idleTime() {
        return delegate.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        delegate.close(interrupt);
    }

    @Override
    public boolean canInterrupt() {
        return delegate instanceof InterruptableTask<?> t && t.canInterrupt();
    }

    String socketId() {
        return ctx.socketId() + " " + ctx.childSocketId();
    }

    /**
     * Which limit this connection has passed, if any.
     *
     * @param now      {@link System#nanoTime()}
     * @param settings the limits
     * @return why it must close, or null
     */
    String overdue(long now, ConnectionSettings settings) {
        if (upgraded) {
            return null;
        }
        if (inRequest) {
            long waited = bodyWaitedNanos + (readBlocked ? now - readSince : 0);
            return waited > settings.bodyTimeout().toNanos() ? "request body not read within " + settings.bodyTimeout()
                    : null;
        }
        if (headStarted) {
            return now - headStartedAt > settings.headTimeout().toNanos()
                    ? "request head not complete within " + settings.headTimeout() : null;
        }
        return now - waitingSince > settings.idleTimeout().toNanos() ? "idle for " + settings.idleTimeout() : null;
    }

    /** Closes the socket under the connection: its blocked read fails and Helidon ends the connection. */
    void expire() {
        delegate.close(true);
        ctx.serverSocket().close();
    }

    void reading() {
        readSince = System.nanoTime();
        readBlocked = true;
    }

    void read() {
        long now = System.nanoTime();
        readBlocked = false;
        if (inRequest) {
            bodyWaitedNanos += now - readSince;
        } else if (!headStarted) {
            headStartedAt = now;
            headStarted = true;
        }
    }

    private void requestStarted() {
        bodyWaitedNanos = 0;
        inRequest = true;
    }

    private void requestEnded() {
        headStarted = false;
        waitingSince = System.nanoTime();
        inRequest = false;
    }

    /** Helidon takes a permit of the request limit when a request's head is read and gives it back after it. */
    private final class TrackingLimit implements Limit {
        private final Limit limit;

        TrackingLimit(Limit limit) {
            this.limit = limit;
        }

        @Override
        public Optional<LimitAlgorithm.Token> tryAcquire() {
            return track(limit.tryAcquire());
        }

        @Override
        public Optional<LimitAlgorithm.Token> tryAcquire(boolean wait) {
            return track(limit.tryAcquire(wait));
        }

        private Optional<LimitAlgorithm.Token> track(Optional<LimitAlgorithm.Token> token) {
            return token.map(t -> {
                requestStarted();
                return new LimitAlgorithm.Token() {
                    @Override
                    public void dropped() {
                        requestEnded();
                        t.dropped();
                    }

                    @Override
                    public void ignore() {
                        requestEnded();
                        t.ignore();
                    }

                    @Override
                    public void success() {
                        requestEnded();
                        t.success();
                    }
                };
            });
        }

        @Override
        public Limit copy() {
            return new TrackingLimit(limit.copy());
        }

        @Override
        public void init(String socketName) {
            limit.init(socketName);
        }

        @Override
        public String name() {
            return limit.name();
        }

        @Override
        public String type() {
            return limit.type();
        }
    }

    /** Helidon's connection context with the guarded reader. */
    private static final class Context implements ConnectionContext {
        private final ConnectionContext ctx;
        private final DataReader reader;
        private final GuardedConnection connection;

        Context(ConnectionContext ctx, DataReader reader, GuardedConnection connection) {
            this.ctx = ctx;
            this.reader = reader;
            this.connection = connection;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }
}
