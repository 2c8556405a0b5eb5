package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.testing.HostileWorkspace;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every plugin that reads the workspace, in the packaged distribution, over a workspace from a hostile pull request:
 * each file the demo configuration names (chart values and templates, Argo CD apps, Karpenter pools, the OpenAPI
 * spec, the scenario, the audit log) replaced in turn by a huge file, deep nesting, binary bytes, UTF-16, invalid
 * UTF-8, a link out of the workspace and YAML bombs. Every answer must be a 2xx or a 4xx problem, quick, and show
 * neither the secret beside the workspace nor an absolute server path; the server stays healthy.
 */
class HostileWorkspaceIT {

    /** Files of the demo workspace the configuration names, as its plugins read them. */
    private static final List<String> TARGETS = List.of(
            "manifests/helm/hypergraph/values.yaml",
            "manifests/helm/hypergraph/templates/keda-scalers.yaml",
            "manifests/argocd/argocd-apps.yaml",
            "manifests/karpenter/karpenter-provisioners.yaml",
            "manifests/policies/hypergraph-images.yaml",
            "api/openapi/hypergraph-api.yaml",
            "tests/e2e/scenarios/generic.yaml",
            "audit/audit.log");

    /** Requests that read those files, with their method. */
    private static final List<String[]> READS = List.of(
            new String[] {"GET", "/api/helm/checks"},
            new String[] {"GET", "/api/helm/checks?values=values-prod.yaml"},
            new String[] {"GET", "/api/argocd/apps"},
            new String[] {"GET", "/api/keda/scalers"},
            new String[] {"GET", "/api/karpenter/nodepools"},
            new String[] {"POST", "/api/compliance/openapi/check"},
            new String[] {"GET", "/api/audit/search?limit=20"},
            new String[] {"GET", "/api/checks"});

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TestFactory
    List<DynamicNode> everyPluginReadsEveryHostileFileSafely() {
        Map<String, BiConsumer<HostileWorkspace, String>> variants = new LinkedHashMap<>();
        variants.put("huge (40 MiB)", (w, f) -> write(w, f, huge()));
        variants.put("nested 100,000 deep", (w, f) -> write(w, f, ("[".repeat(100_000) + "]".repeat(100_000))
                .getBytes(StandardCharsets.UTF_8)));
        variants.put("binary", (w, f) -> write(w, f, binary()));
        variants.put("UTF-16 with a byte-order mark", (w, f) -> write(w, f, utf16(w, f)));
        variants.put("invalid UTF-8", (w, f) -> write(w, f, new byte[] {'a', ':', ' ', (byte) 0xC3, 0x28, '\n',
                (byte) 0xFF, (byte) 0xFE, '\n'}));
        variants.put("a link to a secret outside", HostileWorkspace::linkToSecret);
        variants.put("an alias bomb", (w, f) -> w.write(f, HostileWorkspace.aliasBomb()));
        variants.put("a merge-key bomb", (w, f) -> w.write(f, HostileWorkspace.mergeBomb()));

        List<DynamicNode> nodes = new ArrayList<>();
        variants.forEach((name, make) -> nodes.add(DynamicContainer.dynamicContainer(name,
                List.of(DynamicTest.dynamicTest("every workspace file " + name, () -> check(name, make))))));
        return nodes;
    }

    private void check(String variant, BiConsumer<HostileWorkspace, String> make) throws Exception {
        HostileWorkspace workspace = HostileWorkspace.create("hostile-ws");
        copyDemo(workspace.root());
        for (String target : TARGETS) {
            make.accept(workspace, target);
        }
        try (DistributionProcess server = DistributionProcess.start(Map.of("CP_WORKSPACE",
                workspace.root().toString()))) {
            for (String[] read : READS) {
                long start = System.nanoTime();
                HttpResponse<String> res = send(server, read[0], read[1], "demo-admin");
                long millis = (System.nanoTime() - start) / 1_000_000;
                String what = variant + ": " + read[0] + " " + read[1] + " → " + res.statusCode() + " in " + millis
                        + " ms: " + abbreviate(res.body());
                assertThat(res.statusCode()).as(what).isLessThan(500);
                if (res.statusCode() >= 400) {
                    assertThat(res.headers().firstValue("content-type").orElse("")).as(what)
                            .startsWith("application/problem+json");
                }
                assertThat(workspace.leaks(res.body())).as("leaks the secret or a server path: " + what).isFalse();
                assertThat(res.body()).as(what).doesNotContain("Exception", "\tat ");
                assertThat(millis).as(what).isLessThan(ANSWER_WITHIN.toMillis());
            }
            assertThat(send(server, "GET", "/health/ready", null).statusCode()).as(variant + ": still ready")
                    .isEqualTo(200);
            assertThat(send(server, "GET", "/api/plugins", "demo-admin").statusCode()).isEqualTo(200);
            assertThat(server.output()).as(variant + ": the log shows no secret").doesNotContain(workspace.secret());
        }
    }

    private HttpResponse<String> send(DistributionProcess server, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(ANSWER_WITHIN.plusSeconds(30));
        b.method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }

    private static byte[] huge() {
        byte[] line = "key: a value repeated to make the file large, far past every read limit\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[40 << 20];
        for (int i = 0; i + line.length <= out.length; i += line.length) {
            System.arraycopy(line, 0, out, i, line.length);
        }
        return out;
    }

    private static byte[] binary() {
        byte[] out = new byte[256 << 10];
        new Random(13).nextBytes(out);
        return out;
    }

    private static byte[] utf16(HostileWorkspace w, String file) {
        try {
            Path p = w.root().resolve(file);
            String text = Files.isRegularFile(p) ? Files.readString(p) : "a: b\n";
            byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
            byte[] out = new byte[body.length + 2];
            out[0] = (byte) 0xFF;
            out[1] = (byte) 0xFE;
            System.arraycopy(body, 0, out, 2, body.length);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(HostileWorkspace w, String relative, byte[] bytes) {
        try {
            Path p = w.root().resolve(relative);
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo workspace is ours (config/workspace), so a copy of it is the base every variant spoils. */
    private static void copyDemo(Path to) throws IOException {
        Path demo = DistributionProcess.DIST.resolve("config/workspace");
        try (Stream<Path> walk = Files.walk(demo)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(demo.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
