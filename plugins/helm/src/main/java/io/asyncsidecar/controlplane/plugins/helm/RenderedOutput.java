package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * Splits {@code helm template} output into its documents and parses each one with {@link SafeYaml}, naming it
 * after the template in its {@code # Source:} comment so findings point at the template, not at the output.
 */
final class RenderedOutput {

    private static final String SOURCE = "# Source: ";

    private final SafeYaml yaml;
    private final Path workspace;
    private final WorkspaceFiles chartFiles;
    private final Path chartDir;
    private final String chartName;
    private final Map<Path, List<String>> templates = new HashMap<>();

    /**
     * A parser for one chart's output.
     *
     * @param yaml      the YAML loader
     * @param workspace the workspace root, for display paths
     * @param chartDir  the chart folder
     * @param chartName the chart's name, the first segment of {@code # Source:} paths (null: any)
     */
    RenderedOutput(SafeYaml yaml, Path workspace, Path chartDir, String chartName) {
        this.yaml = yaml;
        this.workspace = workspace;
        this.chartFiles = WorkspaceFiles.of(workspace).within(chartDir);
        this.chartDir = chartDir;
        this.chartName = chartName;
    }

    /**
     * The objects and parse problems of rendered output.
     *
     * @param objects  the Kubernetes objects, in output order
     * @param findings parse errors of documents Helm produced
     */
    record Parsed(List<RenderedObject> objects, List<Finding> findings) {
    }

    /**
     * Parses the output.
     *
     * @param output what {@code helm template} printed
     * @return objects and findings
     */
    Parsed parse(String output) {
        List<RenderedObject> objects = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> documentsPerSource = new HashMap<>();
        List<String> chunk = new ArrayList<>();
        String source = null;
        for (String line : (output + "\n---").split("\n", -1)) {
            if (line.startsWith("---") && line.substring(3).isBlank()) {
                if (!chunk.isEmpty()) {
                    int k = documentsPerSource.merge(source == null ? "" : source, 1, Integer::sum) - 1;
                    add(source, k, chunk, objects, findings);
                }
                chunk = new ArrayList<>();
                source = null;
            } else if (source == null && line.startsWith(SOURCE) && chunk.stream().allMatch(String::isBlank)) {
                source = line.substring(SOURCE.length()).strip();
                chunk.clear();
            } else {
                chunk.add(line);
            }
        }
        return new Parsed(objects, findings);
    }

    private void add(String source, int indexInSource, List<String> chunk, List<RenderedObject> objects,
                     List<Finding> findings) {
        if (chunk.stream().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
            return;
        }
        Path file = source == null ? null : HelmMessages.inChart(source, chartName, chartDir);
        String display = file != null ? WorkspacePaths.display(workspace, file)
                : source != null ? source : WorkspacePaths.display(workspace, chartDir) + " (rendered)";
        List<String> template = file == null ? List.of() : template(file);
        int start = documentStart(template, indexInSource);
        YamlFile parsed = yaml.parse(String.join("\n", chunk), display, start + 1);
        if (parsed.error() != null) {
            findings.add(parsed.error());
        }
        TemplateLineLocator locator = new TemplateLineLocator(template, chunk, start, start + 1);
        for (YamlDocument doc : parsed.documents()) {
            if (doc.isKubernetesObject()) {
                objects.add(new RenderedObject(doc, template.isEmpty() ? line -> line : locator));
            }
        }
    }

    private List<String> template(Path file) {
        return templates.computeIfAbsent(file, f -> {
            try {
                return List.of(chartFiles.readString(f).split("\n", -1));
            } catch (WorkspaceFiles.Refused e) {
                return List.of();
            }
        });
    }

    /** The 0-based template line after the k-th document separator (0 for the first document). */
    private static int documentStart(List<String> template, int k) {
        if (k == 0) {
            return 0;
        }
        int seen = 0;
        for (int i = 0; i < template.size(); i++) {
            String l = template.get(i);
            if (l.startsWith("---") && l.substring(3).isBlank() && i > 0) {
                seen++;
                if (seen == k) {
                    return i + 1;
                }
            }
        }
        return 0;
    }
}
