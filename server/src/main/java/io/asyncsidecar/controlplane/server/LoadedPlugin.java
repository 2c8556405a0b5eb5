package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * One plugin the server found, whatever became of it: active, failed with a reason, or disabled.
 */
final class LoadedPlugin {

    /** What became of a plugin. */
    enum Status {
        ACTIVE, FAILED, DISABLED;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final String source;
    private final Plugin plugin;
    private final ClassLoader loader;
    private final List<DeclaredRoute> routes = new ArrayList<>();
    private final List<DeclaredSocket> sockets = new ArrayList<>();
    private Status status;
    private String reason;
    private ExecutorService executor;
    private WorkspaceCheck check;
    private String checkProblem;
    private String spiVersion;

    LoadedPlugin(String id, String source, Plugin plugin, ClassLoader loader, Status status, String reason) {
        this.id = id;
        this.source = source;
        this.plugin = plugin;
        this.loader = loader;
        this.status = status;
        this.reason = reason;
    }

    static LoadedPlugin failed(String id, String source, String reason) {
        return new LoadedPlugin(id, source, null, null, Status.FAILED, reason);
    }

    static LoadedPlugin disabled(String id, String source, String reason) {
        return new LoadedPlugin(id, source, null, null, Status.DISABLED, reason);
    }

    String id() {
        return id;
    }

    /**
     * Records the SPI version the plugin's manifest says it was built against.
     *
     * @param declared the manifest value as written, or null when it has none
     * @return this
     */
    LoadedPlugin builtAgainst(String declared) {
        this.spiVersion = declared;
        return this;
    }

    /** @return the SPI version from the plugin's manifest, or null (class-path plugin, or no entry) */
    String spiVersion() {
        return spiVersion;
    }

    String source() {
        return source;
    }

    Plugin plugin() {
        return plugin;
    }

    ClassLoader loader() {
        return loader;
    }

    Status status() {
        return status;
    }

    String reason() {
        return reason;
    }

    String version() {
        if (plugin == null) {
            return "unknown";
        }
        try {
            return plugin.version();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    List<DeclaredRoute> routes() {
        return routes;
    }

    List<DeclaredSocket> sockets() {
        return sockets;
    }

    void executor(ExecutorService executor) {
        this.executor = executor;
    }

    ExecutorService executor() {
        return executor;
    }

    /**
     * Records the plugin's answer to {@link Plugin#workspaceCheck()}, asked once after postInit.
     *
     * @param check   the check, or null for none
     * @param problem why asking failed, or null
     */
    void workspaceCheck(WorkspaceCheck check, String problem) {
        this.check = check;
        this.checkProblem = problem;
    }

    /** @return the plugin's workspace check, when it offers one */
    Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.ofNullable(check);
    }

    /** @return why {@link Plugin#workspaceCheck()} failed, or null */
    String checkProblem() {
        return checkProblem;
    }

    void fail(String why) {
        this.status = Status.FAILED;
        this.reason = why;
        this.check = null;
        routes.clear();
        sockets.clear();
    }

    /** Closes the plugin and stops its executor; a plugin that throws from close is logged, not rethrown. */
    void release() {
        if (plugin != null) {
            try {
                plugin.close();
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(LoadedPlugin.class.getName()).log(System.Logger.Level.WARNING,
                        "plugin " + id + " failed to close: " + e);
            }
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    boolean active() {
        return status == Status.ACTIVE;
    }
}
