package io.asyncsidecar.controlplane.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.helidon.common.HelidonServiceLoader;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;

/**
 * The listener's HTTP/1.1 connections, each one a {@link GuardedConnection} over Helidon's own, and the thread that
 * closes those that take too long ({@link ConnectionSettings}): idle between requests, a request head that does not
 * complete (slowloris: one header byte every few seconds), a body whose bytes do not come. Helidon 4.2's own idle
 * timeout is checked every two minutes and only stops a connection between requests, so a client sending its
 * headers slowly held its connection for as long as it liked.
 *
 * <p>Registered as the listener's only connection selector (protocols are not discovered), it gets each connection
 * as soon as it is accepted, so one that never sends a byte is timed too; WebSocket upgrades go through the same
 * upgraders Helidon would use, and upgraded connections are left alone.
 */
final class ConnectionGuard implements ServerConnectionSelector, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());

    private final ConnectionSettings settings;
    private final ServerConnectionSelector http1;
    private final Set<GuardedConnection> open = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean closed;

    ConnectionGuard(ConnectionSettings settings) {
        this.settings = settings;
        this.http1 = http1Selector();
        this.watchdog = Thread.ofPlatform().daemon().name("connection-guard").unstarted(this::watch);
        watchdog.start();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        GuardedConnection c = new GuardedConnection(ctx, http1, open::remove);
        open.add(c);
        return c;
    }

    /** @return connections open now */
    int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }

    private void watch() {
        long tick = Math.clamp(Math.min(settings.idleTimeout().toNanos(), Math.min(settings.headTimeout().toNanos(),
                settings.bodyTimeout().toNanos())) / 4, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(1));
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (GuardedConnection c : open) {
                String overdue = c.overdue(now, settings);
                if (overdue != null) {
                    LOG.log(System.Logger.Level.DEBUG, "closing connection " + c.socketId() + ": " + overdue);
                    try {
                        c.expire();
                    } catch (RuntimeException e) {
                        // already closing; the watchdog must live on for the other connections
                        LOG.log(System.Logger.Level.DEBUG, "closing connection " + c.socketId() + " failed", e);
                    }
                }
            }
        }
    }

    /**
     * Helidon's HTTP/1.1 selector with the upgraders Helidon itself would find (WebSocket), each marking the
     * connection it upgrades so that the guard stops timing it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ServerConnectionSelector http1Selector() {
        ProtocolConfigs protocols = ProtocolConfigs.create(List.of(WsConfig.create()));
        Map<String, Http1Upgrader> upgraders = new LinkedHashMap<>();
        for (Http1UpgradeProvider provider : HelidonServiceLoader.create(ServiceLoader.load(Http1UpgradeProvider.class))
                .asList()) {
            for (Object config : protocols.config(provider.protocolType(), provider.protocolConfigType())) {
                Http1Upgrader upgrader = provider.create((ProtocolConfig) config, protocols);
                upgraders.putIfAbsent(upgrader.supportedProtocol(), GuardedConnection.marking(upgrader));
            }
        }
        return Http1ConnectionSelector.builder().config(Http1Config.create()).addUpgraders(upgraders).build();
    }
}
