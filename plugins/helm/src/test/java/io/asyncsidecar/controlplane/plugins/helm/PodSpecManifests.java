package io.asyncsidecar.controlplane.plugins.helm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small manifests for the pod-spec rule tests, built from a hardened baseline that no pod-spec rule objects to:
 * a test changes one thing (a line replaced, a few lines inserted at a slot) to make it break one rule.
 * Slots are comment lines ({@code #pod}, {@code #container}...) at the indentation their content needs.
 */
final class PodSpecManifests {

    static final String DIGEST = "@sha256:" + "0123456789abcdef".repeat(4);

    /** The topology spread constraint of the baseline Deployment. */
    static final String SPREAD = """
                  topologySpreadConstraints:
                    - maxSkew: 1
                      topologyKey: topology.kubernetes.io/zone
                      whenUnsatisfiable: ScheduleAnyway
                      labelSelector:
                        matchLabels:
                          app: NAME
            """;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: NAME
              labels:
                owner: team-a
              annotations:
                email: team-a@example.com
            spec:
              replicas: 3
              #spec
              selector:
                matchLabels:
                  app: NAME
              template:
                metadata:
                  labels:
                    app: NAME
                spec:
                  serviceAccountName: NAME
                  automountServiceAccountToken: false
                  nodeSelector:
                    pool: general
                  dnsConfig:
                    options:
                      - name: ndots
                        value: "2"
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 10001
                    runAsGroup: 10001
                    seccompProfile:
                      type: RuntimeDefault
                    #podsecurity
            """ + SPREAD + """
                  #pod
                  containers:
                    - name: app
                      image: ghcr.io/acme/app:1.0DIGEST
                      imagePullPolicy: IfNotPresent
                      ports:
                        - name: http
                          containerPort: 8080
                      livenessProbe:
                        httpGet: {path: /healthz, port: http}
                      readinessProbe:
                        httpGet: {path: /ready, port: http}
                      resources:
                        requests: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi}
                        limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
                          add: []
                        #security
                      #container
            """;

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: NAME
              labels:
                owner: team-a
              annotations:
                email: team-a@example.com
            spec:
              ttlSecondsAfterFinished: 3600
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: task
                      image: ghcr.io/acme/task:1.0
            """;

    private static final String CRON_JOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: NAME
              labels:
                owner: team-a
              annotations:
                email: team-a@example.com
            spec:
              schedule: "*/5 * * * *"
              startingDeadlineSeconds: 300
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                        - name: task
                          image: ghcr.io/acme/task:1.0
            """;

    private static final Pattern SLOT = Pattern.compile("(?m)^( *)#(\\w+)\\n");

    private final String text;
    private final String others;

    private PodSpecManifests(String text) {
        this(text, "");
    }

    private PodSpecManifests(String text, String others) {
        this.text = text;
        this.others = others;
    }

    /** The hardened Deployment. */
    static PodSpecManifests deployment() {
        return new PodSpecManifests(DEPLOYMENT.replace("DIGEST", DIGEST));
    }

    /** A standalone Job with a time to live. */
    static PodSpecManifests job() {
        return new PodSpecManifests(JOB);
    }

    /** A CronJob with a starting deadline. */
    static PodSpecManifests cronJob() {
        return new PodSpecManifests(CRON_JOB);
    }

    /** Any other manifest, as written. */
    static PodSpecManifests of(String yaml) {
        return new PodSpecManifests(yaml);
    }

    /** Replaces text that must be there. */
    PodSpecManifests replace(String from, String to) {
        if (!text.contains(from)) {
            throw new IllegalArgumentException("'" + from + "' is not in the manifest");
        }
        return new PodSpecManifests(text.replace(from, to), others);
    }

    /** Takes out text that must be there. */
    PodSpecManifests without(String part) {
        return replace(part, "");
    }

    /** Inserts lines into the workload's spec. */
    PodSpecManifests spec(String yaml) {
        return insert("spec", yaml);
    }

    /** Inserts lines into the pod spec. */
    PodSpecManifests pod(String yaml) {
        return insert("pod", yaml);
    }

    /** Inserts lines into the pod's securityContext. */
    PodSpecManifests podSecurity(String yaml) {
        return insert("podsecurity", yaml);
    }

    /** Inserts lines into the container. */
    PodSpecManifests container(String yaml) {
        return insert("container", yaml);
    }

    /** Inserts lines into the container's securityContext. */
    PodSpecManifests security(String yaml) {
        return insert("security", yaml);
    }

    /**
     * Adds an object beside the manifest (a Service, a ServiceAccount...), for a template file of its own: Helm
     * orders the documents of one file by kind, which would move the manifest's lines.
     */
    PodSpecManifests and(String yaml) {
        return new PodSpecManifests(text, others + (others.isEmpty() ? "" : "---\n") + yaml);
    }

    private PodSpecManifests insert(String slot, String yaml) {
        Matcher m = Pattern.compile("(?m)^( *)#" + slot + "\\n").matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no slot #" + slot + " in the manifest");
        }
        StringBuilder lines = new StringBuilder();
        for (String line : yaml.strip().split("\n")) {
            lines.append(m.group(1)).append(line).append('\n');
        }
        return new PodSpecManifests(text.substring(0, m.start()) + lines + m.group() + text.substring(m.end()),
                others);
    }

    /** @return the template text for an object of this name, slots taken out */
    String text(String name) {
        return SLOT.matcher(text).replaceAll("").replace("NAME", name);
    }

    /** @return the objects added beside it ({@link #and}), as one template text, or "" */
    String others(String name) {
        return others.replace("NAME", name);
    }
}
