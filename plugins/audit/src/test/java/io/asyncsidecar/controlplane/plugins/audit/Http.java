package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Small helper over Helidon's HTTP/1 client for the audit API.
 */
final class Http {

    private final Http1Client client;
    private final int port;

    Http(Http1Client client, int port) {
        this.client = client;
        this.port = port;
    }

    /** A response. */
    record Reply(int status, String body, String contentType) {
        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }

        /** The ids of the items of a search answer, in order. */
        List<String> ids() {
            return json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
                    .map(o -> o.getString("id")).toList();
        }

        /** The ids of an NDJSON answer's lines, in order. */
        List<String> ndjsonIds() {
            return body.lines().filter(l -> !l.isEmpty()).map(l -> {
                try (JsonReader r = Json.createReader(new StringReader(l))) {
                    return r.readObject().getString("id");
                }
            }).toList();
        }

        String detail() {
            return json().getString("detail");
        }

        String nextCursor() {
            JsonValue v = json().get("next_cursor");
            return v instanceof JsonString s ? s.getString() : null;
        }
    }

    /** GET of a path with its query as written (repeated names, odd encodings), by the JDK's client. */
    Reply raw(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * GET with query parameters as pairs, then header pairs after a {@code "--"}.
     */
    Reply get(String path, String token, String... pairs) {
        Http1ClientRequest req = client.method(Method.GET).path(path);
        int i = 0;
        for (; i < pairs.length && !pairs[i].equals("--"); i += 2) {
            req.queryParam(pairs[i], pairs[i + 1]);
        }
        if (token != null) {
            req.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        for (i = i + 1; i + 1 < pairs.length; i += 2) {
            req.header(HeaderNames.create(pairs[i]), pairs[i + 1]);
        }
        try (Http1ClientResponse res = req.request()) {
            return new Reply(res.status().code(), res.entity().as(String.class),
                    res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
        }
    }
}
