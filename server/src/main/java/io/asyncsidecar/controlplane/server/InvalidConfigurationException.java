package io.asyncsidecar.controlplane.server;

/**
 * A configuration value the server cannot start with. The message names the key (and the environment
 * variable that sets it) and the problem; {@link Main} prints it and exits non-zero.
 */
public final class InvalidConfigurationException extends RuntimeException {

    private final String key;

    /**
     * Creates the exception.
     *
     * @param key     the config key, e.g. {@code server.port (CP_PORT)}
     * @param problem what is wrong with its value
     */
    public InvalidConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** @return the offending key */
    public String key() {
        return key;
    }
}
