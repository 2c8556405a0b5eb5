package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;

/** A response body went past the size limit while streaming. */
final class BodyTooLargeException extends IOException {

    BodyTooLargeException(String message) {
        super(message, null);
    }
}
