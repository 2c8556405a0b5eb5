package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Reads the findings of a check report in tests.
 */
final class Reports {

    static final String TOKEN = "Bearer deploy";
    /** The auth config every test server uses: one token with deployments.read, one without. */
    static final String TOKENS = "{\"deploy\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"deployments.read\"]},"
            + "\"other\":{\"tenant_id\":\"tA\",\"subject\":\"bob\",\"scopes\":[\"tests.read\"]}}";

    private Reports() {
    }

    /**
     * A GET with the test token; the URI's query is passed as query parameters (the client would otherwise
     * encode the '?' into the path).
     */
    static io.helidon.webclient.api.HttpClientResponse get(io.helidon.webclient.http1.Http1Client client, String uri,
                                                            String authorization) {
        int q = uri.indexOf('?');
        var request = client.get(q < 0 ? uri : uri.substring(0, q));
        if (q >= 0) {
            java.util.Map<String, java.util.List<String>> params = new java.util.LinkedHashMap<>();
            for (String pair : uri.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                params.computeIfAbsent(eq < 0 ? pair : pair.substring(0, eq), k -> new java.util.ArrayList<>())
                        .add(eq < 0 ? "" : pair.substring(eq + 1));
            }
            params.forEach((name, values) -> request.queryParam(name, values.toArray(String[]::new)));
        }
        if (authorization != null) {
            request.header(io.helidon.http.HeaderNames.AUTHORIZATION, authorization);
        }
        return request.request();
    }

    /** A GET that must answer 200, as JSON. */
    static JsonObject ok(io.helidon.webclient.http1.Http1Client client, String uri) {
        try (var res = get(client, uri, TOKEN)) {
            org.assertj.core.api.Assertions.assertThat(res.status()).as(uri)
                    .isEqualTo(io.helidon.http.Status.OK_200);
            return res.as(JsonObject.class);
        }
    }

    /** A GET that must answer a problem with this status whose detail names the parameter. */
    static JsonObject problem(io.helidon.webclient.http1.Http1Client client, String uri, int status,
                              String parameter) {
        try (var res = get(client, uri, TOKEN)) {
            org.assertj.core.api.Assertions.assertThat(res.status().code()).as(uri).isEqualTo(status);
            org.assertj.core.api.Assertions.assertThat(res.headers().contentType().orElseThrow().text())
                    .contains("problem+json");
            JsonObject problem = res.as(JsonObject.class);
            org.assertj.core.api.Assertions.assertThat(problem.getString("detail")).as(uri)
                    .contains("'" + parameter + "'");
            return problem;
        }
    }

    /** Active findings with this check id about the object of this kind and name. */
    static List<JsonObject> findings(JsonObject report, String checkId, String kind, String name) {
        return select(report.getJsonArray("findings"), checkId, kind, name);
    }

    /** Ignored findings with this check id about the object of this kind and name. */
    static List<JsonObject> ignored(JsonObject report, String checkId, String kind, String name) {
        return select(report.getJsonArray("ignored"), checkId, kind, name);
    }

    /** Active findings with this check id (any object or none). */
    static List<JsonObject> findings(JsonObject report, String checkId) {
        return report.getJsonArray("findings").stream().map(JsonValue::asJsonObject)
                .filter(f -> f.getString("check").equals(checkId)).toList();
    }

    /** Active findings about one object, whatever the check. */
    static List<JsonObject> about(JsonObject report, String kind, String name) {
        return report.getJsonArray("findings").stream().map(JsonValue::asJsonObject)
                .filter(f -> f.containsKey("object") && kind.equals(f.getJsonObject("object").getString("kind"))
                        && name.equals(f.getJsonObject("object").getString("name")))
                .toList();
    }

    private static List<JsonObject> select(jakarta.json.JsonArray list, String checkId, String kind, String name) {
        return list.stream().map(JsonValue::asJsonObject)
                .filter(f -> f.getString("check").equals(checkId))
                .filter(f -> f.containsKey("object") && kind.equals(f.getJsonObject("object").getString("kind"))
                        && name.equals(f.getJsonObject("object").getString("name")))
                .toList();
    }

    /** The 1-based line of the first line of a file that contains a text (to check findings' lines). */
    static int lineOf(java.nio.file.Path file, String text) throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("'" + text + "' not in " + file);
    }
}
