package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.ProblemException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;

/**
 * The original GUI's fallback, {@code mode=minimal}: checks only that {@code meta.version} is {@code "hif-1"}.
 * It streams the body and keeps nothing but that value, so it needs no tree and no more memory for a large
 * document than for a small one; the JSON must still be well-formed and within {@code max-bytes} and
 * {@code max-depth}.
 */
public final class HifMinimalCheck {

    /** The version the minimal check expects. */
    public static final String VERSION = "hif-1";
    static final String NOTE = "minimal check: only meta.version == \"hif-1\" was checked; the schema was not applied";

    private final HifSettings settings;
    private final JsonFactory factory;

    /**
     * @param settings the limits
     */
    public HifMinimalCheck(HifSettings settings) {
        this.settings = settings;
        this.factory = HifDocumentReader.factory(settings);
    }

    /** What {@code meta.version} held: absent, or a JSON value's text and whether it is a string. */
    private record Version(String text, boolean string) {
    }

    /**
     * @param body the request body; not closed
     * @return the answer's body as plain values for the kit's JsonCodec
     * @throws ProblemException 400 or 413 for a body that is not a JSON object or is too large
     */
    public Map<String, Object> check(InputStream body) {
        long start = System.nanoTime();
        HifBodyLimit in = new HifBodyLimit(body, settings.maxBytes());
        Scan scan;
        try (JsonParser p = factory.createParser(in)) {
            try {
                scan = scan(p);
            } catch (StreamConstraintsException e) {
                throw HifDocumentReader.beyondLimit(e, settings, HifDocumentReader.parserPointer(p), p.currentLocation());
            }
        } catch (StreamReadException e) {
            throw HifDocumentReader.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean wrapped = scan.members == 1 && scan.payloadType != null;
        if (wrapped && !scan.payloadType.equals("object")) {
            throw ProblemException.badRequest("payload must be a HIF document (a JSON object), got a JSON " + scan.payloadType);
        }
        Version version = wrapped ? scan.payloadVersion : scan.rootVersion;
        String problem = null;
        if (version == null) {
            problem = "meta.version is missing; the minimal check expects \"" + VERSION + "\"";
        } else if (!version.string() || !version.text().equals(VERSION)) {
            problem = "meta.version is " + (version.string() ? "\"" + shorten(version.text()) + "\"" : shorten(version.text()))
                    + ", not \"" + VERSION + "\"";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", problem == null);
        m.put("mode", "minimal");
        m.put("note", NOTE);
        if (problem != null) {
            m.put("message", problem);
        }
        m.put("bytes", in.count());
        m.put("took_ms", Math.round((System.nanoTime() - start) / 1e4) / 100.0);
        return m;
    }

    /** What one pass over the body found at the top level and inside a {@code payload} member. */
    private static final class Scan {
        int members;
        String payloadType;
        Version rootVersion;
        Version payloadVersion;
    }

    private static Scan scan(JsonParser p) throws IOException {
        Scan scan = new Scan();
        JsonToken t = p.nextToken();
        if (t == null) {
            throw ProblemException.badRequest("request body is empty: send a HIF document, or {\"payload\": <document>}");
        }
        if (t != JsonToken.START_OBJECT) {
            throw ProblemException.badRequest("request body must be a JSON object (a HIF document, or {\"payload\":"
                    + " <document>}), got a JSON " + typeOf(t));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            scan.members++;
            String name = p.currentName();
            t = p.nextToken();
            if (name.equals("meta")) {
                scan.rootVersion = metaVersion(p, t);
            } else if (name.equals("payload")) {
                scan.payloadType = typeOf(t);
                if (t == JsonToken.START_OBJECT) {
                    scan.payloadVersion = documentVersion(p);
                } else {
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw ProblemException.badRequest("unexpected content after the JSON document "
                    + HifDocumentReader.where(p.currentTokenLocation()));
        }
        return scan;
    }

    /** Reads a document object's members (the parser is inside it) and returns its meta.version. */
    private static Version documentVersion(JsonParser p) throws IOException {
        Version version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("meta")) {
                version = metaVersion(p, t);
            } else {
                p.skipChildren();
            }
        }
        return version;
    }

    /** Reads a {@code meta} value (the parser is at its first token) and returns its version member. */
    private static Version metaVersion(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Version version = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("version")) {
                version = switch (v) {
                    case VALUE_STRING -> new Version(p.getText(), true);
                    case START_OBJECT -> {
                        p.skipChildren();
                        yield new Version("an object", false);
                    }
                    case START_ARRAY -> {
                        p.skipChildren();
                        yield new Version("an array", false);
                    }
                    default -> new Version(p.getText(), false);
                };
            } else {
                p.skipChildren();
            }
        }
        return version;
    }

    private static String typeOf(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
