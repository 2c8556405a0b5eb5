package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.Locale;
import java.util.Optional;

/**
 * The text formats a spec comes in, chosen from a request's content type or a file's extension, else sniffed.
 */
public enum OpenApiFormat {
    /** JSON (RFC 8259). */
    JSON("json"),
    /** YAML 1.2 (JSON is a subset, but is read as JSON when labelled so, for exact positions and speed). */
    YAML("yaml");

    private final String extension;

    OpenApiFormat(String extension) {
        this.extension = extension;
    }

    /** @return the usual file extension, without the dot */
    public String extension() {
        return extension;
    }

    /**
     * The format a content type names.
     *
     * @param contentType the header value, parameters allowed; null or blank when absent
     * @return the format; empty when the type does not say (absent, {@code text/plain},
     *         {@code application/octet-stream}), so the body is sniffed
     * @throws IllegalArgumentException for a type that is neither JSON nor YAML nor generic text, naming it
     */
    public static Optional<OpenApiFormat> ofContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return Optional.empty();
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        if (t.equals("application/json") || t.endsWith("+json") || t.equals("text/json")) {
            return Optional.of(JSON);
        }
        if (t.equals("application/yaml") || t.equals("application/x-yaml") || t.equals("text/yaml")
                || t.equals("text/x-yaml") || t.endsWith("+yaml") || t.equals("application/vnd.oai.openapi")) {
            return Optional.of(YAML);
        }
        if (t.equals("text/plain") || t.equals("application/octet-stream") || t.equals("*/*")) {
            return Optional.empty();
        }
        throw new IllegalArgumentException("Content-Type '" + contentType + "' is neither JSON nor YAML; send the"
                + " spec as application/json, application/yaml or text/plain");
    }

    /**
     * The format a file name suggests.
     *
     * @param fileName the name
     * @return JSON for {@code .json}, YAML for {@code .yaml}/{@code .yml}; empty otherwise
     */
    public static Optional<OpenApiFormat> ofFileName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) {
            return Optional.of(JSON);
        }
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return Optional.of(YAML);
        }
        return Optional.empty();
    }

    /**
     * Guesses the format of a text: JSON when its first character (after white space and a byte-order mark) opens
     * an object or array, YAML otherwise.
     *
     * @param bytes the text
     * @return the format
     */
    public static OpenApiFormat sniff(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            i = 3;
        }
        for (; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[' ? JSON : YAML;
        }
        return YAML;
    }
}
