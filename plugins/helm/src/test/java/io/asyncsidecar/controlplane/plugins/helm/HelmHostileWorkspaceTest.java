package io.asyncsidecar.controlplane.plugins.helm;

import java.time.Duration;
import java.util.List;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.HostileWorkspace;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code GET /api/helm/checks} over a workspace written to attack it. A chart with a template, a templates
 * folder, a values.yaml or a file linking out of the chart (to a secret outside the workspace, or to a file
 * beside the chart) is refused before any engine sees it, with a {@code helm.chart-link} finding naming the link;
 * a value file an Argo CD Application names that links out is not passed to Helm; YAML bombs as a chart's
 * values, as a values file and among the Argo CD manifests are {@code yaml.limit} findings answered at once.
 * No answer carries the secret or an absolute path of the server.
 */
@ServerTest
class HelmHostileWorkspaceTest {

    private static final String CHART = "apiVersion: v2\nname: %s\nversion: 1.0.0\nappVersion: \"1\"\n";
    private static final String CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
            + "data:\n  a: b\n";

    private static final HostileWorkspace WS = chart(chart(chart(chart(chart(chart(HostileWorkspace.create("helm-hostile"),
            "ok"), "template-link"), "templates-link"), "values-link"), "sibling-link"), "bomb-values")
            .linkToSecret("charts/template-link/templates/leak.yaml")
            .linkToSecretFolder("charts/templates-link/templates/more")
            .linkToSecret("charts/values-link/values.yaml")
            .write("beside.yaml", CONFIG_MAP)
            .linkInside("charts/sibling-link/files/beside.yaml", "beside.yaml")
            .write("charts/bomb-values/values.yaml", HostileWorkspace.aliasBomb())
            .write("bombs/merge.yaml", HostileWorkspace.mergeBomb())
            .linkToSecret("leak-values.yaml")
            .write("argocd/apps.yaml", """
                    apiVersion: argoproj.io/v1alpha1
                    kind: Application
                    metadata: {name: linked-values}
                    spec:
                      source:
                        repoURL: https://example.invalid/x.git
                        path: charts/ok
                        helm:
                          valueFiles: [$values/leak-values.yaml]
                      destination: {namespace: x}
                    """)
            .write("argocd/bomb.yaml", HostileWorkspace.mergeBomb())
            .linkToSecret("argocd/leak.yaml");

    private static HostileWorkspace chart(HostileWorkspace ws, String name) {
        return ws.write("charts/" + name + "/Chart.yaml", CHART.formatted(name))
                .write("charts/" + name + "/values.yaml", "replicas: 1\n")
                .write("charts/" + name + "/templates/cm.yaml", CONFIG_MAP);
    }

    private final Http1Client client;

    HelmHostileWorkspaceTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WS.root().toString(),
                "data-dir", "target/test-data/helm-hostile",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", "charts/ok",
                "plugins.helm.argocd-manifest", "argocd"));
    }

    private String raw(String query) {
        try (var res = Reports.get(client, "/api/helm/checks?" + query, Reports.TOKEN)) {
            String body = res.as(String.class);
            assertThat(WS.leaks(body)).as(query + ": " + body).isFalse();
            return body;
        }
    }

    @Test
    void aChartLinkingOutIsRefusedBeforeRenderingNamingTheLink() {
        for (String[] c : new String[][] {
                {"charts/template-link", "charts/template-link/templates/leak.yaml"},
                {"charts/templates-link", "charts/templates-link/templates/more"},
                {"charts/values-link", "charts/values-link/values.yaml"},
                {"charts/sibling-link", "charts/sibling-link/files/beside.yaml"}}) {
            for (String format : List.of("json", "sarif", "junit")) {
                raw("chart=" + c[0] + "&format=" + format);
            }
            JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + c[0]);
            assertThat(Reports.findings(report, HelmRules.CHART_LINK)).as(c[0]).singleElement()
                    .satisfies(f -> assertThat(f.getString("file")).isEqualTo(c[1]));
            assertThat(report.getJsonArray("objects")).as(c[0]).isEmpty();
            assertThat(report.getBoolean("rendered")).isFalse();
            assertThat(report.getJsonArray("engines").getJsonObject(0).getString("outcome")).isEqualTo("refused");
        }
    }

    @Test
    void aChartWithoutLinksRendersWithoutTheFinding() {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=charts/ok");
        assertThat(Reports.findings(report, HelmRules.CHART_LINK)).isEmpty();
        assertThat(report.getJsonArray("objects")).hasSize(1);
    }

    @Test
    void aValueFileLinkingOutIsNotPassedToHelm() {
        JsonObject report = Reports.ok(client, "/api/helm/checks?app=linked-values");
        raw("app=linked-values");
        assertThat(Reports.findings(report, HelmRules.ARGOCD_VALUES)).singleElement()
                .satisfies(f -> assertThat(f.getString("message")).contains("'leak-values.yaml'")
                        .contains("symbolic link"));
        assertThat(report.getJsonObject("app").getJsonArray("value_files")).isEmpty();
        Reports.problem(client, "/api/helm/checks?chart=charts/ok&values=leak-values.yaml", 400, "values");
        raw("chart=charts/ok&values=leak-values.yaml");
    }

    @Test
    void yamlBombsAreLimitFindingsAnsweredQuicklyAndTheServerAnswersOn() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            JsonObject values = Reports.ok(client, "/api/helm/checks?chart=charts/bomb-values");
            assertThat(Reports.findings(values, "yaml.limit")).singleElement()
                    .satisfies(f -> assertThat(f.getString("file")).isEqualTo("charts/bomb-values/values.yaml"));
            JsonObject file = Reports.ok(client, "/api/helm/checks?chart=charts/ok&values=bombs/merge.yaml");
            assertThat(Reports.findings(file, "yaml.limit")).singleElement()
                    .satisfies(f -> assertThat(f.getString("file")).isEqualTo("bombs/merge.yaml"));
            Reports.problem(client, "/api/helm/checks?app=nope", 404, "app");
            assertThat(Reports.ok(client, "/api/helm/checks").getJsonArray("objects")).hasSize(1);
        });
    }
}
