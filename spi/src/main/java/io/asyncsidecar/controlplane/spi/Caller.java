package io.asyncsidecar.controlplane.spi;

import java.util.Objects;
import java.util.Set;

import io.helidon.webserver.http.ServerRequest;

/**
 * The authenticated caller of a request, as the server established it before the handler ran.
 *
 * @param subject    who the token belongs to, e.g. {@code ops-admin}; {@code anonymous} without authentication
 * @param homeTenant the tenant the token carries
 * @param tenantId   the effective tenant: the home tenant, or the one named by {@code X-Tenant-ID} for a
 *                   caller holding {@value #TENANTS_ADMIN}. Handlers scope tenant data by this value.
 * @param scopes     the scopes the token grants
 */
public record Caller(String subject, String homeTenant, String tenantId, Set<String> scopes) {

    /** The scope that allows reading other tenants' data through {@code X-Tenant-ID}. */
    public static final String TENANTS_ADMIN = "tenants.admin";

    /**
     * Checks and copies.
     *
     * @param subject    the subject
     * @param homeTenant the token's tenant
     * @param tenantId   the effective tenant
     * @param scopes     the granted scopes
     */
    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(homeTenant, "homeTenant");
        Objects.requireNonNull(tenantId, "tenantId");
        scopes = Set.copyOf(scopes);
    }

    /**
     * The caller of a request. Every route the server mounts for a plugin runs after authentication, so this
     * is always present there.
     *
     * @param request the request a handler received
     * @return the caller
     * @throws IllegalStateException when called outside a plugin route
     */
    public static Caller of(ServerRequest request) {
        return request.context().get(Caller.class)
                .orElseThrow(() -> new IllegalStateException("no authenticated caller on this request"));
    }

    /**
     * Whether the caller holds a scope.
     *
     * @param scope a scope name
     * @return true when granted
     */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /**
     * Whether the caller reads another tenant's data (cross-tenant view by a tenants admin).
     *
     * @return true when the effective tenant is not the token's own
     */
    public boolean actsForOtherTenant() {
        return !tenantId.equals(homeTenant);
    }
}
