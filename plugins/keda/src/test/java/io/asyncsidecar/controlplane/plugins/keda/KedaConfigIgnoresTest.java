package io.asyncsidecar.controlplane.plugins.keda;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.checksOf;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.finding;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plugins.keda.ignore} on the module's webhook cases: the cpu trigger's missing request on the target's
 * sidecar container is ignored from the config (the finding names the container), and a parse error of a
 * generated file by an entry without an object.
 */
@ServerTest
class KedaConfigIgnoresTest {

    private static final String REASON = "OPS-12: the sidecar's cpu is capped by the mesh, not by KEDA";

    private final Http1Client client;

    KedaConfigIgnoresTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", "src/test/workspace",
                "data-dir", "target/test-data/keda-config-ignores",
                "plugins.keda.chart", "",
                "plugins.keda.manifests", "manifests/keda/webhook-cases.yaml",
                "plugins.keda.ignore.0.check", KedaScan.RESOURCE_REQUESTS,
                "plugins.keda.ignore.0.object", "ScaledObject//api-cpu",
                "plugins.keda.ignore.0.container", "sidecar",
                "plugins.keda.ignore.0.reason", REASON,
                // names a container the finding is not about: no effect
                "plugins.keda.ignore.1.check", KedaScan.SCALE_TO_ZERO,
                "plugins.keda.ignore.1.object", "ScaledObject/*/api-cpu",
                "plugins.keda.ignore.1.container", "api",
                "plugins.keda.ignore.1.reason", "not about a container",
                "plugins.keda.ignore.2.check", "yaml.parse",
                "plugins.keda.ignore.2.reason", "broken.yaml is a test fixture"));
    }

    @Test
    void theSidecarsMissingCpuRequestIsIgnoredWithTheConfigsReason() {
        JsonObject body = get(null);
        assertThat(checksOf(body.getJsonArray("findings"), "api-cpu")).containsExactlyInAnyOrder(
                KedaScan.SINGLE_SCALER, KedaScan.CACHED_METRICS, KedaScan.SCALE_TO_ZERO);
        JsonObject requests = finding(body.getJsonArray("ignored"), "api-cpu", KedaScan.RESOURCE_REQUESTS);
        assertThat(requests.getString("message")).contains("the container sidecar of Deployment/api");
        assertThat(requests.getString("container")).isEqualTo("sidecar");
        assertThat(requests.getString("ignored_reason")).isEqualTo(REASON);
        assertThat(requests.getString("ignored_source")).isEqualTo("config");
        assertThat(finding(body.getJsonArray("findings"), "api-cpu", KedaScan.SCALE_TO_ZERO).containsKey("container"))
                .isFalse();
        // the file's own annotation still ignores the legacy target
        assertThat(finding(body.getJsonArray("ignored"), "legacy", KedaScan.TARGET_EXISTS).getString("ignored_source"))
                .isEqualTo("annotation");
        assertThat(body.getJsonObject("summary").getInt("ignored")).isEqualTo(2);
    }

    @Test
    void anEntryWithoutObjectCoversFileLevelFindings() {
        JsonObject body = get("manifests/keda/broken.yaml");
        assertThat(body.getJsonArray("findings")).isEmpty();
        JsonObject parse = body.getJsonArray("ignored").getJsonObject(0);
        assertThat(parse.getString("check")).isEqualTo("yaml.parse");
        assertThat(parse.getString("ignored_reason")).isEqualTo("broken.yaml is a test fixture");
        assertThat(parse.getString("ignored_source")).isEqualTo("config");
    }

    private JsonObject get(String path) {
        var req = client.get("/api/keda/scalers");
        if (path != null) {
            req.queryParam("path", path);
        }
        ClientResponseTyped<String> r = req.request(String.class);
        assertThat(r.status()).as(r.entity()).isEqualTo(Status.OK_200);
        return parse(r.entity());
    }
}
