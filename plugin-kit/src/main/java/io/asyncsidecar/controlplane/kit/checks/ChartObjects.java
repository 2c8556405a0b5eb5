package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;


/**
 * The objects of the workspace chart for plugins that check what the chart deploys (keda, karpenter): the
 * helm plugin's {@link RenderedManifests} when it is present, renders the same chart and a Helm engine rendered
 * it (with values files or a Kubernetes version, the render its own check of the same parameters made, so that a
 * combined check renders once), else the chart's raw templates read by {@link RawChartTemplates} and marked degraded
 * (with the publisher's render problems kept, when it had some). Keeping this choice in one place makes every
 * consumer degrade the same way and say so.
 */
public final class ChartObjects {

    private ChartObjects() {
    }

    /**
     * The chart's objects.
     *
     * @param services  the service registry (the helm plugin publishes {@link RenderedManifests} there)
     * @param workspace the workspace root
     * @param parameter the config key naming the chart, for messages
     * @param chartDir  the chart folder relative to the workspace
     * @return the rendered chart; {@link RenderedChart#degraded()} is true when it was read without Helm or
     *         without the helm plugin
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 when the chart path leaves the workspace
     */
    public static RenderedChart of(ServiceRegistry services, Path workspace, String parameter, String chartDir) {
        Optional<RenderedManifests> published = services == null ? Optional.empty()
                : services.lookup(RenderedManifests.class);
        return of(published, workspace, parameter, chartDir);
    }

    /**
     * The chart's objects, given the publisher (or its absence).
     *
     * @param published the helm plugin's service, or empty when it is absent
     * @param workspace the workspace root
     * @param parameter the config key naming the chart
     * @param chartDir  the chart folder relative to the workspace
     * @return the rendered chart
     */
    public static RenderedChart of(Optional<RenderedManifests> published, Path workspace, String parameter,
                                   String chartDir) {
        Path wanted = WorkspacePaths.resolve(workspace, parameter, chartDir);
        RenderedChart chart = published.map(RenderedManifests::workspaceChart)
                .filter(c -> sameFolder(workspace, c.chartDir(), wanted)).orElse(null);
        if (chart != null && chart.rendered()) {
            return chart;
        }
        RenderedChart raw = RawChartTemplates.create().read(workspace, parameter, chartDir, Map.of());
        if (chart == null) {
            return raw;
        }
        // The publisher could not render either: keep its explanation beside this reading's objects, so every
        // consumer reads the chart the same way whatever the publisher's own fallback does.
        List<Finding> findings = new ArrayList<>(chart.findings());
        findings.addAll(raw.findings());
        return new RenderedChart(raw.chartDir(), raw.engine(), true, raw.objects(), findings);
    }

    /**
     * The chart's objects rendered with extra values files layered over {@code values.yaml}, as
     * {@code helm template -f a.yaml -f b.yaml} would, for the configured Kubernetes version.
     *
     * @param services    the service registry
     * @param workspace   the workspace root
     * @param parameter   the config key naming the chart
     * @param chartDir    the chart folder relative to the workspace
     * @param valuesFiles values files (see {@link #valuesFile}), later ones winning; empty for the defaults
     * @return the rendered chart; a missing values file is a {@value WorkspaceManifests#MISSING} finding in it
     */
    public static RenderedChart of(ServiceRegistry services, Path workspace, String parameter, String chartDir,
                                   List<String> valuesFiles) {
        return of(services, workspace, parameter, chartDir, valuesFiles, null);
    }

    /**
     * The chart's objects rendered with extra values files for a Kubernetes version: the helm plugin's render
     * ({@link RenderedManifests#chart}, the one its own check of the same parameters made, so a combined check
     * renders once) when it is published, renders this way and every values file exists; else the raw templates
     * with the values merged over {@code values.yaml} (degraded, the publisher's render problems kept).
     *
     * @param services    the service registry
     * @param workspace   the workspace root
     * @param parameter   the config key naming the chart
     * @param chartDir    the chart folder relative to the workspace
     * @param valuesFiles values files (see {@link #valuesFile}), later ones winning; empty for the defaults
     * @param kubeVersion the Kubernetes version to render for; null for the publisher's configured one
     * @return the rendered chart; a missing values file is a {@value WorkspaceManifests#MISSING} finding in it
     * @throws ProblemException 400 for a path outside the workspace, or the publisher's 400 for a bad version
     */
    public static RenderedChart of(ServiceRegistry services, Path workspace, String parameter, String chartDir,
                                   List<String> valuesFiles, String kubeVersion) {
        if (valuesFiles.isEmpty() && kubeVersion == null) {
            return of(services, workspace, parameter, chartDir);
        }
        Path dir = WorkspacePaths.resolve(workspace, parameter, chartDir);
        List<Path> found = new ArrayList<>();
        List<Finding> problems = new ArrayList<>();
        for (String vf : valuesFiles) {
            Optional<Path> file = valuesFile(workspace, parameter, dir, vf);
            if (file.isPresent()) {
                found.add(file.get());
                continue;
            }
            String shown = WorkspacePaths.display(workspace, dir.resolve(vf).normalize());
            problems.add(Finding.of(WorkspaceManifests.MISSING, Severity.ERROR, null, shown, 0,
                    "values file '" + shown + "' does not exist", "Fix the values file list of " + parameter + "."));
        }
        Optional<RenderedManifests> published = services == null ? Optional.empty()
                : services.lookup(RenderedManifests.class);
        RenderedChart fromPublisher = null;
        if (published.isPresent() && problems.isEmpty()) {
            try {
                fromPublisher = published.get().chart(WorkspacePaths.display(workspace, dir),
                        found.stream().map(f -> dir.relativize(f).toString()).toList(), kubeVersion);
            } catch (UnsupportedOperationException defaultsOnly) {
                fromPublisher = null;
            }
            if (fromPublisher != null && fromPublisher.rendered()) {
                return fromPublisher;
            }
        }
        SafeYaml yaml = SafeYaml.create();
        WorkspaceFiles files = WorkspaceFiles.of(workspace);
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (Path file : found) {
            YamlFile loaded = yaml.load(files, file);
            if (!loaded.ok()) {
                problems.add(loaded.error());
            }
            if (!loaded.documents().isEmpty()) {
                RawChartTemplates.deepMerge(overrides, loaded.documents().getFirst().map());
            }
        }
        RenderedChart chart = RawChartTemplates.create().read(workspace, parameter, chartDir, overrides);
        if (fromPublisher != null) {
            problems.addAll(0, fromPublisher.findings());
        }
        if (problems.isEmpty()) {
            return chart;
        }
        problems.addAll(chart.findings());
        return new RenderedChart(chart.chartDir(), chart.engine(), true, chart.objects(), problems);
    }

    /**
     * Where a values file a request or the config names is: a file of the workspace at that path, else a file of
     * the chart folder (a bare {@code values-prod.yaml}), as the helm plugin reads its {@code values} parameter.
     *
     * @param workspace the workspace root
     * @param parameter the parameter or config key, for messages
     * @param chartDir  the chart folder (absolute, inside the workspace)
     * @param value     the values file as given
     * @return the file (absolute, inside the workspace), or empty when neither place holds a regular file of it
     * @throws ProblemException 400 when the path leaves the workspace
     */
    public static Optional<Path> valuesFile(Path workspace, String parameter, Path chartDir, String value) {
        Path inWorkspace = WorkspacePaths.resolve(workspace, parameter, value);
        if (Files.isRegularFile(inWorkspace)) {
            return Optional.of(inWorkspace);
        }
        Path inChart = chartDir.resolve(value).normalize();
        if (Files.isRegularFile(inChart)) {
            return Optional.of(WorkspacePaths.resolve(workspace, parameter, WorkspacePaths.display(workspace, inChart)));
        }
        return Optional.empty();
    }

    /**
     * The chart a request asks for: query parameters {@code chart} (a chart folder), {@code values}
     * (repeatable values files of that chart) and {@code kubeVersion}, else the configured chart and values files.
     *
     * @param parameters    the run's parameters (a request's query)
     * @param services      the service registry
     * @param workspace     the workspace root
     * @param configKey     the config key of the default chart, e.g. {@code plugins.keda.chart}, for messages
     * @param defaultChart  the configured chart folder; blank for none
     * @param defaultValues the configured values files
     * @return the chart's objects, or empty when neither the request nor the config names a chart
     * @throws ProblemException 400 for a path outside the workspace, 404 for a named chart folder that does not exist
     */
    public static Optional<RenderedChart> requested(CheckParameters parameters, ServiceRegistry services, Path workspace,
                                                    String configKey, String defaultChart, List<String> defaultValues) {
        Optional<String> named = parameters.first("chart");
        String chartDir = named.orElse(defaultChart);
        List<String> values = parameters.contains("values") ? parameters.all("values") : defaultValues;
        String kubeVersion = parameters.first("kubeVersion").orElse(null);
        if (chartDir == null || chartDir.isBlank()) {
            return Optional.empty();
        }
        String parameter = named.isPresent() ? "chart" : configKey;
        if (named.isPresent() && !Files.isDirectory(WorkspacePaths.resolve(workspace, parameter, chartDir))) {
            throw ProblemException.notFound("'chart' names '" + chartDir + "', which is not a folder in the workspace")
                    .with("parameter", "chart");
        }
        return Optional.of(of(services, workspace, parameter, chartDir, values, kubeVersion));
    }

    /**
     * How a chart was read, for a plugin's answer: folder, engine, whether Helm rendered it, object count, and
     * the render problems as {@code file:line message} (they are the helm plugin's findings; consumers show them
     * to explain missing objects, not to count them).
     *
     * @param chart the chart
     * @return a map ready for JSON
     */
    public static Map<String, Object> describe(RenderedChart chart) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dir", chart.chartDir());
        c.put("engine", chart.engine());
        c.put("rendered", chart.rendered());
        c.put("objects", chart.objects().size());
        c.put("problems", chart.findings().stream().map(f -> f.file() + ":" + f.line() + " " + f.message()).toList());
        return c;
    }

    private static boolean sameFolder(Path workspace, String shown, Path wanted) {
        if (shown == null) {
            return false;
        }
        Path published = workspace.toAbsolutePath().normalize().resolve(shown).normalize();
        return published.equals(wanted);
    }
}
