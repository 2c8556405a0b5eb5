package io.asyncsidecar.controlplane.server;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.asyncsidecar.controlplane.spi.ServiceRegistry;

/**
 * The registry behind every plugin's {@link ServiceRegistry}: services keyed by their SPI type, remembering who
 * published them so a plugin that fails later takes its services with it.
 */
final class DefaultServiceRegistry {

    private record Published(String owner, Object service) {
    }

    private final ConcurrentHashMap<Class<?>, Published> services = new ConcurrentHashMap<>();

    /**
     * The view a plugin gets.
     *
     * @param owner the plugin id
     * @return a registry that records the owner of what it publishes
     */
    ServiceRegistry viewFor(String owner) {
        return new ServiceRegistry() {
            @Override
            public <T> void publish(Class<T> type, T service) {
                if (!type.isInstance(service)) {
                    throw new IllegalArgumentException(service.getClass() + " does not implement " + type.getName());
                }
                Published previous = services.putIfAbsent(type, new Published(owner, service));
                if (previous != null) {
                    throw new IllegalStateException("service " + type.getName() + " is already published by plugin '"
                            + previous.owner() + "'");
                }
            }

            @Override
            public <T> Optional<T> lookup(Class<T> type) {
                Published p = services.get(type);
                return p == null ? Optional.empty() : Optional.of(type.cast(p.service()));
            }
        };
    }

    /**
     * Withdraws everything a plugin published.
     *
     * @param owner the plugin id
     */
    void withdraw(String owner) {
        services.values().removeIf(p -> p.owner().equals(owner));
    }
}
