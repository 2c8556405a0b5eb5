package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.PluginSockets;

/**
 * The {@code audit} plugin: {@code GET /api/audit/search} over the audit log (JSONL) and its rotated siblings,
 * and the live tail at {@code WS /ws/audit/tail}, both for the caller's tenant only, with secrets scrubbed from
 * every entry on the way out. Both need scope {@code security.read}.
 *
 * <p>Scanning runs on a pool of {@code scan-threads} platform threads of its own rather than on virtual threads:
 * a scan is CPU-bound and never blocks, so on virtual threads it would hold the carriers the server's request
 * threads need, while the operating system shares platform threads fairly.
 */
public final class AuditPlugin implements Plugin {

    private ExecutorService scanPool;
    private AuditSearchApi api;
    private AuditTail tail;

    /** Creates the plugin; {@link #init} does the work. */
    public AuditPlugin() {
    }

    @Override
    public String id() {
        return "audit";
    }

    @Override
    public void init(PluginContext context) throws IOException {
        AuditSettings settings = AuditSettings.create(context.config(), context.workspace());
        WorkspacePaths.warnIfMissing(context, "plugins.audit.path", settings.logs().getFirst().configured());
        Path temporary = context.dataDirectory().resolve("tmp");
        clean(temporary);
        AtomicInteger n = new AtomicInteger();
        scanPool = Executors.newFixedThreadPool(settings.scanThreads(), r -> {
            Thread t = new Thread(r, "audit-scan-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        BufferPool buffers = new BufferPool(settings.maxLineBytes() + LineScanner.BLOCK, settings.scanThreads() * 2);
        api = new AuditSearchApi(settings, context.workspace(), new LogSearch(settings, scanPool, buffers, temporary));
        tail = new AuditTail(settings, context.workspace(), context.executor());
    }

    /** Removes what an export killed with the server left behind. */
    private static void clean(Path temporary) throws IOException {
        if (!Files.isDirectory(temporary)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(temporary, "inflate-*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void routes(PluginRoutes routes) {
        api.routes(routes);
    }

    @Override
    public void sockets(PluginSockets sockets) {
        sockets.endpoint("/tail", AuditSearchApi.READ, tail::open);
    }

    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
        if (scanPool != null) {
            scanPool.shutdownNow();
        }
    }
}
