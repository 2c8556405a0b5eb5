package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.assertj.core.api.Assertions.assertThat;

/** GET requests against a {@link DistributionProcess}, asserting the status and reading JSON answers. */
final class DistHttp {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DistributionProcess server;

    DistHttp(DistributionProcess server) {
        this.server = server;
    }

    /**
     * @param path   path and query
     * @param token  bearer token, or null for none
     * @param status the status expected
     * @return the JSON object answered
     */
    JsonObject json(String path, String token, int status) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(120)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("GET " + path + ": " + res.body()).isEqualTo(status);
        return Json.createReader(new StringReader(res.body())).readObject();
    }

    /** @return the first entry of {@code GET /api/plugins} with that id */
    JsonObject plugin(String token, String id) throws IOException, InterruptedException {
        return json("/api/plugins", token, 200).getJsonArray("plugins").getValuesAs(JsonObject.class).stream()
                .filter(p -> p.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("plugin " + id + " not listed"));
    }
}
