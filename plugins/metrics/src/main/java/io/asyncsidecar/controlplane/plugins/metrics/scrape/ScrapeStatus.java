package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.util.Locale;

/** How a scrape ended. */
public enum ScrapeStatus {
    /** HTTP 200 with a body that parsed. */
    UP,
    /** No usable answer: connection refused or reset, unknown host, TLS failure, or an HTTP status other than 200. */
    DOWN,
    /** The endpoint did not connect or finish its body within the timeout. */
    TIMEOUT,
    /** The body (declared or read, before or after gzip) exceeded the size limit. */
    TOO_LARGE,
    /** The server-side request forgery guard refused the target or a redirect. */
    REFUSED,
    /** An answer that is not a valid exposition: parse error, unsupported content type or malformed HTTP. */
    INVALID;

    /**
     * The name used in reports.
     *
     * @return e.g. {@code too_large}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
