package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.StringReader;
import java.time.Duration;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * Small helper over Helidon's HTTP/1 client for the test-run API.
 */
final class Api {

    private static final Set<String> FINAL = Set.of("passed", "failed", "error", "cancelled", "interrupted");

    private final Http1Client client;

    Api(Http1Client client) {
        this.client = client;
    }

    /** A response. */
    record Reply(int status, String body, String contentType, String location) {
        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }
    }

    Reply post(String path, String token, String body, String... headers) {
        Http1ClientRequest req = request(Method.POST, path);
        auth(req, token, headers);
        req.header(HeaderNames.CONTENT_TYPE, "application/json");
        try (Http1ClientResponse res = req.submit(body)) {
            return reply(res);
        }
    }

    Reply get(String path, String token, String... headers) {
        Http1ClientRequest req = request(Method.GET, path);
        auth(req, token, headers);
        try (Http1ClientResponse res = req.request()) {
            return reply(res);
        }
    }

    /** Submits a run and returns its id, asserting the 202. */
    String start(String token, String body) {
        Reply r = post("/api/testruns", token, body);
        if (r.status() != 202) {
            throw new AssertionError("expected 202, got " + r.status() + ": " + r.body());
        }
        return r.json().getString("id");
    }

    /** Polls a run until it is final. */
    JsonObject awaitFinal(String id, String token, Duration timeout) throws InterruptedException {
        return awaitStatus(id, token, timeout, FINAL);
    }

    /** Polls a run until its status is one of these. */
    JsonObject awaitStatus(String id, String token, Duration timeout, Set<String> statuses)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            Reply r = get("/api/testruns/" + id, token);
            if (r.status() != 200) {
                throw new AssertionError("GET run " + id + ": " + r.status() + " " + r.body());
            }
            last = r.json();
            if (statuses.contains(last.getString("status"))) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " not in " + statuses + " after " + timeout + ": " + last);
    }

    private Http1ClientRequest request(Method method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        Http1ClientRequest req = client.method(method).path(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                req.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return req;
    }

    private static void auth(Http1ClientRequest req, String token, String... headers) {
        if (token != null) {
            req.header(HeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            req.header(HeaderNames.create(headers[i]), headers[i + 1]);
        }
    }

    private static Reply reply(Http1ClientResponse res) {
        return new Reply(res.status().code(), res.entity().as(String.class),
                res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""),
                res.headers().first(HeaderNames.LOCATION).orElse(null));
    }
}
