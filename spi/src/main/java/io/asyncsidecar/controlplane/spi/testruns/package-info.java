/**
 * What the {@code testruns} plugin shares with other plugins (the {@code reports} plugin first of all):
 * read access to a tenant's test runs and their reports, published as a
 * {@link io.asyncsidecar.controlplane.spi.testruns.TestRunArchive} through the
 * {@link io.asyncsidecar.controlplane.spi.ServiceRegistry}.
 *
 * <p>The types live in the SPI so that the publishing and the consuming plugin, each in its own class loader,
 * see the same classes. They use only JDK and JSON-P types for the same reason.
 */
package io.asyncsidecar.controlplane.spi.testruns;
