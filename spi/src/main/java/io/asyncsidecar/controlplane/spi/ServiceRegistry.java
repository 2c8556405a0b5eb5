package io.asyncsidecar.controlplane.spi;

import java.util.Optional;

/**
 * Small services that plugins share with each other, keyed by an interface type declared in the SPI (so
 * both sides see the same class whatever loader they come from). A consumer must keep working, degraded,
 * when no one published the service.
 */
public interface ServiceRegistry {

    /**
     * Publishes a service. A second publication of the same type replaces nothing and fails.
     *
     * @param type     the SPI interface the service implements
     * @param service  the implementation
     * @param <T>      the service type
     * @throws IllegalStateException when the type is already published
     */
    <T> void publish(Class<T> type, T service);

    /**
     * Finds a published service.
     *
     * @param type the SPI interface
     * @param <T>  the service type
     * @return the service, or empty when no active plugin published it
     */
    <T> Optional<T> lookup(Class<T> type);
}
