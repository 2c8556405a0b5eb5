package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.helidon.config.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One helm check of a generated chart (N workloads, each a Deployment with a Service, a PodDisruptionBudget, an
 * HPA, a NetworkPolicy and a ServiceAccount, all from one ranged template) through the embedded Helm engine, the
 * YAML parse with line numbers and every chart check; {@code renderOnly} is the embedded render by itself.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the Java heap allocated per check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChartScaleBench {

    @Param({"50", "100", "200"})
    public int workloads;

    private Path workspace;
    private ChartRenderer renderer;
    private EmbeddedHelmEngine engine;
    private ChartRenderer.Job job;
    private RenderRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        workspace = Files.createTempDirectory("chart-scale");
        Path chart = workspace.resolve("chart");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: scale\nversion: 1.0.0\nappVersion: \"1.0\"\n");
        Files.writeString(chart.resolve("values.yaml"), "workloads: " + workloads + "\n");
        Files.writeString(chart.resolve("templates/workloads.yaml"), TEMPLATE, StandardCharsets.UTF_8);
        HelmSettings settings = new HelmSettings("chart", "1.31.0", "", List.of(HelmSettings.Engine.HELM_JAVA),
                Duration.ofSeconds(120), "", "default", "none.yaml", 2);
        renderer = new ChartRenderer(settings, ChartChecks.from(Config.empty()), workspace,
                Files.createDirectories(workspace.resolve(".data")), SafeYaml.create());
        job = new ChartRenderer.Job(chart, List.of(), Map.of(), "1.31.0", null, null);
        engine = new EmbeddedHelmEngine(Duration.ofSeconds(120), 2);
        request = new RenderRequest(chart, "scale", "default", "1.31.0", List.of(), Map.of());
        ChartRenderer.Outcome first = renderer.render(job);
        if (first.degraded() || first.objects().size() != workloads * 6) {
            throw new IllegalStateException("expected " + workloads * 6 + " rendered objects, got "
                    + first.objects().size() + " (engine " + first.engine() + ")");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        renderer.close();
        try (Stream<Path> files = Files.walk(workspace)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public ChartRenderer.Outcome check() {
        return renderer.render(job);
    }

    @Benchmark
    public RenderOutcome renderOnly() {
        return engine.render(request);
    }

    private static final String TEMPLATE = """
            {{- range $i := until (int .Values.workloads) }}
            {{- $name := printf "app-%d" $i }}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ $name }}
              labels: {app: {{ $name }}}
            spec:
              selector: {matchLabels: {app: {{ $name }}}}
              template:
                metadata:
                  labels: {app: {{ $name }}}
                spec:
                  serviceAccountName: {{ $name }}
                  automountServiceAccountToken: false
                  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
                  topologySpreadConstraints:
                    - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway,
                       labelSelector: {matchLabels: {app: {{ $name }}}}}
                  containers:
                    - name: app
                      image: registry.example.org/app:1.{{ $i }}.0
                      imagePullPolicy: Always
                      ports: [{name: http, containerPort: 8080}]
                      env:
                        - {name: MODE, value: serve}
                      readinessProbe: {httpGet: {path: /ready, port: http}}
                      livenessProbe: {httpGet: {path: /live, port: http}, periodSeconds: 20}
                      resources:
                        requests: {cpu: 100m, memory: 128Mi, ephemeral-storage: 100Mi}
                        limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities: {drop: [ALL]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: {{ $name }}}
            spec:
              selector: {app: {{ $name }}}
              ports: [{name: http, port: 80, targetPort: http}]
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: {{ $name }}}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: {{ $name }}}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: {{ $name }}}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ $name }}}
              minReplicas: 3
              maxReplicas: 10
              metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: {{ $name }}}
            spec:
              podSelector: {matchLabels: {app: {{ $name }}}}
              policyTypes: [Ingress]
              ingress:
                - ports: [{port: 8080}]
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: {{ $name }}}
            automountServiceAccountToken: false
            {{- end }}
            """;
}
