package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The charts of the workspace as the helm plugin renders them, published for the keda and karpenter plugins. Renders
 * come from the plugin's {@link RenderCache}, the one its own check renders through, so a combined check of the same
 * chart, values files and Kubernetes version renders once, and an unchanged chart is not rendered again.
 */
final class WorkspaceChart implements RenderedManifests {

    private final RenderCache renders;
    private final Path workspace;
    private final String chart;
    private final String kubeVersion;

    /**
     * The published service.
     *
     * @param renders     the plugin's render cache
     * @param workspace   the workspace root
     * @param chart       the configured chart folder, relative to the workspace
     * @param kubeVersion the configured Kubernetes version
     */
    WorkspaceChart(RenderCache renders, Path workspace, String chart, String kubeVersion) {
        this.renders = renders;
        this.workspace = workspace;
        this.chart = chart;
        this.kubeVersion = kubeVersion;
    }

    @Override
    public RenderedChart workspaceChart() {
        Path dir = workspace.resolve(chart).normalize();
        if (!dir.startsWith(workspace) || !Files.isDirectory(dir)) {
            String display = WorkspacePaths.display(workspace, dir);
            return absent(display, "the workspace chart folder does not exist",
                    "Set plugins.helm.chart to the chart's folder, relative to the workspace.");
        }
        return render(dir, List.of(), kubeVersion);
    }

    @Override
    public RenderedChart chart(String chartDir, List<String> valuesFiles, String version) {
        Path dir = WorkspacePaths.resolve(workspace, "chart", chartDir);
        if (!Files.isDirectory(dir)) {
            return absent(WorkspacePaths.display(workspace, dir), "'" + chartDir + "' is not a chart folder",
                    "Name the chart's folder, relative to the workspace.");
        }
        String v = version == null ? kubeVersion : HelmChecksApi.kubeVersion(version);
        List<Path> values = new ArrayList<>();
        for (String file : valuesFiles) {
            // relative to the chart folder, as the SPI says; confined to the workspace like every path
            Path p = WorkspacePaths.resolve(workspace, "values", WorkspacePaths.display(workspace,
                    dir.resolve(file).normalize()));
            if (!Files.isRegularFile(p)) {
                throw ProblemException.notFound("'values': no file '" + file + "' in the chart folder")
                        .with("parameter", "values");
            }
            values.add(p);
        }
        return render(dir, values, v);
    }

    private RenderedChart render(Path dir, List<Path> values, String version) {
        return renders.published(new ChartRenderer.Job(dir, values, Map.of(), version, null, null));
    }

    private static RenderedChart absent(String display, String message, String remediation) {
        return new RenderedChart(display, "text", true, List.of(), List.of(Finding.of(HelmRules.RENDER_FAILED,
                Severity.ERROR, null, display, 0, message, remediation)));
    }
}
