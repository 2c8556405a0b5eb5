package io.asyncsidecar.controlplane.plugins.keda;

import io.asyncsidecar.controlplane.server.testing.FindingsJson;
import java.util.List;

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
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.named;
import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook's refusals, one object each, from src/test/workspace/manifests/keda/webhook-cases.yaml (raw
 * manifests configured with {@code plugins.keda.manifests}, no chart), and an unparsable file.
 */
@ServerTest
class KedaWebhookCasesTest {

    private final Http1Client client;

    KedaWebhookCasesTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "workspace", "src/test/workspace",
                "data-dir", "target/test-data/keda-webhook",
                "plugins.keda.chart", "",
                "plugins.keda.manifests", "manifests/keda/webhook-cases.yaml"));
    }

    @Test
    void cpuTriggerWithoutRequestsCachedMetricsAndScaleToZero() {
        JsonObject body = get(null);
        assertThat(body.getBoolean("degraded")).isFalse();
        assertThat(body.getString("engine")).isEqualTo("yaml");
        assertThat(checksOf(body.getJsonArray("findings"), "api-cpu")).containsExactlyInAnyOrder(
                KedaScan.SINGLE_SCALER, KedaScan.CACHED_METRICS, KedaScan.SCALE_TO_ZERO, KedaScan.RESOURCE_REQUESTS);
        // the api container has only a cpu limit, which KEDA accepts; the sidecar has neither request nor limit
        JsonObject requests = finding(body.getJsonArray("findings"), "api-cpu", KedaScan.RESOURCE_REQUESTS);
        assertThat(requests.getString("message"))
                .isEqualTo("the scaledobject has a cpu trigger but the container sidecar of Deployment/api doesn't"
                        + " have the cpu request defined (resources.requests.cpu: unset, resources.limits.cpu: unset;"
                        + " no LimitRange of type Container in the scaler's namespace defaults cpu)");
        assertThat(requests.getString("file")).isEqualTo("manifests/keda/webhook-cases.yaml");
        assertThat(requests.getInt("line")).isEqualTo(30);
        assertThat(finding(body.getJsonArray("findings"), "api-cpu", KedaScan.SINGLE_SCALER).getString("message"))
                .contains("already managed by the hpa 'api'");
    }

    @Test
    void everyOtherWebhookRefusal() {
        JsonObject body = get(null);
        List<String> queue = checksOf(body.getJsonArray("findings"), "api-queue");
        assertThat(queue).containsExactlyInAnyOrder(KedaScan.SINGLE_SCALER, KedaScan.SINGLE_SCALER,
                KedaScan.REPLICA_BOUNDS, KedaScan.REPLICA_BOUNDS, KedaScan.FALLBACK, KedaScan.PROMETHEUS,
                KedaScan.TRIGGER_NAMES_UNIQUE, KedaScan.AUTH_EXISTS);
        assertThat(body.getJsonArray("findings").getValuesAs(JsonObject.class).stream()
                .filter(f -> f.getString("check").equals(KedaScan.REPLICA_BOUNDS)).map(f -> f.getString("message")))
                .contains("MinReplicaCount=2 must be less than MaxReplicaCount=1",
                        "IdleReplicaCount=2 must be less than MinReplicaCount=2",
                        "MinReplicaCount=5 must be less than MaxReplicaCount=2");
        assertThat(finding(body.getJsonArray("findings"), "api-queue", KedaScan.PROMETHEUS).getString("message"))
                .contains("no query").contains("threshold 'ten' is not a number");
        assertThat(finding(body.getJsonArray("findings"), "api-queue", KedaScan.TRIGGER_NAMES_UNIQUE)
                .getString("message")).startsWith("triggerName \"lag\" is defined multiple times");
        assertThat(finding(body.getJsonArray("findings"), "api-queue", KedaScan.AUTH_EXISTS).getString("message"))
                .contains("TriggerAuthentication 'rabbit-auth'");
        assertThat(checksOf(body.getJsonArray("findings"), "batch")).containsExactly(KedaScan.REPLICA_BOUNDS);
        assertThat(checksOf(body.getJsonArray("findings"), "aws-auth")).containsExactly(KedaScan.POD_IDENTITY);
        JsonObject batch = named(body.getJsonArray("scaled_jobs"), "batch");
        assertThat(batch.getJsonArray("triggers").getJsonObject(0).getJsonObject("authenticationRef")
                .getBoolean("exists")).isTrue();
    }

    @Test
    void oldApiIsFlaggedAndTheAnnotatedTargetFindingIgnored() {
        JsonObject body = get(null);
        assertThat(checksOf(body.getJsonArray("findings"), "legacy")).containsExactly(KedaScan.DEPRECATED_API);
        JsonObject ignored = finding(body.getJsonArray("ignored"), "legacy", KedaScan.TARGET_EXISTS);
        assertThat(ignored.getString("ignored_reason")).isEqualTo("the legacy worker is deployed by the batch team");
        JsonObject legacy = named(body.getJsonArray("scaled_objects"), "legacy");
        assertThat(legacy.getBoolean("deprecated_api")).isTrue();
        assertThat(legacy.getJsonObject("target").getString("name")).isEqualTo("legacy-worker");
    }

    @Test
    void secretsAreReferencedNeverShown() {
        ClientResponseTyped<String> r = client.get("/api/keda/scalers").request(String.class);
        assertThat(r.entity()).doesNotContain("hunter2").doesNotContain("c2VjcmV0");
        JsonObject body = parse(r.entity());
        JsonObject rabbit = named(body.getJsonArray("scaled_objects"), "api-queue").getJsonArray("triggers")
                .getJsonObject(1);
        assertThat(rabbit.getJsonObject("metadata").getString("host"))
                .isEqualTo("amqp://orders:***@rabbitmq.messaging:5672/");
        assertThat(rabbit.getJsonObject("metadata").getString("connectionString")).isEqualTo("***");
        JsonObject redis = named(body.getJsonArray("scaled_objects"), "legacy").getJsonArray("triggers")
                .getJsonObject(0);
        assertThat(redis.getJsonObject("metadata").getString("passwordFromEnv")).isEqualTo("REDIS_PASSWORD");
        assertThat(redis.getJsonArray("secrets_referenced").getString(0)).isEqualTo("env:REDIS_PASSWORD");
    }

    @Test
    void unparsableYamlIsAFindingWithItsLine() {
        JsonObject body = get("manifests/keda/broken.yaml");
        JsonObject parse = body.getJsonArray("findings").getJsonObject(0);
        assertThat(parse.getString("check")).isEqualTo("yaml.parse");
        assertThat(parse.getString("file")).isEqualTo("manifests/keda/broken.yaml");
        assertThat(parse.getInt("line")).isBetween(4, 6);
        assertThat(body.getJsonArray("scaled_objects")).isEmpty();
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
