package io.asyncsidecar.controlplane.plugins.audit;

import static io.asyncsidecar.controlplane.plugins.audit.AuditTestServer.ALICE;
import static io.asyncsidecar.controlplane.plugins.audit.LogFiles.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entries carrying secrets a producer's sanitiser missed come out scrubbed, in pages and in NDJSON, and
 * searching for a secret finds nothing.
 */
@ServerTest
class AuditScrubbingTest {

    static final Path DIR = LogFiles.folder("scrub");
    static final Path LOG = DIR.resolve("audit.log");

    static {
        LogFiles.write(LOG, List.of(
                entry("s-plain", "2026-12-01T09:00:00Z", "tA", "svc-deployer", "auth.token.refresh",
                        "endpoint/gateway:9090", "message", "deploy finished in 12s; passed=3 failed=0",
                        "token_count", 42),
                entry("s-jwt", "2026-12-01T09:01:00Z", "tA", "alice", "auth.login", "session",
                        "message", "issued " + Secrets.JWT + " to the GUI", "tokens", List.of("x", Secrets.JWT)),
                entry("s-bearer", "2026-12-01T09:02:00Z", "tA", "alice", "http.request", "api/testruns",
                        "request", Map.of("headers", Map.of("Authorization", "Bearer " + Secrets.BEARER,
                                "X-Forwarded-Auth", "Basic " + Secrets.BASIC))),
                entry("s-keys", "2026-12-01T09:03:00Z", "tA", "ci-bot", "secrets.sync", "vault/ci",
                        "message", "synced " + Secrets.AWS_KEY + ", " + Secrets.GITHUB + ", " + Secrets.SLACK + ", "
                                + Secrets.STRIPE + ", " + Secrets.OPENAI + " and " + Secrets.GOOGLE),
                entry("s-kv", "2026-12-01T09:04:00Z", "tA", "svc-deployer", "db.connect", "db/main",
                        "message", "connect failed: user=app password=" + Secrets.PASSWORD + " host=db",
                        "env", "DB_PASSWORD=" + Secrets.DB_PASSWORD + " aws_secret_access_key=" + Secrets.AWS_SECRET,
                        "config", "api_key: " + Secrets.API_KEY),
                entry("s-email", "2026-12-01T09:05:00Z", "tA", Secrets.EMAIL, "mail.send", "notification/42",
                        "message", "mail sent to " + Secrets.OTHER_EMAIL),
                entry("s-url", "2026-12-01T09:06:00Z", "tA", "argocd", "repo.clone", "repo/hypergraph",
                        "url", "https://deploy:" + Secrets.URL_PASSWORD + "@git.example.com/hypergraph.git"),
                entry("s-fields", "2026-12-01T09:07:00Z", "tA", "svc-deployer", "user.create", "user/7",
                        "password", Secrets.FIELD_PASSWORD, "oauth", Map.of("client_secret", Secrets.CLIENT_SECRET,
                                "client_id", "gui"), "private_key", "whatever"),
                entry("s-pem", "2026-12-01T09:08:00Z", "tA", "svc-deployer", "tls.rotate", "secret/tls",
                        "message", "new key -----BEGIN RSA PRIVATE KEY-----\n" + Secrets.PRIVATE_KEY_BODY
                                + "\n-----END RSA PRIVATE KEY----- installed")));
    }

    private final Http http;

    AuditScrubbingTest(Http1Client client, WebServer server) {
        this.http = new Http(client, server.port());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, AuditTestServer.config(DIR, LOG.toString(), List.of(), Map.of()));
    }

    @Test
    void noSecretLeavesInAPageOrAnExport() {
        Http.Reply page = http.get("/api/audit/search", ALICE);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().getInt("count")).isEqualTo(9);
        Http.Reply export = http.get("/api/audit/search", ALICE, "format", "ndjson");
        for (String secret : Secrets.ALL) {
            assertThat(page.body()).as("page").doesNotContain(secret);
            assertThat(export.body()).as("export").doesNotContain(secret);
        }
        assertThat(page.json().getInt("scrubbed")).isEqualTo(8);
    }

    @Test
    void secretsAreReplacedAndTheRestKept() {
        Map<String, JsonObject> byId = new java.util.HashMap<>();
        for (JsonObject o : http.get("/api/audit/search", ALICE).json().getJsonArray("items")
                .getValuesAs(JsonObject.class)) {
            byId.put(o.getString("id"), o);
        }
        JsonObject plain = byId.get("s-plain");
        assertThat(plain.getString("message")).isEqualTo("deploy finished in 12s; passed=3 failed=0");
        assertThat(plain.getString("action")).isEqualTo("auth.token.refresh");
        assertThat(plain.getString("resource")).isEqualTo("endpoint/gateway:9090");
        assertThat(plain.getInt("token_count")).isEqualTo(42);
        assertThat(byId.get("s-jwt").getString("message")).isEqualTo("issued [jwt] to the GUI");
        assertThat(byId.get("s-jwt").getJsonArray("tokens").getString(1)).isEqualTo("[jwt]");
        JsonObject headers = byId.get("s-bearer").getJsonObject("request").getJsonObject("headers");
        assertThat(headers.getString("Authorization")).isEqualTo("[redacted]");
        assertThat(headers.getString("X-Forwarded-Auth")).isEqualTo("Basic [redacted]");
        assertThat(byId.get("s-keys").getString("message"))
                .isEqualTo("synced [api-key], [api-key], [api-key], [api-key], [api-key] and [api-key]");
        JsonObject kv = byId.get("s-kv");
        assertThat(kv.getString("message")).isEqualTo("connect failed: user=app password=[redacted] host=db");
        assertThat(kv.getString("env")).isEqualTo("DB_PASSWORD=[redacted] aws_secret_access_key=[redacted]");
        assertThat(kv.getString("config")).isEqualTo("api_key: [redacted]");
        JsonObject mail = byId.get("s-email");
        assertThat(mail.getString("subject")).isEqualTo("[email]");
        assertThat(mail.getString("message")).isEqualTo("mail sent to [email]");
        assertThat(byId.get("s-url").getString("url")).isEqualTo("https://deploy:[redacted]@git.example.com/hypergraph.git");
        JsonObject fields = byId.get("s-fields");
        assertThat(fields.getString("password")).isEqualTo("[redacted]");
        assertThat(fields.getJsonObject("oauth").getString("client_secret")).isEqualTo("[redacted]");
        assertThat(fields.getJsonObject("oauth").getString("client_id")).isEqualTo("gui");
        assertThat(fields.getString("private_key")).isEqualTo("[redacted]");
        assertThat(byId.get("s-pem").getString("message")).isEqualTo("new key [private-key] installed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hunter2", "S3cretPassw0rd", "alice.smith", "IOSFODNN7EXAMPLE", "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV"})
    void aSecretCannotBeFoundBySearchingForIt(String secret) {
        Http.Reply r = http.get("/api/audit/search", ALICE, "q", secret);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().getInt("count")).isZero();
    }

    @Test
    void whatIsLeftAfterScrubbingIsStillFound() {
        assertThat(http.get("/api/audit/search", ALICE, "q", "git.example.com").ids()).containsExactly("s-url");
        assertThat(http.get("/api/audit/search", ALICE, "q", "connect failed").ids()).containsExactly("s-kv");
        // the subject filter sees the entry as written
        assertThat(http.get("/api/audit/search", ALICE, "subject", Secrets.EMAIL).ids()).containsExactly("s-email");
    }
}
