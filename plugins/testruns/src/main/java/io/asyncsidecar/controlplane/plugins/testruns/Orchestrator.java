package io.asyncsidecar.controlplane.plugins.testruns;

/**
 * Carries out a test run: the built-in runner or an external command.
 */
interface Orchestrator {

    /**
     * Executes a run. Implementations poll {@link RunContext#cancelled()} and stop promptly when it turns true;
     * the worker thread is also interrupted then.
     *
     * @param run the run's arguments and event sinks
     * @return the outcome
     * @throws InterruptedException when interrupted (cancellation or shutdown)
     */
    RunOutcome execute(RunContext run) throws InterruptedException;
}
