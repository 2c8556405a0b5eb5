package io.asyncsidecar.controlplane.spi.checks;

import java.util.Locale;

/**
 * How much a finding matters. The JSON name is the lower-case constant name.
 */
public enum Severity {
    /** Will break or is unsafe: fix before shipping. */
    ERROR("error"),
    /** Likely a problem or a risky default. */
    WARNING("warning"),
    /** Worth knowing; no action required. */
    INFO("info");

    private final String json;

    Severity(String json) {
        this.json = json;
    }

    /** @return the JSON name, e.g. {@code error} */
    public String json() {
        return json;
    }

    /**
     * Parses a JSON name.
     *
     * @param name e.g. {@code warning}
     * @return the severity
     * @throws IllegalArgumentException for an unknown name
     */
    public static Severity of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
