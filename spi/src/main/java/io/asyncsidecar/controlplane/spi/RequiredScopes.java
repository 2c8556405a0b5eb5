package io.asyncsidecar.controlplane.spi;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scopes a route requires; the server checks them before the handler runs. Every route declares one:
 * {@link #of(String...)} for scoped routes, {@link #authenticated()} for routes any authenticated caller may
 * use. A caller must hold all scopes listed.
 *
 * @param scopes the required scopes; empty means "authenticated, no particular scope"
 */
public record RequiredScopes(Set<String> scopes) {

    private static final Pattern SCOPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");
    private static final RequiredScopes AUTHENTICATED = new RequiredScopes(Set.of());

    /**
     * Checks and copies the scopes.
     *
     * @param scopes the scopes
     */
    public RequiredScopes {
        Objects.requireNonNull(scopes, "scopes");
        for (String s : scopes) {
            if (s == null || !SCOPE.matcher(s).matches()) {
                throw new IllegalArgumentException("invalid scope name: '" + s + "' (expected e.g. tests.read)");
            }
        }
        scopes = Set.copyOf(scopes);
    }

    /**
     * Routes that need all of these scopes.
     *
     * @param scopes one or more scope names such as {@code tests.read}
     * @return the declaration
     */
    public static RequiredScopes of(String... scopes) {
        if (scopes.length == 0) {
            throw new IllegalArgumentException("RequiredScopes.of needs at least one scope; use authenticated()");
        }
        return new RequiredScopes(Set.copyOf(Arrays.asList(scopes)));
    }

    /**
     * Routes that any authenticated caller may use.
     *
     * @return the declaration
     */
    public static RequiredScopes authenticated() {
        return AUTHENTICATED;
    }
}
