package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.List;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls {@code POST /api/compliance/openapi/check} in tests and reads its answer.
 */
final class OpenApiChecks {

    static final String ROUTE = "/api/compliance/openapi/check";

    private OpenApiChecks() {
    }

    /**
     * Checks a workspace file.
     *
     * @param client      the client
     * @param path        the file, relative to the workspace; null for the configured spec
     * @param queryParams more parameters, as name, value pairs
     * @return the JSON answer (asserted 200)
     */
    static JsonObject check(Http1Client client, String path, String... queryParams) {
        Http1ClientRequest req = client.post(ROUTE);
        if (path != null) {
            req.queryParam("path", path);
        }
        for (int i = 0; i < queryParams.length; i += 2) {
            req.queryParam(queryParams[i], queryParams[i + 1]);
        }
        ClientResponseTyped<String> res = req.request(String.class);
        assertThat(res.status()).as(res.entity()).isEqualTo(Status.OK_200);
        return parse(res.entity());
    }

    /**
     * The active findings of one check id.
     *
     * @param body  the answer
     * @param check the check id
     * @return the findings
     */
    static List<JsonObject> findings(JsonObject body, String check) {
        return body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(check)).toList();
    }

    /**
     * The pointers of the active findings of one check id, in order.
     *
     * @param body  the answer
     * @param check the check id
     * @return the pointers
     */
    static List<String> pointers(JsonObject body, String check) {
        return findings(body, check).stream().map(f -> f.getString("pointer")).toList();
    }

    /**
     * The one active finding of a check at a pointer.
     *
     * @param body    the answer
     * @param check   the check id
     * @param pointer the pointer
     * @return the finding
     */
    static JsonObject at(JsonObject body, String check, String pointer) {
        return findings(body, check).stream().filter(f -> f.getString("pointer").equals(pointer)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " at " + pointer + " in "
                        + body.getJsonArray("findings")));
    }

    /**
     * The non-compliant paths the GUI reads.
     *
     * @param body the answer
     * @return the paths
     */
    static List<String> nonV1(JsonObject body) {
        return body.getJsonArray("non_v1_paths").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .toList();
    }
}
