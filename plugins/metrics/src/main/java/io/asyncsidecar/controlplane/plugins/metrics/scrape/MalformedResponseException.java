package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;

/** The peer answered something that is not HTTP/1.x. */
final class MalformedResponseException extends IOException {

    MalformedResponseException(String message) {
        super(message);
    }
}
