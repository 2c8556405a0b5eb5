package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;

/**
 * One run of a check, made by {@link CheckEndpoint} for each request or workspace check: its parameters, and the
 * findings gathered so far in the order they were made. Reading manifests or the chart through the run adds their reading problems
 * (missing files, parse errors, render failures) to the findings, so every plugin counts them the same way.
 *
 * <p>The engine is {@value #YAML_ENGINE} and the run not degraded unless a chart was read: then they are the
 * chart's.
 */
public final class CheckRun {

    /** The engine of a run that read plain YAML manifests only. */
    public static final String YAML_ENGINE = "yaml";

    private final CheckParameters parameters;
    private final Path workspace;
    private final ServiceRegistry services;
    private final long startNanos = System.nanoTime();
    private final List<Finding> findings = new ArrayList<>();
    private RenderedChart chart;

    CheckRun(CheckParameters parameters, Path workspace, ServiceRegistry services) {
        this.parameters = parameters;
        this.workspace = workspace;
        this.services = services;
    }

    /** @return the run's parameters (a request's query, or a command line's options), for the check's own */
    public CheckParameters parameters() {
        return parameters;
    }

    /** @return the workspace root */
    public Path workspace() {
        return workspace;
    }

    /**
     * The manifests the request names in a query parameter (repeatable), else the configured ones; see
     * {@link WorkspaceManifests#requested}. Their reading problems become findings of the run.
     *
     * @param parameter  the query parameter, e.g. {@code path}
     * @param configKey  the config key of the defaults, for messages
     * @param configured the configured paths
     * @return one entry per path, in order
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 for a path outside the workspace, 404 for a
     *         named path that does not exist
     */
    public List<WorkspaceManifests> manifests(String parameter, String configKey, List<String> configured) {
        List<WorkspaceManifests> all = WorkspaceManifests.requested(parameters, workspace, parameter, configKey,
                configured);
        all.forEach(m -> findings.addAll(m.findings()));
        return all;
    }

    /**
     * The one file or folder of manifests a check reads: the first path the request names, else the configured
     * one. Its reading problems become findings of the run.
     *
     * @param parameter  the query parameter
     * @param configKey  the config key of the default, for messages
     * @param configured the configured path
     * @return the manifests
     * @throws io.asyncsidecar.controlplane.spi.ProblemException as {@link #manifests}
     */
    public WorkspaceManifests manifest(String parameter, String configKey, String configured) {
        WorkspaceManifests first = WorkspaceManifests.requested(parameters, workspace, parameter, configKey,
                List.of(configured)).getFirst();
        findings.addAll(first.findings());
        return first;
    }

    /**
     * The workspace chart's objects the request asks for ({@code chart} and {@code values} parameters, else the
     * configured chart); see {@link ChartObjects#requested}. Its render or reading problems (a missing values
     * file) become findings of the run, and its engine and degradation the run's.
     *
     * @param configKey     the config key of the default chart, for messages
     * @param defaultChart  the configured chart folder; blank for none
     * @param defaultValues the configured values files
     * @return the chart, or empty when neither the request nor the config names one
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 for a path outside the workspace, 404 for a
     *         named chart folder that does not exist
     */
    public Optional<RenderedChart> chart(String configKey, String defaultChart, List<String> defaultValues) {
        Optional<RenderedChart> read = ChartObjects.requested(parameters, services, workspace, configKey, defaultChart,
                defaultValues);
        read.ifPresent(c -> {
            chart = c;
            findings.addAll(c.findings());
        });
        return read;
    }

    /**
     * Adds a finding.
     *
     * @param finding the finding
     */
    public void add(Finding finding) {
        findings.add(finding);
    }

    /**
     * Adds findings, in order.
     *
     * @param more the findings
     */
    public void addAll(Collection<? extends Finding> more) {
        findings.addAll(more);
    }

    /** @return the chart's engine when one was read, else {@value #YAML_ENGINE} */
    public String engine() {
        return chart == null ? YAML_ENGINE : chart.engine();
    }

    /** @return whether the chart read was degraded (no Helm rendering, or no helm plugin) */
    public boolean degraded() {
        return chart != null && chart.degraded();
    }

    /**
     * The members that say how the run read its input: {@code degraded}, {@code engine}, and {@code chart}
     * ({@link ChartObjects#describe}) when a chart was read.
     *
     * @return the members, in that order
     */
    public Map<String, Object> engineMembers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("degraded", degraded());
        m.put("engine", engine());
        if (chart != null) {
            m.put("chart", ChartObjects.describe(chart));
        }
        return m;
    }

    CheckReport report(ConfigIgnores ignores) {
        return CheckReport.of(ignores.apply(findings), engine(), degraded(),
                (System.nanoTime() - startNanos) / 1_000_000);
    }
}
