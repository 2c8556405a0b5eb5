package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.jni.NativeLibrary;

/**
 * Helm's own Go library, embedded through helm-java (JNA): renders charts on machines without a helm binary.
 *
 * <p>Renders run on a few platform threads of their own: a native call would pin a virtual thread's carrier,
 * and helm-java finds its native library through the thread's context class loader, which must be this
 * plugin's loader (the server loads the plugin child-first; the native jar sits in the plugin's folder). An
 * in-process native call cannot be killed: a render that outlives the timeout is reported and abandoned, and
 * holds its thread, and a core, until Helm returns. While such a render runs on, the engine starts no other:
 * each request is answered {@link RenderOutcome.Unavailable} at once (the next engine, or the textual reading,
 * takes over, and the answer says why), so a chart that loops cannot take a core per request, nor make later
 * requests wait for a render thread. Renders that can be stopped are the helm binary's, tried first by default.
 */
final class EmbeddedHelmEngine implements RenderEngine, AutoCloseable {

    private final Duration timeout;
    private final ExecutorService renderThreads;
    /** Renders abandoned at their timeout that Helm has not returned from yet. */
    private final AtomicInteger stuck = new AtomicInteger();
    private volatile long lastAbandonedNanos;
    private volatile String unavailable;
    private volatile boolean checked;

    /**
     * An engine.
     *
     * @param timeout     how long a render may run
     * @param concurrency renders running at once
     */
    EmbeddedHelmEngine(Duration timeout, int concurrency) {
        this.timeout = timeout;
        ClassLoader pluginLoader = EmbeddedHelmEngine.class.getClassLoader();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "helm-java-render-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(pluginLoader);
            return t;
        };
        this.renderThreads = Executors.newFixedThreadPool(concurrency, factory);
    }

    @Override
    public String name() {
        return "helm-java";
    }

    @Override
    public RenderOutcome render(RenderRequest request) {
        String reason = availability();
        if (reason != null) {
            return new RenderOutcome.Unavailable(reason);
        }
        String busy = stuckReason();
        if (busy != null) {
            return new RenderOutcome.Unavailable(busy);
        }
        RenderTask task = new RenderTask(request);
        Future<RenderOutcome> future = renderThreads.submit(task);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.abandon();
            future.cancel(true);
            return new RenderOutcome.TimedOut(timeout.toSeconds());
        } catch (InterruptedException e) {
            task.abandon();
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new RenderOutcome.Unavailable("interrupted while helm-java rendered");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LinkageError) {
                unavailable = "helm-java cannot load its native library: " + cause;
                return new RenderOutcome.Unavailable(unavailable);
            }
            return new RenderOutcome.Failed(HelmMessages.clean(String.valueOf(cause.getMessage())));
        }
    }

    /** @return why no render starts now, or null when none is stuck */
    private String stuckReason() {
        int n = stuck.get();
        if (n <= 0) {
            return null;
        }
        long ago = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastAbandonedNanos);
        return "helm-java is still running " + (n == 1 ? "a render" : n + " renders") + " that did not finish"
                + " within " + timeout.toSeconds() + " s (abandoned " + ago + " s ago); Helm's library runs inside"
                + " the server and cannot be stopped, so no embedded render starts until it returns (a helm"
                + " binary, plugins.helm.binary, is killed at the timeout instead)";
    }

    /**
     * One render on a render thread, which knows whether it was abandoned: an abandoned render still in Helm
     * counts as stuck until it returns; one abandoned while it waited for a thread never starts.
     */
    private final class RenderTask implements Callable<RenderOutcome> {
        private static final int WAITING = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;

        private final RenderRequest request;
        private final AtomicInteger state = new AtomicInteger(WAITING);

        RenderTask(RenderRequest request) {
            this.request = request;
        }

        @Override
        public RenderOutcome call() {
            if (!state.compareAndSet(WAITING, RUNNING)) {
                return new RenderOutcome.Unavailable("abandoned before it started");
            }
            try {
                return renderHere(request);
            } finally {
                if (!state.compareAndSet(RUNNING, DONE)) {
                    stuck.decrementAndGet(); // it was abandoned and counted as stuck
                }
            }
        }

        void abandon() {
            if (state.compareAndSet(RUNNING, ABANDONED)) {
                lastAbandonedNanos = System.nanoTime();
                stuck.incrementAndGet();
            } else {
                state.compareAndSet(WAITING, ABANDONED);
            }
        }
    }

    private static RenderOutcome renderHere(RenderRequest request) {
        TemplateCommand template = new Helm(request.chartDir()).template()
                .withName(request.releaseName())
                .withNamespace(request.namespace())
                .withKubeVersion(request.kubeVersion());
        for (Path values : request.valuesFiles()) {
            template = template.withValuesFile(values);
        }
        for (var e : request.setValues().entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        try {
            return new RenderOutcome.Rendered(template.call());
        } catch (IllegalStateException e) {
            // helm-java reports every Helm error this way, with Helm's message.
            if (String.valueOf(e.getMessage()).startsWith("Unable to load native library")) {
                throw new LinkageError(e.getMessage(), e);
            }
            return new RenderOutcome.Failed(HelmMessages.clean(e.getMessage()));
        } finally {
            ProcessSignals.reclaimAfterNativeRender();
        }
    }

    /**
     * Whether helm-java can run here. Without a native library for this platform helm-java would try to
     * download one from Maven Central at run time; this checks first and reports the engine unavailable instead.
     *
     * @return null when available, else the reason
     */
    String availability() {
        if (!checked) {
            synchronized (this) {
                if (!checked) {
                    try {
                        if (NativeLibrary.serviceProviderLibrary(EmbeddedHelmEngine.class.getClassLoader()) == null) {
                            unavailable = "helm-java has no native library for " + System.getProperty("os.name")
                                    .toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch");
                        }
                    } catch (LinkageError e) {
                        // answers say what is missing, not which Java error said so
                        unavailable = "helm-java is not on the plugin's class path or cannot be linked";
                    }
                    checked = true;
                }
            }
        }
        return unavailable;
    }

    @Override
    public void close() {
        renderThreads.shutdownNow();
    }
}
