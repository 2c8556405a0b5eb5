package io.asyncsidecar.controlplane.plugins.compliance.hif;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed HIF document.
 *
 * @param root    the document (the {@code payload} member's value when the body wrapped it)
 * @param wrapped whether the body was {@code {"payload": <document>}}
 * @param bytes   the size of the body in bytes
 */
public record HifDocument(ObjectNode root, boolean wrapped, long bytes) {
}
