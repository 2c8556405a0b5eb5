/**
 * The {@code reports} plugin: exports a tenant's test run reports, read from the {@code testruns} plugin through
 * {@link io.asyncsidecar.controlplane.spi.testruns.TestRunArchive}.
 */
package io.asyncsidecar.controlplane.plugins.reports;
