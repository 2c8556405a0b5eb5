package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.asyncsidecar.controlplane.plugins.helm.PodSpecManifests.DIGEST;
import static io.asyncsidecar.controlplane.plugins.helm.PodSpecManifests.SPREAD;
import static io.asyncsidecar.controlplane.plugins.helm.PodSpecManifests.cronJob;
import static io.asyncsidecar.controlplane.plugins.helm.PodSpecManifests.deployment;
import static io.asyncsidecar.controlplane.plugins.helm.PodSpecManifests.job;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pod-spec rule through GET /api/helm/checks, rendered by the embedded engine: for each rule a manifest
 * that breaks it (in the chart {@value #BAD}) and one that keeps it (in {@value #GOOD}), under the same object
 * name. The rule must fire on the bad one, naming the field, the container and the template line, and must not
 * fire on the good one.
 */
@ServerTest
class PodSpecRulesTest {

    static final String BAD = "charts/podspec-bad";
    static final String GOOD = "charts/podspec-good";
    private static final Path WORKSPACE = Path.of("target/test-workspaces/podspec-rules").toAbsolutePath();
    private static final String POD = "spec.template.spec";
    private static final String C0 = POD + ".containers[0]";
    private static final String CRON_POD = "spec.jobTemplate.spec.template.spec";
    private static final Map<String, JsonObject> REPORTS = new ConcurrentHashMap<>();

    /**
     * One rule's case.
     *
     * @param name      the object's name in both charts (and its template file's)
     * @param rule      the rule
     * @param bad       the manifest that breaks it
     * @param good      the manifest that keeps it
     * @param field     the field the finding must name
     * @param container the container it must name, or null for a finding about the object
     * @param line      text on the template line the finding must point at
     */
    record Case(String name, CheckRule rule, PodSpecManifests bad, PodSpecManifests good, String field,
                String container, String line) {

        @Override
        public String toString() {
            return rule.id() + " (" + name + ")";
        }

        String kind() {
            Matcher m = Pattern.compile("(?m)^kind: (\\w+)$").matcher(bad.text(name));
            return m.find() ? m.group(1) : "?";
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // Security.
        cases.add(new Case("privileged", PodSpecSecurity.PRIVILEGED, deployment().security("privileged: true"),
                deployment().security("privileged: false"), C0 + ".securityContext.privileged", "app",
                "privileged: true"));
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            CheckRule rule = switch (field) {
                case "hostNetwork" -> PodSpecSecurity.HOST_NETWORK;
                case "hostPID" -> PodSpecSecurity.HOST_PID;
                default -> PodSpecSecurity.HOST_IPC;
            };
            cases.add(new Case(field.toLowerCase(), rule, deployment().pod(field + ": true"),
                    deployment().pod(field + ": false"), POD + "." + field, null, field + ": true"));
        }
        cases.add(new Case("host-process", PodSpecSecurity.HOST_PROCESS,
                deployment().security("windowsOptions: {hostProcess: true}"),
                deployment().security("windowsOptions: {hostProcess: false}"),
                C0 + ".securityContext.windowsOptions.hostProcess", "app", "hostProcess: true"));
        cases.add(new Case("drop-all", PodSpecSecurity.DROP_ALL, deployment().replace("drop: [ALL]", "drop: [NET_RAW]"),
                deployment(), C0 + ".securityContext.capabilities.drop", "app", "drop: [NET_RAW]"));
        cases.add(new Case("drop-all-missing", PodSpecSecurity.DROP_ALL,
                deployment().replace("drop: [ALL]", "drop: []"),
                deployment().replace("drop: [ALL]", "drop: [" + String.join(", ", List.of("NET_ADMIN", "CHOWN",
                        "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
                        "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE")) + "]"),
                C0 + ".securityContext.capabilities.drop", "app", "drop: []"));
        cases.add(new Case("net-raw", PodSpecSecurity.NET_RAW, deployment().replace("add: []", "add: [NET_RAW]"),
                deployment().replace("add: []", "add: [NET_BIND_SERVICE]"),
                C0 + ".securityContext.capabilities.add", "app", "add: [NET_RAW]"));
        cases.add(new Case("dangerous-caps", PodSpecSecurity.ADD_DANGEROUS,
                deployment().replace("add: []", "add: [CAP_SYS_ADMIN]"),
                deployment().replace("add: []", "add: [NET_BIND_SERVICE]"),
                C0 + ".securityContext.capabilities.add", "app", "add: [CAP_SYS_ADMIN]"));
        cases.add(new Case("proc-mount", PodSpecSecurity.PROC_MOUNT, deployment().security("procMount: Unmasked"),
                deployment().security("procMount: Default"), C0 + ".securityContext.procMount", "app",
                "procMount: Unmasked"));
        cases.add(new Case("sysctls", PodSpecSecurity.UNSAFE_SYSCTLS,
                deployment().podSecurity("sysctls: [{name: net.core.somaxconn, value: \"1024\"}]"),
                deployment().podSecurity("sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: \"0\"},"
                        + " {name: kernel/shm_rmid_forced, value: \"1\"}]"),
                POD + ".securityContext.sysctls[0].name", null, "net.core.somaxconn"));
        cases.add(new Case("seccomp", PodSpecSecurity.SECCOMP,
                deployment().replace("type: RuntimeDefault", "type: Unconfined"), deployment(),
                POD + ".securityContext.seccompProfile.type", "app", "type: Unconfined"));
        cases.add(new Case("seccomp-container", PodSpecSecurity.SECCOMP,
                deployment().security("seccompProfile: {type: Unconfined}"),
                deployment().security("seccompProfile: {type: Localhost, localhostProfile: profiles/app.json}"),
                C0 + ".securityContext.seccompProfile.type", "app", "seccompProfile: {type: Unconfined}"));
        cases.add(new Case("hardening", PodSpecSecurity.LINUX_HARDENING,
                deployment().replace("type: RuntimeDefault", "type: Unconfined").replace("drop: [ALL]", "drop: []"),
                deployment().replace("type: RuntimeDefault", "type: Unconfined")
                        .security("seLinuxOptions: {level: \"s0:c123,c456\"}"),
                C0 + ".securityContext", "app", "\n          securityContext:"));
        cases.add(new Case("high-ids", PodSpecSecurity.HIGH_IDS,
                deployment().replace("runAsUser: 10001", "runAsUser: 1000"),
                deployment().security("runAsUser: 20000"), POD + ".securityContext.runAsUser", "app",
                "runAsUser: 1000"));
        // The node's file system.
        cases.add(new Case("host-path", PodSpecVolumes.HOST_PATH,
                deployment().pod("volumes: [{name: logs, hostPath: {path: /var/log}}]"),
                deployment().pod("volumes: [{name: scratch, emptyDir: {}}]"), POD + ".volumes[0].hostPath", null,
                "hostPath: {path: /var/log}"));
        cases.add(new Case("docker-sock", PodSpecVolumes.RUNTIME_SOCKET,
                deployment().pod("volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]")
                        .container("volumeMounts: [{name: sock, mountPath: /var/run/docker.sock, readOnly: true}]"),
                deployment().pod("volumes: [{name: sock, hostPath: {path: /var/log/app}}]")
                        .container("volumeMounts: [{name: sock, mountPath: /logs, readOnly: true}]"),
                POD + ".volumes[0].hostPath.path", "app", "hostPath: {path: /var/run/docker.sock}"));
        cases.add(new Case("containerd-folder", PodSpecVolumes.RUNTIME_SOCKET,
                deployment().pod("volumes: [{name: run, hostPath: {path: /run/containerd/}}]")
                        .container("volumeMounts: [{name: run, mountPath: /run/containerd, readOnly: true}]"),
                deployment().pod("volumes: [{name: run, hostPath: {path: /run/containerd/}}]"),
                POD + ".volumes[0].hostPath.path", "app", "path: /run/containerd/"));
        cases.add(new Case("sensitive-mount", PodSpecVolumes.SENSITIVE,
                deployment().pod("volumes: [{name: etc, hostPath: {path: /etc}}]")
                        .container("volumeMounts: [{name: etc, mountPath: /host/etc, readOnly: true}]"),
                deployment().pod("volumes: [{name: etc, hostPath: {path: /etc/app}}]")
                        .container("volumeMounts: [{name: etc, mountPath: /host/etc, readOnly: true}]"),
                POD + ".volumes[0].hostPath.path", "app", "hostPath: {path: /etc}"));
        cases.add(new Case("writable-mount", PodSpecVolumes.READ_ONLY,
                deployment().pod("volumes: [{name: logs, hostPath: {path: /var/log}}]")
                        .container("volumeMounts: [{name: logs, mountPath: /logs}]"),
                deployment().pod("volumes: [{name: logs, hostPath: {path: /var/log}}]")
                        .container("volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]"),
                C0 + ".volumeMounts[0].readOnly", "app", "volumeMounts: [{name: logs, mountPath: /logs}]"));
        // Resources, one by one.
        String requests = "requests: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi}";
        String limits = "limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi}";
        cases.add(new Case("cpu-request", PodSpecResources.CPU_REQUEST,
                deployment().replace(requests, "requests: {memory: 256Mi, ephemeral-storage: 1Gi}"), deployment(),
                C0 + ".resources.requests.cpu", "app", "requests: {memory: 256Mi"));
        cases.add(new Case("cpu-request-zero", PodSpecResources.CPU_REQUEST,
                deployment().replace(requests, "requests: {cpu: \"0\", memory: 256Mi, ephemeral-storage: 1Gi}"),
                deployment(), C0 + ".resources.requests.cpu", "app", "requests: {cpu: \"0\""));
        cases.add(new Case("cpu-limit", PodSpecResources.CPU_LIMIT,
                deployment().replace(limits, "limits: {memory: 256Mi, ephemeral-storage: 1Gi}"), deployment(),
                C0 + ".resources.limits.cpu", "app", "limits: {memory: 256Mi"));
        cases.add(new Case("memory-request", PodSpecResources.MEMORY_REQUEST,
                deployment().replace(requests, "requests: {cpu: 500m, ephemeral-storage: 1Gi}"), deployment(),
                C0 + ".resources.requests.memory", "app", "requests: {cpu: 500m, ephemeral"));
        cases.add(new Case("memory-limit", PodSpecResources.MEMORY_LIMIT,
                deployment().replace(limits, "limits: {cpu: 500m, ephemeral-storage: 1Gi}"), deployment(),
                C0 + ".resources.limits.memory", "app", "limits: {cpu: 500m, ephemeral"));
        cases.add(new Case("ephemeral-request", PodSpecResources.EPHEMERAL_REQUEST,
                deployment().replace(requests, "requests: {cpu: 500m, memory: 256Mi}"), deployment(),
                C0 + ".resources.requests.ephemeral-storage", "app", "requests: {cpu: 500m, memory: 256Mi}"));
        cases.add(new Case("ephemeral-limit", PodSpecResources.EPHEMERAL_LIMIT,
                deployment().replace(limits, "limits: {cpu: 500m, memory: 256Mi}"), deployment(),
                C0 + ".resources.limits.ephemeral-storage", "app", "limits: {cpu: 500m, memory: 256Mi}"));
        cases.add(new Case("no-resources", PodSpecResources.MEMORY_LIMIT,
                deployment().replace("          resources:\n            " + requests + "\n            " + limits
                        + "\n", ""), deployment(), C0 + ".resources.limits.memory", "app", "- name: app"));
        cases.add(new Case("cpu-equal", PodSpecResources.CPU_EQUAL,
                deployment().replace(requests, "requests: {cpu: 250m, memory: 256Mi, ephemeral-storage: 1Gi}"),
                deployment().replace(requests, "requests: {cpu: \"0.5\", memory: 256Mi, ephemeral-storage: 1Gi}"),
                C0 + ".resources.requests.cpu", "app", "requests: {cpu: 250m"));
        cases.add(new Case("memory-equal", PodSpecResources.MEMORY_EQUAL,
                deployment().replace(requests, "requests: {cpu: 500m, memory: 128Mi, ephemeral-storage: 1Gi}"),
                deployment().replace(requests, "requests: {cpu: 500m, memory: 262144Ki, ephemeral-storage: 1Gi}"),
                C0 + ".resources.requests.memory", "app", "memory: 128Mi"));
        cases.add(new Case("ephemeral-equal", PodSpecResources.EPHEMERAL_EQUAL,
                deployment().replace(requests, "requests: {cpu: 500m, memory: 256Mi, ephemeral-storage: 500Mi}"),
                deployment(), C0 + ".resources.requests.ephemeral-storage", "app", "ephemeral-storage: 500Mi"));
        // Ports and probes.
        String port = "containerPort: 8080";
        cases.add(new Case("host-port", PodSpecPorts.HOST_PORT, deployment().replace(port, port + "\n"
                        + "              hostPort: 8080"), deployment(), C0 + ".ports[0].hostPort", "app",
                "hostPort: 8080"));
        cases.add(new Case("privileged-port", PodSpecPorts.PRIVILEGED_PORTS,
                deployment().replace(port, "containerPort: 80"), deployment(), C0 + ".ports[0].containerPort", "app",
                "containerPort: 80"));
        cases.add(new Case("ssh-port", PodSpecPorts.SSH_PORT,
                deployment().replace(port, port + "\n            - {name: ssh, containerPort: 22}"),
                deployment().replace(port, port + "\n            - {name: syslog, containerPort: 22, protocol: UDP}"),
                C0 + ".ports[1].containerPort", "app", "containerPort: 22}"));
        cases.add(new Case("liveness-port", PodSpecPorts.LIVENESS_PORT,
                deployment().replace("path: /healthz, port: http", "path: /healthz, port: metrics"), deployment(),
                C0 + ".livenessProbe.httpGet.port", "app", "port: metrics"));
        cases.add(new Case("readiness-port", PodSpecPorts.READINESS_PORT,
                deployment().replace("path: /ready, port: http", "path: /ready, port: 9090"),
                deployment().replace("path: /ready, port: http", "path: /ready, port: 8080"),
                C0 + ".readinessProbe.httpGet.port", "app", "port: 9090"));
        cases.add(new Case("startup-port", PodSpecPorts.STARTUP_PORT,
                deployment().container("startupProbe: {tcpSocket: {port: 8081}}"),
                deployment().container("startupProbe: {tcpSocket: {port: 8080}}"),
                C0 + ".startupProbe.tcpSocket.port", "app", "port: 8081"));
        cases.add(new Case("probes-identical", PodSpecPorts.PROBES_IDENTICAL,
                deployment().replace("path: /ready", "path: /healthz"), deployment(), C0 + ".livenessProbe.httpGet",
                "app", "livenessProbe:\n            httpGet"));
        // Environment and secrets.
        cases.add(new Case("env-secret", PodSpecEnv.SECRET_LITERAL,
                deployment().container("env: [{name: DB_PASSWORD, value: hunter2}]"),
                deployment().container("env: [{name: DB_PASSWORD_FILE, value: /run/secrets/db},"
                        + " {name: RESTRICT_SECRET_ACCESS, value: \"true\"}, {name: LOG_LEVEL, value: debug}]"),
                C0 + ".env[0].value", "app", "value: hunter2"));
        cases.add(new Case("env-private-key", PodSpecEnv.SECRET_LITERAL,
                deployment().container("env: [{name: TLS, value: \"-----BEGIN RSA PRIVATE KEY-----\"}]"),
                deployment().container("env: [{name: TLS, value: \"-----BEGIN CERTIFICATE-----\"}]"),
                C0 + ".env[0].value", "app", "PRIVATE KEY"));
        cases.add(new Case("env-secret-ref", PodSpecEnv.SECRET_REF,
                deployment().container("env: [{name: DB_URL, valueFrom: {secretKeyRef: {name: db, key: url}}}]"),
                deployment().container("env: [{name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: cfg,"
                        + " key: level}}}]"),
                C0 + ".env[0].valueFrom.secretKeyRef", "app", "secretKeyRef"));
        cases.add(new Case("env-from-secret", PodSpecEnv.SECRET_REF,
                deployment().container("envFrom: [{secretRef: {name: db}}]"),
                deployment().container("envFrom: [{configMapRef: {name: cfg}}]"),
                C0 + ".envFrom[0].secretRef", "app", "envFrom: [{secretRef"));
        cases.add(new Case("env-duplicate", PodSpecEnv.DUPLICATE,
                deployment().container("env:\n  - {name: LOG_LEVEL, value: info}\n  - {name: LOG_LEVEL, value: debug}"),
                deployment().container("env:\n  - {name: LOG_LEVEL, value: info}\n  - {name: LOG_FORMAT, value: json}"),
                C0 + ".env[1].name", "app", "value: debug"));
        cases.add(new Case("configmap-secret", PodSpecEnv.CONFIGMAP_SECRET,
                PodSpecManifests.of(configMap("  log-level: info\n  api-token: c2VjcmV0\n")),
                PodSpecManifests.of(configMap("  log-level: info\n  token-file: /var/run/secrets/token\n")),
                "data.api-token", null, "api-token:"));
        // Images.
        String image = "image: ghcr.io/acme/app:1.0" + DIGEST;
        cases.add(new Case("pull-policy", PodSpecImages.PULL_POLICY,
                deployment().replace(image, "image: ghcr.io/acme/app:1.0"),
                deployment().replace(image, "image: ghcr.io/acme/app:1.0")
                        .replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Always"),
                C0 + ".imagePullPolicy", "app", "imagePullPolicy: IfNotPresent"));
        cases.add(new Case("digest", PodSpecImages.DIGEST, deployment().replace(image, "image: ghcr.io/acme/app:1.0"),
                deployment(), C0 + ".image", "app", "image: ghcr.io/acme/app:1.0"));
        cases.add(new Case("registry", PodSpecImages.REGISTRY,
                deployment().replace(image, "image: nginx:1.27" + DIGEST),
                deployment().replace(image, "image: registry.k8s.io/pause:3.10" + DIGEST), C0 + ".image", "app",
                "image: nginx:1.27"));
        // Scheduling.
        cases.add(new Case("anti-affinity", PodSpecScheduling.ANTI_AFFINITY, deployment().without(SPREAD),
                deployment().without(SPREAD).pod("""
                        affinity:
                          podAntiAffinity:
                            preferredDuringSchedulingIgnoredDuringExecution:
                              - weight: 100
                                podAffinityTerm:
                                  topologyKey: kubernetes.io/hostname
                                  labelSelector: {matchLabels: {app: anti-affinity}}"""),
                POD + ".affinity.podAntiAffinity", null, "serviceAccountName: anti-affinity"));
        cases.add(new Case("spread-foreign-pods", PodSpecScheduling.ANTI_AFFINITY,
                deployment().replace("          app: NAME\n      #pod", "          app: other\n      #pod"),
                deployment(), POD + ".affinity.podAntiAffinity", null, "serviceAccountName: spread-foreign-pods"));
        cases.add(new Case("topology-spread", PodSpecScheduling.TOPOLOGY_SPREAD,
                deployment().without(SPREAD).replace("replicas: 3", "replicas: 1"),
                deployment().replace("replicas: 3", "replicas: 1"), POD + ".topologySpreadConstraints", null,
                "serviceAccountName: topology-spread"));
        cases.add(new Case("spread-skew", PodSpecScheduling.TOPOLOGY_SPREAD_VALID,
                deployment().replace("maxSkew: 1", "maxSkew: 0"), deployment(),
                POD + ".topologySpreadConstraints[0].maxSkew", null, "maxSkew: 0"));
        cases.add(new Case("spread-selector", PodSpecScheduling.TOPOLOGY_SPREAD_VALID,
                deployment().replace("""
                                  whenUnsatisfiable: ScheduleAnyway
                                  labelSelector:
                                    matchLabels:
                                      app: NAME
                        """, "          whenUnsatisfiable: ScheduleAnyway\n"), deployment(),
                POD + ".topologySpreadConstraints[0].labelSelector", null, "- maxSkew: 1"));
        String gpu = "limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi, nvidia.com/gpu: 1}";
        cases.add(new Case("gpu-priority", PodSpecScheduling.PRIORITY_CLASS, deployment().replace(limits, gpu),
                deployment().replace(limits, gpu).pod("priorityClassName: gpu-inference"),
                POD + ".priorityClassName", null, "serviceAccountName: gpu-priority"));
        cases.add(new Case("node-affinity", PodSpecScheduling.NODE_AFFINITY,
                deployment().without("      nodeSelector:\n        pool: general\n"),
                deployment().without("      nodeSelector:\n        pool: general\n").pod("""
                        affinity:
                          nodeAffinity:
                            requiredDuringSchedulingIgnoredDuringExecution:
                              nodeSelectorTerms:
                                - matchExpressions: [{key: pool, operator: In, values: [general]}]"""),
                POD + ".affinity.nodeAffinity", null, "serviceAccountName: node-affinity"));
        cases.add(new Case("dns-options", PodSpecScheduling.DNS_CONFIG,
                deployment().without("          - name: ndots\n            value: \"2\"\n")
                        .replace("        options:\n", "        options:\n          - {name: edns0}\n"),
                deployment(), POD + ".dnsConfig.options", null, "options:"));
        cases.add(new Case("replicas", PodSpecScheduling.REPLICAS, deployment().replace("replicas: 3", "replicas: 2"),
                deployment(), "spec.replicas", null, "replicas: 2"));
        // Lifecycle.
        cases.add(new Case("job-restart", PodSpecLifecycle.RESTART_POLICY,
                job().replace("restartPolicy: Never", "restartPolicy: Always"), job(), POD + ".restartPolicy", null,
                "restartPolicy: Always"));
        cases.add(new Case("job-no-restart", PodSpecLifecycle.RESTART_POLICY,
                job().without("      restartPolicy: Never\n"), job().replace("Never", "OnFailure"),
                POD + ".restartPolicy", null, "spec:\n      containers"));
        cases.add(new Case("deployment-restart", PodSpecLifecycle.RESTART_POLICY,
                deployment().pod("restartPolicy: OnFailure"), deployment().pod("restartPolicy: Always"),
                POD + ".restartPolicy", null, "restartPolicy: OnFailure"));
        cases.add(new Case("job-ttl", PodSpecLifecycle.JOB_TTL, job().without("  ttlSecondsAfterFinished: 3600\n"),
                job(), "spec.ttlSecondsAfterFinished", null, "template:"));
        cases.add(new Case("cron-ttl", PodSpecLifecycle.JOB_TTL,
                cronJob().replace("    spec:\n      template:", "    spec:\n      ttlSecondsAfterFinished: 60\n"
                        + "      template:"), cronJob(), "spec.jobTemplate.spec.ttlSecondsAfterFinished", null,
                "ttlSecondsAfterFinished: 60"));
        cases.add(new Case("cron-deadline", PodSpecLifecycle.CRONJOB_DEADLINE,
                cronJob().without("  startingDeadlineSeconds: 300\n"), cronJob(), "spec.startingDeadlineSeconds", null,
                "schedule:"));
        cases.add(new Case("cron-restart", PodSpecLifecycle.RESTART_POLICY,
                cronJob().replace("restartPolicy: OnFailure", "restartPolicy: Always"), cronJob(),
                CRON_POD + ".restartPolicy", null, "restartPolicy: Always"));
        cases.add(new Case("recreate", PodSpecLifecycle.ROLLING_UPDATE,
                deployment().spec("strategy: {type: Recreate}").and(service("recreate")),
                deployment().spec("strategy: {type: RollingUpdate}").and(service("recreate")),
                "spec.strategy.type", null, "strategy: {type: Recreate}"));
        // Service account.
        cases.add(new Case("automount", PodSpecIdentity.AUTOMOUNT,
                deployment().without("      automountServiceAccountToken: false\n")
                        .and(serviceAccount("automount", "")),
                deployment().without("      automountServiceAccountToken: false\n")
                        .and(serviceAccount("automount", "automountServiceAccountToken: false\n")),
                POD + ".automountServiceAccountToken", null, "serviceAccountName: automount"));
        cases.add(new Case("automount-true", PodSpecIdentity.AUTOMOUNT,
                deployment().replace("automountServiceAccountToken: false", "automountServiceAccountToken: true")
                        .and(serviceAccount("automount-true", "automountServiceAccountToken: false\n")),
                deployment(), POD + ".automountServiceAccountToken", null, "automountServiceAccountToken: true"));
        cases.add(new Case("default-sa", PodSpecIdentity.DEFAULT_ACCOUNT,
                deployment().replace("serviceAccountName: NAME", "serviceAccountName: default"), deployment(),
                POD + ".serviceAccountName", null, "serviceAccountName: default"));
        cases.add(new Case("deprecated-sa", PodSpecIdentity.DEPRECATED_FIELD,
                deployment().pod("serviceAccount: deprecated-sa"), deployment(), POD + ".serviceAccount", null,
                "serviceAccount: deprecated-sa"));
        // Single objects.
        cases.add(new Case("required-label", PodSpecObjects.REQUIRED_LABELS,
                deployment().replace("    owner: team-a\n", "    team: a\n"), deployment(), "metadata.labels.owner",
                null,
                "\n  labels:"));
        cases.add(new Case("required-annotation", PodSpecObjects.REQUIRED_ANNOTATIONS,
                deployment().replace("email: team-a@example.com", "email: team-a"), deployment(),
                "metadata.annotations.email", null, "email: team-a"));
        cases.add(new Case("node-port", PodSpecObjects.SERVICE_TYPE,
                PodSpecManifests.of(service("node-port").replace("spec:\n", "spec:\n  type: NodePort\n")),
                PodSpecManifests.of(service("node-port").replace("spec:\n", "spec:\n  type: ClusterIP\n")),
                "spec.type", null, "type: NodePort"));
        return cases;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        if (Files.exists(WORKSPACE)) {
            try (Stream<Path> walk = Files.walk(WORKSPACE)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (String chart : List.of(BAD, GOOD)) {
            TestTrees.write(WORKSPACE, chart + "/Chart.yaml", "apiVersion: v2\nname: " + chart.substring(7)
                    + "\nversion: 0.1.0\nappVersion: \"1.0\"\n");
        }
        for (Case c : cases()) {
            write(BAD, c.name(), c.bad());
            write(GOOD, c.name(), c.good());
        }
        TestTrees.write(WORKSPACE, GOOD + "/templates/clean.yaml", deployment().text("clean"));
        TestTrees.write(WORKSPACE, BAD + "/templates/load-balancer.yaml",
                service("load-balancer").replace("spec:\n", "spec:\n  type: LoadBalancer\n").replace("NAME",
                        "load-balancer"));
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", Reports.TOKENS,
                "workspace", WORKSPACE.toString(),
                "data-dir", "target/test-data/podspec-rules",
                "plugins.helm.engines", "helm-java",
                "plugins.helm.chart", GOOD,
                "plugins.helm.allowed-registries", "ghcr.io/acme, registry.k8s.io",
                "plugins.helm.required-labels", "owner",
                "plugins.helm.required-annotations", "email=.+@.+"));
    }

    private static void write(String chart, String name, PodSpecManifests manifests) throws IOException {
        TestTrees.write(WORKSPACE, chart + "/templates/" + name + ".yaml", manifests.text(name));
        if (!manifests.others(name).isEmpty()) {
            TestTrees.write(WORKSPACE, chart + "/templates/" + name + "-others.yaml", manifests.others(name));
        }
    }

    static JsonObject report(Http1Client client, String chart) {
        return REPORTS.computeIfAbsent(chart, c -> {
            JsonObject report = Reports.ok(client, "/api/helm/checks?chart=" + c);
            assertThat(report.getBoolean("rendered")).as(c).isTrue();
            return report;
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRuleFiresOnTheBadManifestOnlyAndNamesItsField(Case c, Http1Client client) throws IOException {
        List<JsonObject> bad = Reports.findings(report(client, BAD), c.rule().id(), c.kind(), c.name());
        assertThat(bad).as("%s on the bad %s", c.rule().id(), c.name()).hasSize(1);
        JsonObject f = bad.getFirst();
        assertThat(f.getString("field")).isEqualTo(c.field());
        if (c.container() == null) {
            assertThat(f.containsKey("container")).as("container of %s", f).isFalse();
        } else {
            assertThat(f.getString("container")).isEqualTo(c.container());
        }
        assertThat(f.getString("severity")).isEqualTo(c.rule().severity().json());
        assertThat(f.getString("file")).isEqualTo(BAD + "/templates/" + c.name() + ".yaml");
        assertThat(f.getInt("line")).as("line of %s", f.getString("message"))
                .isEqualTo(lineOf(WORKSPACE.resolve(BAD + "/templates/" + c.name() + ".yaml"), c.line()));
        assertThat(f.getString("message")).contains(c.kind() + "/" + c.name());
        assertThat(f.getString("remediation")).isNotBlank();

        assertThat(Reports.findings(report(client, GOOD), c.rule().id(), c.kind(), c.name()))
                .as("%s on the good %s", c.rule().id(), c.name()).isEmpty();
    }

    @Test
    void noPodSpecRuleFiresOnTheHardenedBaseline(Http1Client client) {
        Set<String> ids = PodSpecChecks.RULES.stream().map(CheckRule::id).collect(Collectors.toSet());
        List<String> fired = Reports.about(report(client, GOOD), "Deployment", "clean").stream()
                .map(f -> f.getString("check")).filter(ids::contains).toList();
        assertThat(fired).isEmpty();
    }

    @Test
    void everyPodSpecRuleHasACaseAndIsListedInTheAnswer(Http1Client client) {
        Set<String> covered = cases().stream().map(c -> c.rule().id()).collect(Collectors.toSet());
        List<String> ids = PodSpecChecks.RULES.stream().map(CheckRule::id).toList();
        assertThat(covered).containsAll(ids);
        List<String> listed = report(client, GOOD).getJsonArray("rules").stream()
                .map(r -> r.asJsonObject().getString("id")).toList();
        assertThat(listed).containsAll(ids).doesNotContain("helm.resources");
        assertThat(ids).allMatch(id -> id.startsWith("helm.")).doesNotHaveDuplicates();
    }

    @Test
    void aSecretLiteralIsNeverShownInTheMessage(Http1Client client) {
        JsonObject f = Reports.findings(report(client, BAD), PodSpecEnv.SECRET_LITERAL.id(), "Deployment",
                "env-secret").getFirst();
        assertThat(f.getString("message")).contains("DB_PASSWORD").doesNotContain("hunter2");
    }

    @Test
    void aLoadBalancerServiceIsOnlyInformation(Http1Client client) {
        // The same rule as a NodePort, one level lower: a LoadBalancer is often the chart's whole point.
        assertThat(Reports.findings(report(client, BAD), PodSpecObjects.SERVICE_TYPE.id(), "Service", "load-balancer"))
                .singleElement().satisfies(f -> {
                    assertThat(f.getString("severity")).isEqualTo("info");
                    assertThat(f.getString("message")).contains("Service/load-balancer", "LoadBalancer");
                    assertThat(f.getString("field")).isEqualTo("spec.type");
                });
    }

    @Test
    void aContainerWithOnlyACpuLimitMissesTheOtherThreeEachUnderItsOwnRule(Http1Client client) {
        JsonObject report = report(client, BAD);
        // "no-resources" sets none of the four: each has its own finding, about the same container.
        for (CheckRule r : List.of(PodSpecResources.CPU_REQUEST, PodSpecResources.CPU_LIMIT,
                PodSpecResources.MEMORY_REQUEST, PodSpecResources.MEMORY_LIMIT)) {
            assertThat(Reports.findings(report, r.id(), "Deployment", "no-resources")).as(r.id()).singleElement()
                    .satisfies(f -> assertThat(f.getString("container")).isEqualTo("app"));
        }
        // "cpu-limit" drops only the CPU limit: only that one is reported.
        assertThat(Reports.about(report, "Deployment", "cpu-limit").stream().map(f -> f.getString("check"))
                .filter(id -> id.startsWith("helm.cpu-") || id.startsWith("helm.memory-")).toList())
                .containsExactly(PodSpecResources.CPU_LIMIT.id());
    }

    /** The line of the first line holding the text; a text of several lines points at its last line. */
    private static int lineOf(Path file, String text) throws IOException {
        String content = Files.readString(file);
        int at = content.indexOf(text);
        assertThat(at).as("'%s' in %s", text, file).isNotNegative();
        int end = at + text.length();
        String upTo = content.substring(0, text.contains("\n") ? end : at);
        return (int) upTo.chars().filter(ch -> ch == '\n').count() + 1;
    }

    private static String configMap(String data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: NAME
                  labels:
                    owner: team-a
                  annotations:
                    email: team-a@example.com
                data:
                """ + data;
    }

    private static String service(String app) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: NAME
                  labels:
                    owner: team-a
                  annotations:
                    email: team-a@example.com
                spec:
                  selector:
                    app: %s
                  ports:
                    - port: 80
                      targetPort: http
                """.formatted(app);
    }

    private static String serviceAccount(String name, String extra) {
        return """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: %s
                  labels:
                    owner: team-a
                  annotations:
                    email: team-a@example.com
                """.formatted(name) + extra;
    }
}
