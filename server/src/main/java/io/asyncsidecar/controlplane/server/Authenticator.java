package io.asyncsidecar.controlplane.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.asyncsidecar.controlplane.spi.Caller;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Grant;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import io.helidon.security.SecurityResponse;
import io.helidon.security.Subject;

/**
 * Turns a request's credentials into a {@link Caller}, for HTTP routes and WebSocket upgrades alike.
 *
 * <p>{@code static} mode asks Helidon security (with {@link StaticTokenAuthenticationProvider}); {@code none}
 * mode makes every caller anonymous with all scopes in tenant {@code default}. The tenant is the token's;
 * {@code X-Tenant-ID} may name another only for a caller holding {@value Caller#TENANTS_ADMIN}.
 */
final class Authenticator {

    /** Scopes of the anonymous caller in {@code none} mode: every scope the routes use. */
    static final Set<String> ALL_SCOPES = Set.of("tests.read", "tests.run", "observability.read", "deployments.read",
            "autoscaling.read", "security.read", "compliance.read", Caller.TENANTS_ADMIN);

    /** The modes of {@code auth.mode}. */
    enum Mode {
        NONE, STATIC;

        static Mode parse(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "none" -> NONE;
                case "static" -> STATIC;
                default -> throw new InvalidConfigurationException("auth.mode (AUTH_MODE)",
                        "unknown mode '" + value + "', expected 'static' or 'none'");
            };
        }
    }

    private final Mode mode;
    private final Security security;
    private final int tokenCount;

    Authenticator(Mode mode, StaticTokens tokens) {
        this.mode = mode;
        this.tokenCount = tokens.size();
        this.security = Security.builder()
                .addAuthenticationProvider(new StaticTokenAuthenticationProvider(tokens), "static-token")
                .build();
    }

    Mode mode() {
        return mode;
    }

    int tokenCount() {
        return tokenCount;
    }

    /**
     * Authenticates a caller.
     *
     * @param path         the request path (for Helidon's security environment)
     * @param bearer       the bearer token, if any
     * @param tenantHeader the X-Tenant-ID header, if any
     * @return the caller
     * @throws ProblemException 401 for a missing or unknown token, 403 for a foreign tenant without tenants.admin
     */
    Caller authenticate(String path, Optional<String> bearer, Optional<String> tenantHeader) {
        Caller home = mode == Mode.NONE ? new Caller("anonymous", "default", "default", ALL_SCOPES) : staticCaller(path, bearer);
        Optional<String> asked = tenantHeader.map(String::strip).filter(t -> !t.isEmpty());
        if (asked.isEmpty() || asked.get().equals(home.homeTenant())) {
            return home;
        }
        if (!home.hasScope(Caller.TENANTS_ADMIN)) {
            throw ProblemException.forbidden("X-Tenant-ID '" + asked.get() + "' is not your tenant; reading another"
                    + " tenant's data needs the scope '" + Caller.TENANTS_ADMIN + "'");
        }
        if (!asked.get().matches("[A-Za-z0-9._-]{1,64}")) {
            throw ProblemException.badRequest("X-Tenant-ID must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return new Caller(home.subject(), home.homeTenant(), asked.get(), home.scopes());
    }

    private Caller staticCaller(String path, Optional<String> bearer) {
        if (bearer.isEmpty()) {
            throw ProblemException.of(401, "Unauthorized", "missing bearer token: send 'Authorization: Bearer <token>'");
        }
        SecurityContext context = security.createContext(UUID.randomUUID().toString());
        context.env(security.environmentBuilder()
                .path(path)
                .headers(Map.of("Authorization", List.of("Bearer " + bearer.get())))
                .build());
        AuthenticationResponse response = context.atnClientBuilder().submit();
        if (response.status() != SecurityResponse.SecurityStatus.SUCCESS || response.user().isEmpty()) {
            throw ProblemException.of(401, "Unauthorized", "unknown bearer token");
        }
        Subject subject = response.user().get();
        var principal = subject.principal();
        String tenant = principal.abacAttribute(StaticTokenAuthenticationProvider.TENANT_ATTRIBUTE)
                .map(Object::toString).orElse("default");
        Set<String> scopes = new java.util.LinkedHashSet<>();
        for (Grant g : subject.grantsByType("scope")) {
            scopes.add(g.getName());
        }
        return new Caller(principal.getName(), tenant, tenant, scopes);
    }
}
