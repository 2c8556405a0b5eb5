package io.asyncsidecar.controlplane.server;

import java.util.List;
import java.util.Optional;

import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Grant;
import io.helidon.security.Principal;
import io.helidon.security.ProviderRequest;
import io.helidon.security.Subject;
import io.helidon.security.spi.AuthenticationProvider;

/**
 * A Helidon security provider that authenticates {@code Authorization: Bearer <token>} against
 * {@link StaticTokens}. The subject carries the scopes as grants of type {@code scope} and the tenant as the
 * principal's {@code tenant_id} attribute.
 */
final class StaticTokenAuthenticationProvider implements AuthenticationProvider {

    static final String TENANT_ATTRIBUTE = "tenant_id";
    static final String BEARER_PREFIX = "bearer ";

    private final StaticTokens tokens;

    StaticTokenAuthenticationProvider(StaticTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        List<String> values = request.env().headers().getOrDefault("Authorization", List.of());
        Optional<String> token = bearer(values);
        if (token.isEmpty()) {
            return AuthenticationResponse.failed("missing bearer token");
        }
        return tokens.lookup(token.get())
                .map(StaticTokenAuthenticationProvider::subject)
                .map(AuthenticationResponse::success)
                .orElseGet(() -> AuthenticationResponse.failed("unknown bearer token"));
    }

    static Optional<String> bearer(List<String> authorization) {
        for (String v : authorization) {
            if (v.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
                String t = v.substring(BEARER_PREFIX.length()).strip();
                if (!t.isEmpty()) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private static Subject subject(StaticTokens.Grant grant) {
        Subject.Builder b = Subject.builder()
                .principal(Principal.builder().name(grant.subject())
                        .addAttribute(TENANT_ATTRIBUTE, grant.tenantId()).build());
        for (String scope : grant.scopes()) {
            b.addGrant(Grant.builder().type("scope").name(scope).build());
        }
        return b.build();
    }
}
