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
 * 400 naming the position of malformed JSON or a body that is not an object. The server enforces the size
 * limit (413) before the handler runs.
 */
public final class JsonRequests {

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
