package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * Renders a chart with the first engine that can (helm binary, then embedded helm-java), falls back to a textual
 * reading of the raw templates when none can or Helm refuses the chart, and runs the checks on the result.
 * A chart problem never escapes as an exception: it is a finding.
 *
 * <p>Charts are rendered in place, and Helm includes whatever a symbolic link in the chart points at; so a chart
 * with an entry that resolves outside its folder (or a special file) is not rendered nor read at all but answered
 * with a {@value HelmRules#CHART_LINK} finding per entry. Values files are read through the kit's
 * {@link WorkspaceFiles}, the inline values of an Argo CD Application from the plugin's scratch folder.
 */
final class ChartRenderer implements AutoCloseable {

    private final HelmSettings settings;
    private final ChartChecks checks;
    private final Path workspace;
    private final SafeYaml yaml;
    private final WorkspaceFiles files;
    private final Path scratch;
    private final WorkspaceFiles scratchFiles;
    private final List<RenderEngine> engines;
    private final HelmBinaryEngine binaryEngine;

    /**
     * A renderer.
     *
     * @param settings  the plugin's settings
     * @param checks    the checks run on every chart's objects
     * @param workspace the workspace root
     * @param dataDir   the plugin's data directory (the helm binary's home folders go there)
     * @param yaml      the YAML loader
     */
    ChartRenderer(HelmSettings settings, ChartChecks checks, Path workspace, Path dataDir, SafeYaml yaml) {
        this.settings = settings;
        this.checks = checks;
        this.workspace = workspace;
        this.yaml = yaml;
        this.files = WorkspaceFiles.of(workspace);
        this.scratch = dataDir.resolve("tmp");
        this.scratchFiles = WorkspaceFiles.of(scratch);
        List<RenderEngine> list = new ArrayList<>();
        HelmBinaryEngine binary = null;
        for (HelmSettings.Engine e : settings.engines()) {
            switch (e) {
                case HELM_BINARY -> {
                    binary = new HelmBinaryEngine(settings.binary(), dataDir.resolve("helm-home"),
                            settings.renderTimeout());
                    list.add(binary);
                }
                case HELM_JAVA -> list.add(new EmbeddedHelmEngine(settings.renderTimeout(),
                        settings.maxConcurrentRenders()));
            }
        }
        this.engines = List.copyOf(list);
        this.binaryEngine = binary;
    }

    /**
     * What to render.
     *
     * @param chartDir    the chart folder (absolute, inside the workspace, existing)
     * @param valuesFiles values files layered over the chart's values.yaml
     * @param setValues   {@code --set} values
     * @param kubeVersion the Kubernetes version
     * @param releaseName the release name, or null for the configured one (else the chart's name)
     * @param namespace   the namespace, or null for the configured one
     */
    record Job(Path chartDir, List<Path> valuesFiles, Map<String, String> setValues, String kubeVersion,
               String releaseName, String namespace) {
        Job {
            valuesFiles = List.copyOf(valuesFiles);
            setValues = Map.copyOf(setValues);
        }
    }

    /**
     * A chart rendered (or read textually) before any check ran: what {@link RenderCache} keeps, and what other
     * plugins see of it ({@link #toRenderedChart()}).
     *
     * @param chartDir  the chart folder, relative to the workspace
     * @param chart     Chart.yaml's metadata
     * @param engine    the engine that produced the objects: helm-binary, helm-java or text
     * @param degraded  true when no Helm engine produced the objects
     * @param objects   the objects
     * @param findings  what reading the chart found (metadata, values, render, parse)
     * @param attempts  what each engine did, for the report
     * @param release   release name and namespace used
     */
    record Rendering(String chartDir, ChartMetadata chart, String engine, boolean degraded,
                     List<RenderedObject> objects, List<Finding> findings, List<Map<String, Object>> attempts,
                     Map<String, String> release) {

        Rendering {
            objects = List.copyOf(objects);
            findings = List.copyOf(findings);
            attempts = List.copyOf(attempts);
        }

        /** @return the rendered chart as other plugins see it: its objects and the problems met reading it */
        RenderedChart toRenderedChart() {
            List<Finding> renderFindings = findings.stream()
                    .filter(f -> !f.checkId().startsWith("helm.") || f.checkId().equals(HelmRules.RENDER_FAILED)
                            || f.checkId().equals(HelmRules.CHART_LINK)
                            || f.checkId().equals(HelmRules.RENDER_TIMEOUT)
                            || f.checkId().equals(HelmRules.ENGINE_UNAVAILABLE)
                            || f.checkId().equals(TemplateText.UNREADABLE))
                    .toList();
            return new RenderedChart(chartDir, engine, degraded, objects.stream().map(RenderedObject::document)
                    .toList(), renderFindings);
        }
    }

    /**
     * The outcome of a render and its checks.
     *
     * @param chartDir  the chart folder, relative to the workspace
     * @param chart     Chart.yaml's metadata
     * @param engine    the engine whose objects were checked: helm-binary, helm-java or text
     * @param degraded  true when no Helm engine produced the objects
     * @param objects   the objects checked
     * @param findings  every finding (metadata, values, render, checks), ignores applied
     * @param attempts  what each engine did, for the report
     * @param release   release name and namespace used
     */
    record Outcome(String chartDir, ChartMetadata chart, String engine, boolean degraded,
                   List<RenderedObject> objects, List<Finding> findings, List<Map<String, Object>> attempts,
                   Map<String, String> release) {

        /** @return whether the chart has each of the kinds the answer's {@code kinds} member lists */
        Map<String, Boolean> kinds() {
            Map<String, Boolean> kinds = new LinkedHashMap<>();
            for (String k : List.of("Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "ScaledObject")) {
                kinds.put(k, objects.stream().anyMatch(o -> k.equals(o.kind())));
            }
            return kinds;
        }
    }

    /**
     * Renders and checks.
     *
     * @param job what to render
     * @return the outcome
     */
    Outcome render(Job job) {
        return check(job, rendering(job));
    }

    /**
     * Runs the checks on a rendered chart.
     *
     * @param job       what was rendered (its Kubernetes version is the one the checks judge APIs at)
     * @param rendering the chart's objects, from {@link #rendering(Job)} or the cache
     * @return the outcome: the rendering's findings, then the checks'
     */
    Outcome check(Job job, Rendering rendering) {
        List<Finding> findings = new ArrayList<>(rendering.findings());
        findings.addAll(checks.check(new ChartUnderCheck(rendering.objects(), job.kubeVersion(),
                rendering.degraded(), workspace, job.chartDir())));
        return new Outcome(rendering.chartDir(), rendering.chart(), rendering.engine(), rendering.degraded(),
                rendering.objects(), findings, rendering.attempts(), rendering.release());
    }

    /**
     * Renders a chart without checking it: the first engine that can, else a textual reading.
     *
     * @param job what to render
     * @return the objects and what reading them found
     */
    Rendering rendering(Job job) {
        Path chartDir = job.chartDir();
        String chartDisplay = WorkspacePaths.display(workspace, chartDir);
        WorkspaceFiles chartFiles = files.within(chartDir);
        List<Finding> links = linksOut(chartFiles, chartDir);
        if (!links.isEmpty()) {
            String release = firstNonBlank(job.releaseName(), settings.releaseName(), "release");
            return new Rendering(chartDisplay, new ChartMetadata(null, null, null, null, List.of()), "text", true,
                    List.of(), links, List.of(Map.of("engine", "none", "outcome", "refused", "reason",
                    "the chart links out of its folder")), Map.of("name", release,
                    "namespace", firstNonBlank(job.namespace(), settings.namespace(), "default")));
        }
        ChartMetadata chart = ChartMetadata.read(chartDir, workspace, yaml);
        List<Finding> findings = new ArrayList<>(chart.findings());
        String release = firstNonBlank(job.releaseName(), settings.releaseName(), chart.name(), "release");
        String namespace = firstNonBlank(job.namespace(), settings.namespace(), "default");

        // Values are parsed first: a broken values file is reported at its line, and Helm is not asked to
        // render with it (its message would only say "failed to parse").
        Map<String, Object> values = new LinkedHashMap<>();
        boolean valuesOk = true;
        List<Path> layers = new ArrayList<>();
        Path chartValues = chartDir.resolve("values.yaml");
        if (Files.isRegularFile(chartValues)) {
            layers.add(chartValues);
        }
        layers.addAll(job.valuesFiles());
        for (Path file : layers) {
            YamlFile parsed = yaml.load(file.startsWith(scratch) ? scratchFiles : files, file);
            if (parsed.error() != null) {
                findings.add(parsed.error());
                valuesOk = false;
                continue;
            }
            for (var doc : parsed.documents()) {
                if (doc.root() instanceof Map<?, ?>) {
                    deepMerge(values, doc.map());
                } else {
                    findings.add(Finding.of(SafeYaml.PARSE_ERROR, Severity.ERROR, null, doc.file(), doc.line(),
                            "a values file must be a YAML mapping, found " + doc.root().getClass().getSimpleName(),
                            "Write the values as key: value pairs."));
                    valuesOk = false;
                }
            }
        }

        RenderRequest request = new RenderRequest(chartDir, release, namespace, job.kubeVersion(), job.valuesFiles(),
                job.setValues());
        List<Map<String, Object>> attempts = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        RenderedOutput.Parsed parsed = null;
        String engine = "text";
        if (valuesOk) {
            for (RenderEngine e : engines) {
                long start = System.nanoTime();
                RenderOutcome outcome = e.render(request);
                long millis = (System.nanoTime() - start) / 1_000_000;
                attempts.add(attempt(e.name(), outcome, millis));
                if (outcome instanceof RenderOutcome.Rendered r) {
                    parsed = new RenderedOutput(yaml, workspace, chartDir, chart.name()).parse(r.yaml());
                    engine = e.name();
                    break;
                }
                if (outcome instanceof RenderOutcome.Unavailable u) {
                    unavailable.add(e.name() + ": " + u.reason());
                    if (e == binaryEngine && binaryEngine.configured()) {
                        findings.add(Finding.of(HelmRules.ENGINE_UNAVAILABLE, Severity.WARNING, null, null, 0,
                                "the configured helm binary cannot be used: " + u.reason(),
                                "Fix plugins.helm.binary or remove it to look helm up on PATH."));
                    }
                    continue;
                }
                findings.add(renderProblem(outcome, e.name(), chart, chartDir));
                // Helm's verdict on the chart does not depend on the engine, and a hung render would hang again.
                break;
            }
        }
        if (parsed == null) {
            if (valuesOk && !engines.isEmpty() && unavailable.size() == engines.size()) {
                findings.add(Finding.of(HelmRules.ENGINE_UNAVAILABLE, Severity.INFO, null, chartDisplay, 0,
                        "no Helm engine could render the chart (" + String.join("; ", unavailable)
                                + "); checked the raw templates instead",
                        "Install helm on PATH or set plugins.helm.binary for exact results."));
            }
            Map<String, Object> scope = new LinkedHashMap<>();
            scope.put("Values", values);
            scope.put("Release", Map.of("Name", release, "Namespace", namespace, "Service", "Helm"));
            Map<String, Object> chartScope = new LinkedHashMap<>();
            chartScope.put("Name", chart.name());
            chartScope.put("Version", chart.version());
            chartScope.put("AppVersion", chart.appVersion());
            scope.put("Chart", chartScope);
            parsed = new TemplateText(yaml, workspace).read(chartDir, scope);
            attempts.add(Map.of("engine", "text", "outcome", "read", "objects", parsed.objects().size()));
        }
        findings.addAll(parsed.findings());
        return new Rendering(chartDisplay, chart, engine, "text".equals(engine), parsed.objects(), findings, attempts,
                Map.of("name", release, "namespace", namespace));
    }

    /**
     * The chart's entries Helm must not see: links resolving outside the chart folder and special files. Helm
     * loads every file of the chart (templates, values, files read with .Files.Get), so every entry is looked at.
     */
    private static List<Finding> linksOut(WorkspaceFiles chartFiles, Path chartDir) {
        List<Finding> out = new ArrayList<>();
        String remediation = "Replace the link with the file itself or remove it: Helm includes what a link points"
                + " at, so the chart is neither rendered nor read while it links out of its folder.";
        try {
            WorkspaceFiles.Listing listing = chartFiles.walk(chartDir, p -> true);
            for (WorkspaceFiles.Refused r : listing.refused()) {
                out.add(Finding.of(HelmRules.CHART_LINK, Severity.ERROR, null, r.path(), 0, r.getMessage(),
                        remediation));
            }
            if (listing.truncated()) {
                String shown = chartFiles.display(chartDir);
                out.add(Finding.of(HelmRules.CHART_LINK, Severity.ERROR, null, shown, 0, "'" + shown
                        + "' holds more than " + WorkspaceFiles.DEFAULT_MAX_ENTRIES + " files and folders; not"
                        + " looked at whole, so not rendered", "Split the chart or remove what it does not need."));
            }
        } catch (WorkspaceFiles.Refused r) {
            out.add(Finding.of(HelmRules.CHART_LINK, Severity.ERROR, null, r.path(), 0, r.getMessage(), remediation));
        }
        return out;
    }

    /** @return where inline values (an Argo CD Application's) are written for the engines to read */
    Path scratch() {
        return scratch;
    }

    private Finding renderProblem(RenderOutcome outcome, String engine, ChartMetadata chart, Path chartDir) {
        if (outcome instanceof RenderOutcome.TimedOut t) {
            return Finding.of(HelmRules.RENDER_TIMEOUT, Severity.ERROR, null,
                    WorkspacePaths.display(workspace, chartDir.resolve("Chart.yaml")), 0,
                    engine + " did not finish rendering the chart within " + t.seconds() + " s and was stopped",
                    "Look for a template loop over a large range, or raise plugins.helm.render-timeout-seconds.");
        }
        String raw = ((RenderOutcome.Failed) outcome).message();
        HelmMessages.Position at = HelmMessages.locate(raw, chart.name(), chartDir);
        // Helm names files by their absolute paths: answers show them relative to the workspace instead.
        String message = HelmMessages.relativize(raw, workspace, scratch);
        String file = at.file() == null ? WorkspacePaths.display(workspace, chartDir.resolve("Chart.yaml"))
                : files.display(at.file());
        return Finding.of(HelmRules.RENDER_FAILED, Severity.ERROR, null, file, at.line(),
                "Helm cannot render the chart: " + message, remediation(message));
    }

    private static String remediation(String message) {
        if (message.contains("missing in charts/") || message.contains("dependencies")) {
            return "Run `helm dependency build` for the chart, or vendor the dependencies under charts/.";
        }
        if (message.contains("no template") || message.contains("not defined")) {
            return "Define the named template (usually in templates/_helpers.tpl) or fix the include's name.";
        }
        if (message.contains("required") || message.contains("execution error")) {
            return "Supply the value: a values file (?values=) or the Argo CD Application that deploys the chart"
                    + " (?app=).";
        }
        if (message.contains("kubeVersion")) {
            return "Render for a Kubernetes version the chart supports (?kubeVersion=) or relax Chart.yaml's"
                    + " kubeVersion.";
        }
        if (message.contains("Chart.yaml")) {
            return "Fix Chart.yaml: it must be plain YAML with apiVersion, name and version.";
        }
        return "Fix the template at this line; `helm template` shows the same error.";
    }

    private static Map<String, Object> attempt(String engine, RenderOutcome outcome, long millis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine);
        switch (outcome) {
            case RenderOutcome.Rendered r -> m.put("outcome", "rendered");
            case RenderOutcome.Failed f -> m.put("outcome", "failed");
            case RenderOutcome.TimedOut t -> m.put("outcome", "timed-out");
            case RenderOutcome.Unavailable u -> {
                m.put("outcome", "unavailable");
                m.put("reason", u.reason());
            }
        }
        m.put("duration_ms", millis);
        return m;
    }

    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object existing = into.get(e.getKey());
            if (existing instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) a);
                deepMerge(merged, (Map<String, Object>) b);
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static String firstNonBlank(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c;
            }
        }
        return Objects.requireNonNull(candidates[candidates.length - 1]);
    }

    @Override
    public void close() {
        for (RenderEngine e : engines) {
            if (e instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing at shutdown: nothing left to report to
                }
            }
        }
    }
}
