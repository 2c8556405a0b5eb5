package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max-concurrent}: full validations beyond it wait for a slot, up to {@code queue-timeout-ms}, then get
 * 503; {@code mode=minimal} holds no tree and needs no slot.
 */
@ServerTest
class HifConcurrencyTest {

    private final URI uri;

    HifConcurrencyTest(URI uri) {
        this.uri = uri;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"t1\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"compliance.read\"]}}",
                "data-dir", "target/test-data/hif-concurrency",
                "plugins.compliance.hif.max-concurrent", "1",
                "plugins.compliance.hif.queue-timeout-ms", "0"));
    }

    @Test
    void aSlowUploadHoldsTheOnlySlot() throws Exception {
        // a raw socket, so the upload is certainly half-sent: headers and a first chunk, the rest later
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Socket slow = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + HifValidationApiTest.PATH + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t1\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk("{\"nodes\":["))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            HttpResponse<String> busy = null;
            for (int i = 0; i < 100; i++) {
                busy = http.send(request("", HttpRequest.BodyPublishers.ofString("{\"nodes\":[],\"hyperedges\":[]}")),
                        HttpResponse.BodyHandlers.ofString());
                if (busy.statusCode() == 503) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
            assertThat(busy.body()).contains("HIF validations: all 1 slots stayed busy for 0 ms (plugins.compliance.hif.max-concurrent");
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");

            HttpResponse<String> minimal = http.send(request("?mode=minimal",
                    HttpRequest.BodyPublishers.ofString("{\"meta\":{\"version\":\"hif-1\"}}")), HttpResponse.BodyHandlers.ofString());
            assertThat(minimal.statusCode()).isEqualTo(200);

            out.write((chunk("],\"hyperedges\":[]}") + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slow.setSoTimeout(30_000);
            String status = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    private static String chunk(String s) {
        return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
    }

    private HttpRequest request(String query, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(uri.resolve(HifValidationApiTest.PATH + query)).header("Authorization", "Bearer t1")
                .header("Content-Type", "application/json").POST(body).build();
    }
}
