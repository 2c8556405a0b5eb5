package io.asyncsidecar.controlplane.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * Runs every loaded plugin's {@link WorkspaceCheck} for {@code GET /api/checks} and {@code control-plane check}:
 * each on its plugin's executor with the plugin's class loader as context class loader, at most
 * {@code parallelism} at once (the checks are CPU-bound: more than the cores only interleaves them), and gathers
 * what each answered into a {@link ChecksReport}.
 *
 * <p>A check that throws is reported with its problem and the others still count; a check that refuses a
 * parameter (a 4xx {@link ProblemException}, e.g. a {@code kubeVersion} that is not a version) makes the whole run
 * that problem, since every plugin was asked the same.
 */
final class WorkspaceChecks {

    private static final System.Logger LOG = System.getLogger(WorkspaceChecks.class.getName());

    /** The parameters a combined run passes on to every plugin's check. */
    static final List<String> PARAMETERS = List.of("values", "kubeVersion", "app");

    /** Told when checks start and finish, for progress on a terminal; called from the checks' threads. */
    interface Listener {
        /** Nothing to tell. */
        Listener NONE = new Listener() {
        };

        /** @param ids the plugins whose checks run now */
        default void started(List<String> ids) {
        }

        /**
         * @param id     a plugin whose check finished (answered or failed)
         * @param millis how long it ran
         */
        default void finished(String id, long millis) {
        }
    }

    private final List<LoadedPlugin> plugins;
    private final int parallelism;

    /**
     * The checks of the loaded plugins.
     *
     * @param plugins     every plugin the loader found; only active ones with a check run
     * @param parallelism how many checks run at once, at least 1
     */
    WorkspaceChecks(List<LoadedPlugin> plugins, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.plugins = List.copyOf(plugins);
        this.parallelism = parallelism;
    }

    /** @return the default parallelism: the cores, at least 2 (a render waits on a process or native call) */
    static int defaultParallelism() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** @return whether any active plugin offers a check */
    boolean any() {
        return plugins.stream().anyMatch(p -> p.active() && (p.workspaceCheck().isPresent() || p.checkProblem() != null));
    }

    /**
     * Runs the checks the caller may see.
     *
     * @param parameters the run's parameters, passed to every check
     * @param holds      whether the caller holds a scope
     * @return every plugin's part, and those left out for want of scopes
     * @throws ProblemException the first plugin's 4xx (in load order) naming a bad parameter
     */
    ChecksReport run(CheckParameters parameters, Predicate<String> holds) {
        return run(parameters, holds, Listener.NONE);
    }

    /**
     * Runs the checks the caller may see, telling a listener how they go.
     *
     * @param parameters the run's parameters, passed to every check
     * @param holds      whether the caller holds a scope
     * @param listener   told when checks start and finish
     * @return every plugin's part, and those left out for want of scopes
     * @throws ProblemException the first plugin's 4xx (in load order) naming a bad parameter
     */
    ChecksReport run(CheckParameters parameters, Predicate<String> holds, Listener listener) {
        long start = System.nanoTime();
        List<ChecksReport.LeftOut> leftOut = new ArrayList<>();
        List<LoadedPlugin> running = new ArrayList<>();
        List<ChecksReport.PluginResult> results = new ArrayList<>();
        for (LoadedPlugin p : plugins) {
            if (!p.active()) {
                continue;
            }
            if (p.checkProblem() != null) {
                results.add(ChecksReport.PluginResult.failed(p.id(), p.version(), List.of(), p.checkProblem(), 0));
                continue;
            }
            WorkspaceCheck check = p.workspaceCheck().orElse(null);
            if (check == null) {
                continue;
            }
            Set<String> missing = new TreeSet<>();
            check.scopes().scopes().forEach(s -> {
                if (!holds.test(s)) {
                    missing.add(s);
                }
            });
            if (missing.isEmpty()) {
                running.add(p);
            } else {
                leftOut.add(new ChecksReport.LeftOut(p.id(), List.copyOf(missing)));
            }
        }
        Semaphore permits = new Semaphore(parallelism);
        List<Future<ChecksReport.PluginResult>> futures = new ArrayList<>();
        listener.started(running.stream().map(LoadedPlugin::id).toList());
        for (LoadedPlugin p : running) {
            futures.add(p.executor().submit(() -> {
                long begin = System.nanoTime();
                permits.acquire();
                try {
                    return runOne(p, parameters);
                } finally {
                    permits.release();
                    listener.finished(p.id(), (System.nanoTime() - begin) / 1_000_000);
                }
            }));
        }
        ProblemException refused = null;
        for (int i = 0; i < futures.size(); i++) {
            LoadedPlugin p = running.get(i);
            try {
                results.add(futures.get(i).get());
            } catch (ExecutionException e) {
                // a bad parameter, or a plugin whose check limit is full (503 with Retry-After): the whole answer's
                if (e.getCause() instanceof ProblemException pe && (pe.status() >= 400 && pe.status() < 500
                        || pe.extensions().containsKey(ProblemException.RETRY_AFTER))) {
                    if (refused == null) {
                        refused = pe.with("plugin", p.id());
                    }
                } else {
                    results.add(failure(p, e.getCause()));
                }
            } catch (CancellationException e) {
                results.add(ChecksReport.PluginResult.failed(p.id(), p.version(), List.of(), "the check was cancelled",
                        0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw ProblemException.of(503, "Service Unavailable", "the checks were interrupted");
            }
        }
        if (refused != null) {
            throw refused;
        }
        // load order, whatever order they finished in
        List<String> order = plugins.stream().map(LoadedPlugin::id).toList();
        results.sort((a, b) -> Integer.compare(order.indexOf(a.id()), order.indexOf(b.id())));
        return new ChecksReport(parameters, results, leftOut, (System.nanoTime() - start) / 1_000_000);
    }

    private static ChecksReport.PluginResult runOne(LoadedPlugin p, CheckParameters parameters) {
        WorkspaceCheck check = p.workspaceCheck().orElseThrow();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(p.loader());
        long start = System.nanoTime();
        try {
            CheckOutcome outcome = check.run(parameters);
            return ChecksReport.PluginResult.of(p.id(), p.version(), check.rules(), outcome,
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** What a thrown check shows: a problem a person can act on, the details in the log under an id. */
    private static ChecksReport.PluginResult failure(LoadedPlugin p, Throwable e) {
        if (e instanceof ProblemException pe) {
            return ChecksReport.PluginResult.failed(p.id(), p.version(), List.of(), pe.detail(), 0);
        }
        String id = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "check of plugin " + p.id() + " failed, error " + id, e);
        return ChecksReport.PluginResult.failed(p.id(), p.version(), List.of(),
                "the check failed unexpectedly; quote this id to the operator: " + id, 0);
    }
}
