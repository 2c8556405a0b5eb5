package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.plugins.audit.AuditSettings.LogRef;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;

import io.helidon.websocket.WsListener;

/**
 * {@code WS /ws/audit/tail}: new entries of the caller's tenant as they are appended, with the search's filters
 * ({@code q}, {@code subject}, {@code action}, {@code resource}, {@code since}, {@code until}) and {@code path}
 * as query parameters. One {@link LogWatcher} per log serves all its subscribers.
 */
final class AuditTail implements AutoCloseable {

    private static final Set<String> PARAMS = Set.of("q", "subject", "action", "resource", "since", "until", "path");

    private final AuditSettings settings;
    private final Path workspace;
    private final ExecutorService executor;
    private final Map<LogRef, LogWatcher> watchers = new ConcurrentHashMap<>();

    AuditTail(AuditSettings settings, Path workspace, ExecutorService executor) {
        this.settings = settings;
        this.workspace = workspace;
        this.executor = executor;
    }

    /**
     * Accepts an upgrade.
     *
     * @param upgrade the authenticated upgrade
     * @return the subscriber
     * @throws ProblemException 400 for a bad parameter, 404 when the log does not exist
     */
    WsListener open(SocketUpgrade upgrade) {
        Map<String, String> params = AuditRequest.params(upgrade.query(), PARAMS);
        LogRef log = AuditRequest.log(settings.logs(), workspace, params.get("path"));
        AuditQuery query = AuditQuery.parse(log, upgrade.caller().tenantId(), params);
        try {
            LogSet.list(log.path());
        } catch (NoSuchFileException e) {
            throw LogSearch.missing(log.path());
        } catch (IOException e) {
            throw LogSearch.unreadable(log.path(), e);
        }
        LogWatcher w = watchers.computeIfAbsent(log, l -> new LogWatcher(l, settings, executor));
        return new TailSubscriber(w, query, settings.fields(), executor);
    }

    @Override
    public void close() {
        watchers.values().forEach(LogWatcher::close);
    }
}
