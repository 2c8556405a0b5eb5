package io.asyncsidecar.controlplane.server;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>{@code static} mode asks Helidon security (with {@link StaticTokenAuthenticationProvider}) the first time a
 * token is presented and keeps the resulting caller under the token's SHA-256 digest: tokens are static, so the
 * answer cannot change, and later requests cost one digest and one map lookup instead of a security context, an
 * environment and a provider call. Only successful authentications are kept, so the map holds at most one entry
 * per configured token. {@code none} mode makes every caller anonymous, in tenant {@code default}, with every
 * scope the loaded routes declare. The tenant is the token's; {@code X-Tenant-ID} may name another only for a
 * caller holding {@value Caller#TENANTS_ADMIN}.
 */
final class Authenticator {

    /** The modes of {@code auth.mode}. */
    enum Mode {
        NONE, STATIC;

        static Mode parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "static" -> STATIC;
                default -> throw new InvalidConfigurationException("auth.mode (AUTH_MODE)",
                        "unknown mode '" + value + "', expected 'static' or 'none'");
            };
        }
    }

    private static final String BEARER_PREFIX = "bearer ";

    private final Mode mode;
    private final Security security;
    private final StaticTokens tokens;
    private final String unauthorizedHint;
    private final Map<ByteBuffer, Caller> known = new ConcurrentHashMap<>();
    private final AtomicLong contextIds = new AtomicLong();
    private volatile Caller anonymous = new Caller("anonymous", "default", "default", Set.of(Caller.TENANTS_ADMIN));

    /**
     * @param mode             the mode
     * @param tokens           the static tokens (ignored in {@code none} mode)
     * @param unauthorizedHint appended to every 401's detail (how to get a token); may be empty
     */
    Authenticator(Mode mode, StaticTokens tokens, String unauthorizedHint) {
        this.mode = mode;
        this.tokens = tokens;
        this.unauthorizedHint = unauthorizedHint == null || unauthorizedHint.isBlank() ? "" : ". " + unauthorizedHint.strip();
        this.security = Security.builder()
                .addAuthenticationProvider(new StaticTokenAuthenticationProvider(tokens), "static-token")
                .build();
    }

    Mode mode() {
        return mode;
    }

    int tokenCount() {
        return tokens.size();
    }

    /**
     * Sets the scopes of the anonymous caller of {@code none} mode: those the loaded routes declare, so a
     * third-party plugin's own scope works there too. {@value Caller#TENANTS_ADMIN} is always added.
     *
     * @param declared every scope a loaded route or WebSocket endpoint requires
     */
    void anonymousScopes(Set<String> declared) {
        Set<String> scopes = new java.util.TreeSet<>(declared);
        scopes.add(Caller.TENANTS_ADMIN);
        anonymous = new Caller("anonymous", "default", "default", scopes);
    }

    /** @return the scopes the anonymous caller of {@code none} mode holds */
    Set<String> anonymousScopes() {
        return anonymous.scopes();
    }

    /**
     * The token of a request's {@code Authorization} headers, which may carry one credential only: with two
     * (repeated headers, or a comma-separated list as in {@code Bearer admin,Bearer nope}) the server cannot tell
     * which one the client meant, and a proxy in front may have checked the other.
     *
     * @param authorization every {@code Authorization} header value of the request
     * @return the token, or null when there is none or it is not {@code Bearer <token>}
     * @throws ProblemException 400 for more than one credential
     */
    static String bearer(List<String> authorization) {
        if (authorization.isEmpty()) {
            return null;
        }
        if (authorization.size() > 1 || authorization.getFirst().indexOf(',') >= 0) {
            throw ProblemException.badRequest("the request carries more than one credential: send one"
                    + " 'Authorization: Bearer <token>' header with one token");
        }
        return bearer(authorization.getFirst());
    }

    /**
     * The token of an {@code Authorization} header value, parsed once per request.
     *
     * @param authorization the header value, or null
     * @return the token, or null when the header is missing or not {@code Bearer <token>}
     */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return null;
        }
        String t = authorization.substring(BEARER_PREFIX.length()).strip();
        return t.isEmpty() ? null : t;
    }

    /**
     * Authenticates a caller.
     *
     * @param token        the bearer token, or null
     * @param tenantHeader the X-Tenant-ID header, or null
     * @return the caller
     * @throws ProblemException 401 for a missing or unknown token, 403 for a foreign tenant without tenants.admin
     */
    Caller authenticate(String token, String tenantHeader) {
        Caller home = mode == Mode.NONE ? anonymous : staticCaller(token);
        if (tenantHeader == null) {
            return home;
        }
        String asked = tenantHeader.strip();
        if (asked.isEmpty() || asked.equals(home.homeTenant())) {
            return home;
        }
        if (!home.hasScope(Caller.TENANTS_ADMIN)) {
            throw ProblemException.forbidden("X-Tenant-ID '" + asked + "' is not your tenant; reading another"
                    + " tenant's data needs the scope '" + Caller.TENANTS_ADMIN + "'");
        }
        if (!validTenant(asked)) {
            throw ProblemException.badRequest("X-Tenant-ID must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return new Caller(home.subject(), home.homeTenant(), asked, home.scopes());
    }

    private Caller staticCaller(String token) {
        if (token == null) {
            throw unauthorized("missing bearer token: send 'Authorization: Bearer <token>'");
        }
        ByteBuffer digest = ByteBuffer.wrap(StaticTokens.sha256(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Caller cached = known.get(digest);
        if (cached != null) {
            return cached;
        }
        Caller caller = viaHelidonSecurity(token);
        known.putIfAbsent(digest, caller);
        return caller;
    }

    // Package-private: the benchmark in bench/auth measures this cold path against the cached one.
    Caller viaHelidonSecurity(String token) {
        SecurityContext context = security.createContext("atn-" + contextIds.incrementAndGet());
        context.env(security.environmentBuilder()
                .addAttribute(StaticTokenAuthenticationProvider.TOKEN_ATTRIBUTE, token)
                .build());
        AuthenticationResponse response = context.atnClientBuilder().submit();
        if (response.status() != SecurityResponse.SecurityStatus.SUCCESS || response.user().isEmpty()) {
            throw unauthorized("unknown bearer token");
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

    private ProblemException unauthorized(String detail) {
        return ProblemException.of(401, "Unauthorized", detail + unauthorizedHint);
    }

    private static boolean validTenant(String t) {
        if (t.length() > 64) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
