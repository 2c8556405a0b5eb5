package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The workspace chart rendered with its own values, published for the keda and karpenter plugins. The result is
 * kept until a file of the chart changes (path, size or modification time), so consumers may ask on every request.
 */
final class WorkspaceChart implements RenderedManifests {

    private final ChartRenderer renderer;
    private final Path workspace;
    private final Path chartDir;
    private final String kubeVersion;
    private String fingerprint;
    private RenderedChart cached;

    /**
     * The published service.
     *
     * @param renderer    the renderer
     * @param workspace   the workspace root
     * @param chart       the chart folder, relative to the workspace
     * @param kubeVersion the Kubernetes version to render for
     */
    WorkspaceChart(ChartRenderer renderer, Path workspace, String chart, String kubeVersion) {
        this.renderer = renderer;
        this.workspace = workspace;
        this.chartDir = workspace.resolve(chart).normalize();
        this.kubeVersion = kubeVersion;
    }

    @Override
    public synchronized RenderedChart workspaceChart() {
        String now = fingerprint();
        if (cached == null || !now.equals(fingerprint)) {
            cached = render();
            fingerprint = now;
        }
        return cached;
    }

    private RenderedChart render() {
        String display = WorkspacePaths.display(workspace, chartDir);
        if (!chartDir.startsWith(workspace) || !Files.isDirectory(chartDir)) {
            return new RenderedChart(display, "text", true, List.of(), List.of(Finding.of(HelmRules.RENDER_FAILED,
                    Severity.ERROR, null, display, 0, "the workspace chart folder does not exist",
                    "Set plugins.helm.chart to the chart's folder, relative to the workspace.")));
        }
        return renderer.render(new ChartRenderer.Job(chartDir, List.of(), Map.of(), kubeVersion, null, null))
                .toRenderedChart();
    }

    /** Paths, sizes and modification times of every file of the chart. */
    private String fingerprint() {
        if (!Files.isDirectory(chartDir)) {
            return "absent";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> walk = Files.walk(chartDir)) {
            walk.sorted().forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    sb.append(p).append('|').append(a.size()).append('|').append(a.lastModifiedTime().toMillis())
                            .append('\n');
                } catch (IOException e) {
                    sb.append(p).append("|?\n");
                }
            });
        } catch (IOException | RuntimeException e) {
            return "unreadable:" + System.nanoTime();
        }
        return sb.toString();
    }
}
