package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.helidon.config.Config;

/**
 * The authentication settings ({@code auth.*}), read and checked once at start-up.
 *
 * @param mode             {@code static} or {@code none}
 * @param tokens           the static tokens
 * @param tokenSource      where the tokens came from, for the start-up log (never the tokens themselves)
 * @param unauthorizedHint appended to every 401's detail, e.g. where the demo tokens are listed
 */
record AuthSettings(Authenticator.Mode mode, StaticTokens tokens, String tokenSource, String unauthorizedHint) {

    private static final System.Logger LOG = System.getLogger(AuthSettings.class.getName());

    /**
     * Reads the settings.
     *
     * @param config the root config
     * @return the settings
     * @throws InvalidConfigurationException naming the key of a bad value
     */
    static AuthSettings from(Config config) {
        Authenticator.Mode mode = Authenticator.Mode.parse(config.get("auth.mode").asString().orElse("static"));
        String json = config.get("auth.tokens-json").asString().orElse("");
        String file = config.get("auth.tokens-file").asString().orElse("");
        String origin = config.get(ConfigLoader.TOKENS_SOURCE_KEY).asString().orElse("the configuration");
        if (!json.isBlank() && !file.isBlank()) {
            throw new InvalidConfigurationException("auth.tokens-json and auth.tokens-file",
                    "both are set (in " + origin + "); set only one");
        }
        StaticTokens tokens;
        String source;
        if (!json.isBlank()) {
            source = "auth.tokens-json (AUTH_TOKENS_JSON) from " + origin;
            tokens = StaticTokens.parse(json, source);
        } else if (!file.isBlank()) {
            Path home = Path.of(config.get("home").asString().orElse("")).toAbsolutePath();
            Path path = home.resolve(file);
            source = "auth.tokens-file (AUTH_TOKENS_FILE) " + path + " from " + origin;
            try {
                tokens = StaticTokens.parse(Files.readString(path), source);
            } catch (IOException e) {
                throw new InvalidConfigurationException("auth.tokens-file (AUTH_TOKENS_FILE)", "cannot read " + path
                        + ": " + e.getClass().getSimpleName());
            }
        } else {
            source = "none configured";
            tokens = StaticTokens.empty();
        }
        return new AuthSettings(mode, tokens, source, config.get("auth.unauthorized-hint").asString().orElse(""));
    }

    /**
     * Logs which token source is used and how many tokens it holds, and warns about risky set-ups.
     *
     * @param host the listen address
     */
    void logAndWarn(String host) {
        if (mode == Authenticator.Mode.NONE) {
            boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
                    || host.startsWith("127.");
            if (loopback) {
                LOG.log(System.Logger.Level.WARNING, "auth.mode=none: every caller is anonymous with every declared"
                        + " scope in tenant 'default'. Use it on a laptop only.");
            } else {
                LOG.log(System.Logger.Level.WARNING, "\n" + "!".repeat(78) + "\n!! auth.mode=none on NON-LOOPBACK address "
                        + host + ": ANYONE who reaches this port has every scope.\n!! Set AUTH_MODE=static with"
                        + " AUTH_TOKENS_JSON, or CP_HOST=127.0.0.1.\n" + "!".repeat(78));
            }
        } else if (tokens.size() == 0) {
            LOG.log(System.Logger.Level.WARNING, "auth.mode=static with no tokens: every /api request will get 401."
                    + " Set AUTH_TOKENS_JSON or AUTH_TOKENS_FILE.");
        } else {
            LOG.log(System.Logger.Level.INFO, "auth.mode=static: " + tokens.size() + " token(s) from " + tokenSource);
        }
    }
}
