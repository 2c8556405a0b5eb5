package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.nio.charset.StandardCharsets;

/**
 * The result of one guarded fetch of an HTTP API ({@link ScrapeClient#fetch}).
 *
 * @param status      {@link ScrapeStatus#UP} when a response and its whole body were read, whatever the HTTP
 *                    status; else how it failed (refused by the guard, down, timeout, too large, malformed)
 * @param httpStatus  the final HTTP status, 0 when none was received
 * @param error       what went wrong, null when up
 * @param durationMs  wall time of the fetch
 * @param contentType the response's Content-Type, null when none
 * @param body        the body, decompressed; empty unless up
 */
public record FetchOutcome(ScrapeStatus status, int httpStatus, String error, long durationMs, String contentType,
                           byte[] body) {

    /** @return whether a response was read */
    public boolean up() {
        return status == ScrapeStatus.UP;
    }

    /** @return the body as UTF-8 text */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
