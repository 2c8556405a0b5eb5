package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;

/**
 * The result of one scrape.
 *
 * @param status      how it ended
 * @param httpStatus  the final HTTP status, 0 when none was received
 * @param error       what went wrong, null when up
 * @param durationMs  wall time of the scrape
 * @param bytes       body bytes read (after decompression)
 * @param contentType the response's Content-Type, null when none
 * @param exposition  the parsed exposition when up, else null
 */
public record ScrapeOutcome(ScrapeStatus status, int httpStatus, String error, long durationMs, long bytes,
                            String contentType, Exposition exposition) {
}
