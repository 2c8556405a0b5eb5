package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * Reads a Helm chart's templates without Helm: the degraded fallback of plugins that want the chart's objects
 * when no {@link RenderedManifests} publisher is present (engine {@value #ENGINE}, always degraded).
 *
 * <p>Why not a template engine: Go templates with Sprig cannot be run faithfully outside Helm, and the point of
 * this reader is to give checks <em>something</em> when Helm is not there. It approximates the common chart
 * idioms and leaves the rest visibly unresolved:
 * <ul>
 *   <li>{@code .Values.x.y}, {@code $.Values...}, {@code .Release.Name|Namespace},
 *       {@code .Chart.Name|Version|AppVersion}
 *       resolve against the chart's {@code values.yaml} (plus overrides) and {@code Chart.yaml};</li>
 *   <li>{@code if}/{@code else if}/{@code else}/{@code with}/{@code range}/{@code end} follow the values where
 *       the condition is a values path, {@code not}, {@code and}, {@code or}, {@code eq}, {@code ne}, and take
 *       the first branch otherwise; {@code range} emits its body once, for the first item;</li>
 *   <li>{@code toYaml}, {@code nindent}, {@code indent}, {@code quote}, {@code default}, {@code required},
 *       {@code int}, {@code toString}, {@code lower}, {@code upper}, {@code trunc}, {@code trimSuffix} are
 *       applied; a collection on a line of its own becomes a YAML block at the requested indent;</li>
 *   <li>anything else ({@code include}, {@code tpl}, {@code printf}, variables) becomes a token
 *       {@code tpl-<expression>} inline, or nothing when it stands on a line of its own.</li>
 * </ul>
 * Each template file is split into documents that are parsed separately, so one unreadable document is a
 * {@code yaml.parse} finding and the others are still read. Files are read through {@link WorkspaceFiles} bounded
 * by the chart folder: a template that is a link out of the chart is a {@value WorkspaceManifests#LINK} finding
 * and is not read. Inactive branches keep their line breaks, so the
 * lines of a template without multi-line values match the source.
 */
public final class RawChartTemplates {

    /** The engine name reported for charts read this way. */
    public static final String ENGINE = "text";

    private static final long MAX_TEMPLATE_BYTES = 8L * 1024 * 1024;
    private static final Pattern DOC_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");

    private final SafeYaml yaml;

    private RawChartTemplates(SafeYaml yaml) {
        this.yaml = yaml;
    }

    /**
     * A reader with the default {@link SafeYaml} limits.
     *
     * @return the reader
     */
    public static RawChartTemplates create() {
        return new RawChartTemplates(SafeYaml.create());
    }

    /**
     * Reads a chart named by a workspace-relative path.
     *
     * @param workspace the workspace root
     * @param parameter the config key or query parameter naming the chart, for messages
     * @param chartDir  the chart folder, relative to the workspace
     * @param overrides values merged over {@code values.yaml} (e.g. an Argo CD app's inline values); may be empty
     * @return the chart's objects, engine {@value #ENGINE}, degraded; a missing chart yields a
     *         {@value WorkspaceManifests#MISSING} finding and no objects
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 when the path leaves the workspace
     */
    public RenderedChart read(Path workspace, String parameter, String chartDir, Map<String, ?> overrides) {
        Path dir = WorkspacePaths.resolve(workspace, parameter, chartDir);
        String shown = WorkspacePaths.display(workspace, dir);
        if (!Files.isDirectory(dir)) {
            Finding missing = Finding.of(WorkspaceManifests.MISSING, Severity.ERROR, null, shown, 0,
                    "chart folder '" + shown + "' (from " + parameter + ") does not exist in the workspace",
                    "Point " + parameter + " at a folder holding Chart.yaml and templates/.");
            return new RenderedChart(shown, ENGINE, true, List.of(), List.of(missing));
        }
        List<Finding> findings = new ArrayList<>();
        WorkspaceFiles files = WorkspaceFiles.of(workspace).within(dir);
        Map<String, Object> values = new LinkedHashMap<>(readValues(files, dir.resolve("values.yaml"), findings));
        deepMerge(values, overrides);
        Map<String, Object> chart = new LinkedHashMap<>();
        YamlFile chartFile = yaml.load(files, dir.resolve("Chart.yaml"));
        if (chartFile.ok() && !chartFile.documents().isEmpty()) {
            chartFile.documents().getFirst().map().forEach((k, v) -> chart.put(capitalise(k), v));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Values", values);
        root.put("Chart", chart);
        root.put("Release", Map.of("Name", "release-name", "Namespace", "default", "Service", "Helm",
                "IsInstall", true, "IsUpgrade", false, "Revision", 1L));
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path template : templates(files, dir.resolve("templates"), findings)) {
            String file = files.display(template);
            try {
                texts.put(file, files.readString(template, MAX_TEMPLATE_BYTES));
            } catch (WorkspaceFiles.Refused e) {
                boolean tooLarge = e.reason() == WorkspaceFiles.Reason.TOO_LARGE;
                findings.add(Finding.of(tooLarge ? SafeYaml.LIMIT : SafeYaml.PARSE_ERROR, Severity.ERROR, null, file,
                        0, "cannot read template: " + e.getMessage(), tooLarge ? "Split the template." : null));
            }
        }
        // Named templates are global in Helm: collect every file's defines before rendering any file.
        Map<String, String> defines = new HashMap<>();
        texts.forEach((file, text) -> {
            if (text.contains("define")) {
                new RawTemplateRenderer(root, defines).render(text);
            }
        });
        List<YamlDocument> objects = new ArrayList<>();
        texts.forEach((file, text) -> {
            if (isYamlName(file)) {
                String rendered = new RawTemplateRenderer(root, defines).render(text);
                objects.addAll(parseDocuments(rendered, file, findings));
            }
        });
        return new RenderedChart(shown, ENGINE, true, objects, findings);
    }

    /**
     * Renders one template text with given values, the way {@link #read} does for each file. Exposed for
     * checks that approximate a single template, and for tests.
     *
     * @param template the template text
     * @param values   the values tree ({@code .Values})
     * @return the approximated output
     */
    public static String renderText(String template, Map<String, ?> values) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Values", values);
        root.put("Chart", Map.of());
        root.put("Release", Map.of("Name", "release-name", "Namespace", "default"));
        return new RawTemplateRenderer(root, new HashMap<>()).render(template);
    }

    private Map<String, Object> readValues(WorkspaceFiles files, Path file, List<Finding> findings) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        YamlFile values = yaml.load(files, file);
        if (!values.ok()) {
            findings.add(values.error());
        }
        return values.documents().isEmpty() ? Map.of() : values.documents().getFirst().map();
    }

    private List<YamlDocument> parseDocuments(String text, String file, List<Finding> findings) {
        List<YamlDocument> docs = new ArrayList<>();
        Matcher m = DOC_SEPARATOR.matcher(text);
        int start = 0;
        int line = 1;
        List<int[]> chunks = new ArrayList<>();
        while (m.find()) {
            chunks.add(new int[] {start, m.start(), line});
            line += RawTemplateRenderer.countLines(text, start, m.end());
            start = m.end();
        }
        chunks.add(new int[] {start, text.length(), line});
        for (int[] c : chunks) {
            String chunk = text.substring(c[0], c[1]);
            if (chunk.isBlank()) {
                continue;
            }
            YamlFile parsed = yaml.parse(chunk, file, c[2]);
            if (!parsed.ok()) {
                findings.add(parsed.error());
            }
            for (YamlDocument d : parsed.documents()) {
                if (d.isKubernetesObject()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static List<Path> templates(WorkspaceFiles files, Path dir, List<Finding> findings) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        WorkspaceFiles.Listing listing;
        try {
            listing = files.walk(dir, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    || WorkspaceManifests.isYaml(p) || p.getFileName().toString().endsWith(".tpl"));
        } catch (WorkspaceFiles.Refused e) {
            findings.add(Finding.of(WorkspaceManifests.LINK, Severity.ERROR, null, e.path(), 0, e.getMessage(),
                    "Keep the chart's templates in the chart folder itself."));
            return List.of();
        }
        for (WorkspaceFiles.Refused r : listing.refused()) {
            findings.add(Finding.of(WorkspaceManifests.LINK, Severity.ERROR, null, r.path(), 0, r.getMessage(),
                    "Replace the link with the file itself: only files inside the chart folder are read."));
        }
        return listing.files();
    }

    private static boolean isYamlName(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return !name.startsWith("_") && WorkspaceManifests.isYaml(Path.of(name));
    }

    private static String capitalise(String key) {
        return key.isEmpty() ? key : Character.toUpperCase(key.charAt(0)) + key.substring(1);
    }

    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> into, Map<String, ?> overrides) {
        if (overrides == null) {
            return;
        }
        overrides.forEach((k, v) -> {
            if (v instanceof Map<?, ?> vm && into.get(k) instanceof Map<?, ?> existing) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existing);
                deepMerge(merged, (Map<String, ?>) vm);
                into.put(k, merged);
            } else {
                into.put(k, v);
            }
        });
    }

}
