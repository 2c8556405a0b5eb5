package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Keeps SIGTERM and SIGINT with the JVM once Helm's Go runtime is loaded in-process.
 *
 * <p>The Go runtime inside helm-java's shared library subscribes to SIGTERM and SIGINT (Helm's install code,
 * which {@code template} runs, calls {@code signal.Notify}) and, having installed its handler last, swallows
 * them: the server then ignores {@code kill -TERM} and never shuts down. Measured: after one embedded render
 * the JVM reports these signals' handler as a foreign native one, and Go installs it again shortly after the
 * render call has returned. So after each render, and then every second from a daemon thread, this puts back a
 * handler that exits the way the JVM's own does ({@code 128 + signal}, running the shutdown hooks: Helidon's
 * graceful shutdown, the plugins' close). A signal the process started with ignored stays ignored.
 *
 * <p>SIGQUIT (thread dumps, {@code jcmd} attach) is taken by Go as well and the JVM reserves it, so it cannot be
 * given back here; start the JVM with {@code -XX:+StartAttachListener} to attach diagnostic tools.
 */
final class ProcessSignals {

    private static final List<Signal> SHUTDOWN_SIGNALS = List.of(new Signal("TERM"), new Signal("INT"));
    private static final SignalHandler EXIT = signal -> Runtime.getRuntime().exit(128 + signal.getNumber());
    private static volatile boolean guarding;

    private ProcessSignals() {
    }

    /**
     * Takes the shutdown signals back from a native library now, and keeps doing so every second.
     */
    static void reclaimAfterNativeRender() {
        reclaim();
        if (!guarding) {
            synchronized (ProcessSignals.class) {
                if (!guarding) {
                    guarding = true;
                    Thread.ofPlatform().daemon().name("helm-java-signal-guard").start(ProcessSignals::guard);
                }
            }
        }
    }

    private static void guard() {
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            reclaim();
        }
    }

    private static synchronized void reclaim() {
        for (Signal signal : SHUTDOWN_SIGNALS) {
            try {
                // The JVM's own handler for both (its Terminator) does what EXIT does, so replacing whatever is
                // there loses nothing; sun.misc wraps native and Java handlers alike, so they cannot be told apart.
                SignalHandler previous = Signal.handle(signal, EXIT);
                if (previous == SignalHandler.SIG_IGN) {
                    // started with the signal ignored (e.g. SIGINT in a background job): keep it ignored
                    Signal.handle(signal, SignalHandler.SIG_IGN);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a signal the platform reserves: leave it as it is
            }
        }
    }
}
