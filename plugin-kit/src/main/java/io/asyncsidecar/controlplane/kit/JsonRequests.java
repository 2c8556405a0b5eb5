package io.asyncsidecar.controlplane.kit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.stream.JsonParsingException;

/**
 * Reads JSON request bodies with the errors a caller can act on: 415 for a content type that is not JSON,
 * 400 naming the position of malformed JSON or a body that is not an object, 400 naming the limit for JSON nested
 * deeper than {@value #MAX_DEPTH} levels or a number longer than {@value #MAX_NUMBER_LENGTH} characters (the
 * parser would fail on those with an exception of its own, or spend the time of a big decimal's digits). The
 * server enforces the size limit (413) before the handler runs.
 */
public final class JsonRequests {

    /** Arrays and objects nested deeper than this are refused. */
    public static final int MAX_DEPTH = 256;
    /** Numbers written with more characters than this are refused. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    private JsonRequests() {
    }

    /**
     * Reads the request body as a JSON object. An empty body reads as {@code {}}.
     *
     * @param request the request
     * @return the object
     * @throws ProblemException 415 or 400 as described above
     */
    public static JsonObject object(ServerRequest request) {
        String type = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        byte[] body;
        try (InputStream in = request.content().inputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length == 0) {
            return JsonObject.EMPTY_JSON_OBJECT;
        }
        if (!isJson(type)) {
            throw ProblemException.of(415, "Unsupported Media Type",
                    "request body must be application/json, got '" + (type.isEmpty() ? "no content type" : type) + "'");
        }
        return parseObject(body);
    }

    /**
     * Parses bytes as a JSON object.
     *
     * @param body the bytes
     * @return the object
     * @throws ProblemException 400 when malformed or not an object
     */
    public static JsonObject parseObject(byte[] body) {
        checkLimits(body);
        try (JsonReader reader = JsonCodec.reader(new ByteArrayInputStream(body))) {
            JsonStructure s = reader.read();
            if (s instanceof JsonObject o) {
                return o;
            }
            throw ProblemException.badRequest("request body must be a JSON object, got a JSON " + s.getValueType()
                    .name().toLowerCase(java.util.Locale.ROOT));
        } catch (JsonParsingException e) {
            var loc = e.getLocation();
            throw ProblemException.badRequest("malformed JSON at line " + loc.getLineNumber() + ", column "
                    + loc.getColumnNumber() + ": " + e.getMessage());
        } catch (JsonException e) {
            throw ProblemException.badRequest("malformed JSON: " + e.getMessage());
        }
    }

    /**
     * Refuses, before any parser sees them, JSON texts nested deeper than {@value #MAX_DEPTH} or holding a number
     * longer than {@value #MAX_NUMBER_LENGTH} characters. One pass over the bytes; strings are skipped, so their
     * content counts for neither.
     *
     * @param json the UTF-8 text
     * @throws ProblemException 400 naming the limit
     */
    public static void checkLimits(byte[] json) {
        int depth = 0;
        int number = 0;
        boolean inString = false;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            if (b >= '0' && b <= '9' || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E') {
                if (++number > MAX_NUMBER_LENGTH) {
                    throw ProblemException.badRequest("JSON number longer than " + MAX_NUMBER_LENGTH
                            + " characters at byte " + (i - number + 1)).with("limit", MAX_NUMBER_LENGTH);
                }
                continue;
            }
            number = 0;
            if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                if (++depth > MAX_DEPTH) {
                    throw ProblemException.badRequest("JSON nested deeper than " + MAX_DEPTH + " levels at byte " + i)
                            .with("limit", MAX_DEPTH);
                }
            } else if (b == ']' || b == '}') {
                depth--;
            }
        }
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        return t.equals("application/json") || t.endsWith("+json");
    }
}
