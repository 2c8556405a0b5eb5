package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod-spec rules where a chart is only read textually (no finding from what a template action may have
 * generated; Helm hooks that delete themselves need no time to live), ignores (the retired helm.resources id
 * still silences its four successors), and the rules with a list to configure staying off by default, through
 * GET /api/helm/checks.
 */
@ServerTest
class PodSpecEdgesTest {

    private static final Path WORKSPACE = Path.of("target/test-workspaces/podspec-edges").toAbsolutePath();
    private static final String TEXT = "charts/text-only";
    private static final String IGNORES = "charts/ignores";
    private static final Set<String> RESOURCE_IDS = Set.of("helm.cpu-request", "helm.cpu-limit",
            "helm.memory-request", "helm.memory-limit");

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // The chart refuses the Kubernetes version asked for, so it is read textually.
        TestTrees.write(WORKSPACE, TEXT + "/Chart.yaml", "apiVersion: v2\nname: text-only\nversion: 0.1.0\n"
                + "appVersion: \"1.0\"\nkubeVersion: \">=1.30.0-0\"\n");
        TestTrees.write(WORKSPACE, TEXT + "/values.yaml", "hostNetwork: false\n");
        TestTrees.write(WORKSPACE, TEXT + "/templates/_helpers.tpl", """
                {{- define "text.security" -}}
                allowPrivilegeEscalation: false
                capabilities:
                  drop: [ALL]
                {{- end }}
                """);
        TestTrees.write(WORKSPACE, TEXT + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: {{ .Values.replicas }}
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      hostNetwork: {{ .Values.hostNetwork }}
                      hostPID: true
                      {{- with .Values.podSecurityContext }}
                      securityContext:
                        {{- toYaml . | nindent 8 }}
                      {{- end }}
                      containers:
                        - name: app
                          image: {{ .Values.image }}
                          resources:
                            {{- toYaml .Values.resources | nindent 12 }}
                          securityContext:
                            privileged: {{ .Values.privileged }}
                            {{- include "text.security" . | nindent 12 }}
                """);
        TestTrees.write(WORKSPACE, IGNORES + "/Chart.yaml", "apiVersion: v2\nname: ignores\nversion: 0.1.0\n"
                + "appVersion: \"1.0\"\n");
        TestTrees.write(WORKSPACE, IGNORES + "/templates/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: vendor
                  annotations:
                    ignore-check.controlplane.asyncsidecar.io/helm.resources: "containers=sidecar; the mesh sizes it"
                    ignore-check.controlplane.asyncsidecar.io/helm.host-network: "node agent, reviewed in SEC-12"
                spec:
                  selector:
                    matchLabels: {app: vendor}
                  template:
                    metadata:
                      labels: {app: vendor}
                    spec:
                      hostNetwork: true
                      containers:
                        - name: app
                          image: ghcr.io/acme/app:1.0
                        - name: sidecar
                          image: ghcr.io/acme/proxy:1.0
                """);
        // A Helm hook the release deletes itself needs no time to live; a plain Job does. Rendered objects leave
        // hooks out, a textual reading (or a helm binary that renders them) has them.
        TestTrees.write(WORKSPACE, TEXT + "/templates/jobs.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations:
                    helm.sh/hook: pre-upgrade
                    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: migrate
                          image: ghcr.io/acme/migrate:1.0
                ---
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: backfill
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: backfill
                          image: ghcr.io/acme/backfill:1.0
                """);
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/podspec-edges",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", IGNORES));
    }

    @Test
    void aTextualReadingJudgesLiteralsOnlyAndNothingAnActionMayHaveWritten(Http1Client client) throws IOException {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + TEXT + "&kubeVersion=1.29.0");
        assertThat(report.getBoolean("rendered")).isFalse();
        assertThat(report.getString("engine")).isEqualTo("text");
        // A literal that is there is judged...
        JsonObject pid = Reports.findings(report, PodSpecSecurity.HOST_PID.id(), "Deployment", "web").getFirst();
        assertThat(pid.getString("field")).isEqualTo("spec.template.spec.hostPID");
        assertThat(pid.getInt("line")).isEqualTo(Reports.lineOf(WORKSPACE.resolve(TEXT + "/templates/deployment.yaml"),
                "hostPID: true"));
        // ...a value only rendering knows is not (hostNetwork takes the values file's false, privileged has none)...
        Set<String> fired = Reports.about(report, "Deployment", "web").stream().map(f -> f.getString("check"))
                .collect(Collectors.toSet());
        assertThat(fired).doesNotContain(PodSpecSecurity.HOST_NETWORK.id(), PodSpecSecurity.PRIVILEGED.id());
        // ...and neither is what the include, the toYaml blocks or the unknown replica count may hold.
        assertThat(fired).doesNotContain(PodSpecSecurity.DROP_ALL.id(), PodSpecSecurity.SECCOMP.id(),
                PodSpecSecurity.LINUX_HARDENING.id(), PodSpecSecurity.HIGH_IDS.id(), PodSpecResources.CPU_REQUEST.id(),
                PodSpecResources.MEMORY_LIMIT.id(), PodSpecResources.EPHEMERAL_LIMIT.id(),
                PodSpecImages.DIGEST.id(), PodSpecImages.PULL_POLICY.id(), PodSpecScheduling.REPLICAS.id(),
                PodSpecScheduling.ANTI_AFFINITY.id());
    }

    @Test
    void anIgnoreNamingTheRetiredResourcesIdCoversItsFourSuccessorsForTheNamedContainer(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + IGNORES);
        for (String id : RESOURCE_IDS) {
            assertThat(Reports.ignored(report, id, "Deployment", "vendor")).as(id).singleElement().satisfies(f -> {
                assertThat(f.getString("container")).isEqualTo("sidecar");
                assertThat(f.getString("ignored_reason")).isEqualTo("the mesh sizes it");
                assertThat(f.getString("ignored_source")).isEqualTo("annotation");
            });
            assertThat(Reports.findings(report, id, "Deployment", "vendor")).as(id).singleElement()
                    .satisfies(f -> assertThat(f.getString("container")).isEqualTo("app"));
        }
        // Ephemeral storage was never part of helm.resources: both containers' findings stay active.
        assertThat(Reports.findings(report, PodSpecResources.EPHEMERAL_LIMIT.id(), "Deployment", "vendor"))
                .hasSize(2);
        // A new id is ignored under its own name, with the field still given.
        JsonObject network = Reports.ignored(report, PodSpecSecurity.HOST_NETWORK.id(), "Deployment", "vendor")
                .getFirst();
        assertThat(network.getString("ignored_reason")).isEqualTo("node agent, reviewed in SEC-12");
        assertThat(network.getString("field")).isEqualTo("spec.template.spec.hostNetwork");
    }

    @Test
    void aHookJobTheReleaseDeletesNeedsNoTimeToLive(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + TEXT + "&kubeVersion=1.29.0");
        assertThat(report.getString("engine")).isEqualTo("text");
        List<String> jobs = report.getJsonArray("objects").stream().map(o -> o.asJsonObject())
                .filter(o -> o.getString("kind").equals("Job")).map(o -> o.getString("name")).toList();
        assertThat(jobs).containsExactlyInAnyOrder("migrate", "backfill");
        assertThat(Reports.findings(report, PodSpecLifecycle.JOB_TTL.id(), "Job", "migrate")).isEmpty();
        assertThat(Reports.findings(report, PodSpecLifecycle.JOB_TTL.id(), "Job", "backfill")).singleElement()
                .satisfies(f -> assertThat(f.getString("field")).isEqualTo("spec.ttlSecondsAfterFinished"));
    }

    @Test
    void theConfigurableRulesAreOffByDefault(Http1Client client) {
        JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + IGNORES);
        // No allowed registries, labels or annotations are configured: however the images and metadata look.
        for (CheckRule rule : List.of(PodSpecImages.REGISTRY, PodSpecObjects.REQUIRED_LABELS,
                PodSpecObjects.REQUIRED_ANNOTATIONS)) {
            assertThat(Reports.findings(report, rule.id())).as(rule.id()).isEmpty();
        }
        // The rules are still listed, for SARIF and config ignores.
        List<String> listed = report.getJsonArray("rules").stream().map(r -> r.asJsonObject().getString("id"))
                .toList();
        assertThat(listed).contains(PodSpecImages.REGISTRY.id(), PodSpecObjects.REQUIRED_LABELS.id());
    }
}
