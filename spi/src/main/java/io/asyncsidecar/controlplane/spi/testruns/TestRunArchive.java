package io.asyncsidecar.controlplane.spi.testruns;

import java.util.Optional;

/**
 * Read access to the test runs a tenant owns, published by the {@code testruns} plugin. Every lookup is
 * scoped by tenant: a run of another tenant is never returned, exactly as if it did not exist.
 *
 * <p>Consumers must cope with the service being absent (the {@code testruns} plugin disabled or failed):
 * look it up with {@code ServiceRegistry.lookup(TestRunArchive.class)} when needed rather than once.
 */
public interface TestRunArchive {

    /**
     * The newest run of a tenant that completed, that is ran to a verdict ({@code passed} or {@code failed}).
     * Runs that ended in {@code error}, {@code cancelled} or {@code interrupted} are skipped: their reports
     * are partial.
     *
     * @param tenantId the tenant
     * @return the run with its report, or empty when the tenant has none
     */
    Optional<TestRunReport> latestCompleted(String tenantId);

    /**
     * One run of a tenant, in whatever state it is.
     *
     * @param tenantId the tenant
     * @param runId    the run id
     * @return the run, with its report when it has finished; empty when unknown or owned by another tenant
     */
    Optional<TestRunReport> find(String tenantId, String runId);
}
