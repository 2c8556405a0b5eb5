package io.asyncsidecar.controlplane.server;

import java.util.Optional;

import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Grant;
import io.helidon.security.Principal;
import io.helidon.security.ProviderRequest;
import io.helidon.security.Subject;
import io.helidon.security.spi.AuthenticationProvider;

/**
 * A Helidon security provider that authenticates a bearer token against {@link StaticTokens}. The
 * {@link Authenticator} parses the token from the request once and hands it over as the environment attribute
 * {@value #TOKEN_ATTRIBUTE}. The subject carries the scopes as grants of type {@code scope} and the tenant as the
 * principal's {@value #TENANT_ATTRIBUTE} attribute.
 */
final class StaticTokenAuthenticationProvider implements AuthenticationProvider {

    static final String TENANT_ATTRIBUTE = "tenant_id";
    static final String TOKEN_ATTRIBUTE = "bearer_token";

    private final StaticTokens tokens;

    StaticTokenAuthenticationProvider(StaticTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        Optional<String> token = request.env().abacAttribute(TOKEN_ATTRIBUTE).map(Object::toString);
        if (token.isEmpty()) {
            return AuthenticationResponse.failed("missing bearer token");
        }
        return tokens.lookup(token.get())
                .map(StaticTokenAuthenticationProvider::subject)
                .map(AuthenticationResponse::success)
                .orElseGet(() -> AuthenticationResponse.failed("unknown bearer token"));
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
