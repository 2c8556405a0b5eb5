package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The helm plugin's checks, with their stable ids (what {@code ignore-check.controlplane.asyncsidecar.io/<id>}
 * names) and their SARIF rule descriptions.
 */
final class HelmRules {

    static final String RENDER_FAILED = "helm.render-failed";
    static final String RENDER_TIMEOUT = "helm.render-timeout";
    static final String ENGINE_UNAVAILABLE = "helm.engine-unavailable";
    static final String ARGOCD_VALUES = "helm.argocd-values";
    static final String CHART_LINK = "helm.chart-link";
    static final String LIVENESS_PROBE = "helm.liveness-probe";
    static final String READINESS_PROBE = "helm.readiness-probe";
    static final String IMAGE_TAG_PINNED = "helm.image-tag-pinned";
    static final String RUN_AS_NON_ROOT = "helm.run-as-non-root";
    static final String READ_ONLY_ROOT_FS = "helm.read-only-root-filesystem";
    static final String NO_PRIVILEGE_ESCALATION = "helm.no-privilege-escalation";
    static final String PDB = "helm.pdb";
    static final String SERVICE_SELECTOR = "helm.service-selector";
    static final String KEDA_TARGET_HPA = "helm.keda-target-hpa";
    static final String GPU_TOLERATION = "helm.gpu-toleration";
    static final String API_REMOVED = "helm.api-removed";
    static final String API_DEPRECATED = "helm.api-deprecated";

    /** Every rule, for SARIF's rule list. */
    static final List<CheckRule> ALL = List.of(
            new CheckRule(ChartMetadata.CHECK, Severity.ERROR,
                    "Chart.yaml has apiVersion v2, a semantic version and an appVersion, and is not templated."),
            new CheckRule(RENDER_FAILED, Severity.ERROR,
                    "The chart renders with Helm (dependencies present, required values set, templates valid)."),
            new CheckRule(RENDER_TIMEOUT, Severity.ERROR, "The chart renders within the configured time."),
            new CheckRule(ENGINE_UNAVAILABLE, Severity.INFO,
                    "A Helm engine (helm binary or embedded helm-java) was available to render the chart."),
            new CheckRule(ARGOCD_VALUES, Severity.ERROR,
                    "The values an Argo CD Application passes to the chart exist and parse."),
            new CheckRule(CHART_LINK, Severity.ERROR,
                    "No file or folder of the chart is a symbolic link out of it (Helm would include its target)."),
            new CheckRule(TemplateText.UNREADABLE, Severity.INFO,
                    "A template can be read as YAML when Helm cannot render the chart."),
            new CheckRule(SafeYaml.PARSE_ERROR, Severity.ERROR, "A YAML file parses."),
            new CheckRule(SafeYaml.LIMIT, Severity.ERROR, "A YAML file stays within the loader's safety limits."),
            new CheckRule(LIVENESS_PROBE, Severity.WARNING, "Every long-running container has a liveness probe."),
            new CheckRule(READINESS_PROBE, Severity.WARNING, "Every long-running container has a readiness probe."),
            new CheckRule(IMAGE_TAG_PINNED, Severity.WARNING,
                    "Every image names a tag other than 'latest', or a digest."),
            new CheckRule(RUN_AS_NON_ROOT, Severity.WARNING,
                    "Pods or containers set securityContext.runAsNonRoot: true."),
            new CheckRule(READ_ONLY_ROOT_FS, Severity.WARNING,
                    "Containers set securityContext.readOnlyRootFilesystem: true."),
            new CheckRule(NO_PRIVILEGE_ESCALATION, Severity.WARNING,
                    "Containers set securityContext.allowPrivilegeEscalation: false."),
            new CheckRule(PDB, Severity.WARNING,
                    "A workload with more than one replica, or autoscaled, has a PodDisruptionBudget."),
            new CheckRule(SERVICE_SELECTOR, Severity.ERROR, "A Service's selector matches some pod template."),
            new CheckRule(KEDA_TARGET_HPA, Severity.ERROR,
                    "A workload scaled by a KEDA ScaledObject has no HorizontalPodAutoscaler of its own."),
            new CheckRule(GPU_TOLERATION, Severity.ERROR,
                    "A pod asking for nvidia.com/gpu or amd.com/gpu tolerates a GPU taint."),
            new CheckRule(API_REMOVED, Severity.ERROR,
                    "No object uses an apiVersion and kind the target Kubernetes version no longer serves"
                            + " (Kubernetes deprecated API migration guide)."),
            new CheckRule(API_DEPRECATED, Severity.WARNING,
                    "No object uses an apiVersion and kind deprecated at the target Kubernetes version, which a"
                            + " later release removes."));

    private HelmRules() {
    }
}
