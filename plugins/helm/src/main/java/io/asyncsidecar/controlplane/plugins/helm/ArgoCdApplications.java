package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;


/**
 * Finds the Argo CD Application that deploys a chart from this workspace and turns its Helm source into render
 * inputs, the way Argo CD's repo server does: {@code valueFiles} relative to the source path ({@code $ref/...}
 * relative to the workspace), then inline {@code values}, then {@code valuesObject}, then {@code parameters} as
 * {@code --set}; release name {@code helm.releaseName} or the app's name; namespace the destination's.
 *
 * <p>Only the few fields needed here are read (the argocd plugin reads Applications in full); the manifests are
 * read through the kit's {@link WorkspaceFiles} (a manifest or value file linking out of the workspace is not
 * read) and parsed with its SafeYaml.
 */
final class ArgoCdApplications {

    private final Path workspace;
    private final WorkspaceFiles files;
    private final String manifest;
    private final SafeYaml yaml;

    /**
     * A reader.
     *
     * @param workspace the workspace root
     * @param manifest  the Argo CD manifest file or folder, relative to the workspace
     * @param yaml      the YAML loader
     */
    ArgoCdApplications(Path workspace, String manifest, SafeYaml yaml) {
        this.workspace = workspace;
        this.files = WorkspaceFiles.of(workspace);
        this.manifest = manifest;
        this.yaml = yaml;
    }

    /**
     * An Application's Helm source, ready to render.
     *
     * @param name        the Application's name
     * @param file        the manifest file it is in, relative to the workspace
     * @param chartDir    the source path in the workspace
     * @param releaseName the release name
     * @param namespace   the destination namespace, or null
     * @param valueFiles  value files to layer over the chart's values, in Argo CD's order (inline values written
     *                    to temporary files, which {@link #close} removes)
     * @param parameters  {@code --set} parameters
     * @param findings    problems with the Application's values (missing or unparsable files)
     * @param temporary   temporary files to delete after rendering
     */
    record HelmSource(String name, String file, Path chartDir, String releaseName, String namespace,
                      List<Path> valueFiles, Map<String, String> parameters, List<Finding> findings,
                      List<Path> temporary) implements AutoCloseable {

        /** @return what the report says about the app */
        Map<String, Object> toJson(Path workspace) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("manifest", file);
            m.put("path", WorkspacePaths.display(workspace, chartDir));
            m.put("release", releaseName);
            m.put("namespace", namespace);
            m.put("value_files", valueFiles.stream().filter(p -> !temporary.contains(p))
                    .map(p -> WorkspacePaths.display(workspace, p)).toList());
            m.put("inline_values", temporary.size());
            m.put("parameters", parameters.keySet());
            return m;
        }

        @Override
        public void close() {
            for (Path p : temporary) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file in the plugin's data directory is harmless
                }
            }
        }
    }

    /**
     * Looks an Application up.
     *
     * @param app    the Application's name
     * @param tmpDir where inline values are written
     * @return its Helm source
     * @throws ProblemException 404 when there is no manifest or no such Application, 400 when it deploys no
     *                          folder of this workspace
     */
    HelmSource find(String app, Path tmpDir) {
        Path location = WorkspacePaths.resolve(workspace, "plugins.helm.argocd-manifest", manifest);
        TreeSet<String> known = new TreeSet<>();
        for (Path file : manifests(location)) {
            YamlFile parsed = yaml.load(files, file);
            for (YamlDocument doc : parsed.documents()) {
                Map<String, Object> m = doc.map();
                if (!"Application".equals(m.get("kind"))
                        || !String.valueOf(m.get("apiVersion")).startsWith("argoproj.io/")) {
                    continue;
                }
                String name = ManifestValues.string(m, "metadata", "name");
                if (app.equals(name)) {
                    return source(doc, tmpDir);
                }
                if (name != null) {
                    known.add(name);
                }
            }
        }
        throw ProblemException.notFound("'app': no Argo CD Application named '" + app + "' in "
                + WorkspacePaths.display(workspace, location) + (known.isEmpty() ? " (it defines none)"
                : " (it defines: " + String.join(", ", known) + ")")).with("parameter", "app");
    }

    private List<Path> manifests(Path location) {
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        if (Files.isDirectory(location)) {
            try {
                // Entries linking out of the workspace are left out: an Application is looked up, not reported.
                return files.walk(location, p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).files();
            } catch (WorkspaceFiles.Refused e) {
                throw ProblemException.notFound("'app': cannot read the Argo CD manifests in "
                        + WorkspacePaths.display(workspace, location) + ": " + e.getMessage());
            }
        }
        throw ProblemException.notFound("'app': there is no Argo CD manifest at "
                + WorkspacePaths.display(workspace, location) + " (plugins.helm.argocd-manifest)")
                .with("parameter", "app");
    }

    private HelmSource source(YamlDocument doc, Path tmpDir) {
        Map<String, Object> app = doc.map();
        String name = ManifestValues.string(app, "metadata", "name");
        Map<String, Object> source = ManifestValues.map(app, "spec", "source");
        if (source.isEmpty() || !source.containsKey("path")) {
            for (Object s : ManifestValues.list(app, "spec", "sources")) {
                if (ManifestValues.string(s, "path") != null) {
                    source = ManifestValues.map(s);
                    break;
                }
            }
        }
        String path = ManifestValues.string(source, "path");
        if (path == null) {
            String chart = ManifestValues.string(source, "chart");
            throw ProblemException.badRequest("'app': Application '" + name + "' deploys "
                    + (chart != null
                    ? "chart '" + chart + "' from repository " + ManifestValues.string(source, "repoURL")
                    : "no source path") + ", not a chart folder of this workspace").with("parameter", "app");
        }
        Path chartDir = WorkspacePaths.resolve(workspace, "app", path);
        Map<String, Object> helm = ManifestValues.map(source, "helm");
        List<Finding> findings = new ArrayList<>();
        List<Path> valueFiles = new ArrayList<>();
        List<Path> temporary = new ArrayList<>();
        boolean ignoreMissing = Boolean.TRUE.equals(helm.get("ignoreMissingValueFiles"));
        for (Object v : ManifestValues.list(helm, "valueFiles")) {
            valueFile(String.valueOf(v), chartDir, ignoreMissing, doc, helm, findings, valueFiles);
        }
        Object inline = helm.get("values");
        if (inline instanceof String text && !text.isBlank()) {
            // Parsed here so that a mistake points at its line in the Argo CD manifest.
            YamlFile parsed = yaml.parse(text, doc.file(), doc.lineOf(helm, "values") + 1);
            if (parsed.error() != null) {
                findings.add(Finding.of(HelmRules.ARGOCD_VALUES, Severity.ERROR, doc.ref(), doc.file(),
                        parsed.error().line(), "helm.values of Application '" + name + "' is not valid YAML: "
                                + parsed.error().message(), "Fix the inline values; they are YAML in a string."));
            } else {
                temporary.add(write(tmpDir, text));
            }
        } else if (inline instanceof Map<?, ?> map) {
            temporary.add(write(tmpDir, JsonCodec.write(ManifestValues.map(map))));
        }
        if (helm.get("valuesObject") instanceof Map<?, ?> object) {
            temporary.add(write(tmpDir, JsonCodec.write(ManifestValues.map(object))));
        }
        valueFiles.addAll(temporary);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Object p : ManifestValues.list(helm, "parameters")) {
            String key = ManifestValues.string(p, "name");
            if (key != null) {
                parameters.put(key, String.valueOf(ManifestValues.string(p, "value")));
            }
        }
        String release = ManifestValues.string(helm, "releaseName");
        return new HelmSource(name, doc.file(), chartDir, release == null || release.isBlank() ? name : release,
                ManifestValues.string(app, "spec", "destination", "namespace"), valueFiles, parameters, findings,
                temporary);
    }

    private void valueFile(String v, Path chartDir, boolean ignoreMissing, YamlDocument doc,
                           Map<String, Object> helm, List<Finding> findings, List<Path> valueFiles) {
        int line = doc.lineOf(helm, "valueFiles");
        if (v.startsWith("http://") || v.startsWith("https://")) {
            findings.add(Finding.of(HelmRules.ARGOCD_VALUES, Severity.INFO, doc.ref(), doc.file(), line,
                    "value file " + v + " is remote and was not fetched; the render omits it", null));
            return;
        }
        // "$values/path" names a file of another source of a multi-source app: here, the workspace itself.
        Path file = v.startsWith("$") && v.indexOf('/') > 0
                ? workspace.resolve(v.substring(v.indexOf('/') + 1)).normalize()
                : chartDir.resolve(v).normalize();
        if (!file.startsWith(workspace)) {
            findings.add(Finding.of(HelmRules.ARGOCD_VALUES, Severity.ERROR, doc.ref(), doc.file(), line,
                    "value file '" + v + "' lies outside the workspace and was not read", null));
            return;
        }
        try {
            files.realPath(file);
        } catch (WorkspaceFiles.Refused r) {
            if (r.reason() != WorkspaceFiles.Reason.MISSING) {
                // Helm would read the link's target: the file is not passed on.
                findings.add(Finding.of(HelmRules.ARGOCD_VALUES, Severity.ERROR, doc.ref(), doc.file(), line,
                        "value file '" + v + "': " + r.getMessage(), "Replace the link with the file itself."));
                return;
            }
        }
        if (!Files.isRegularFile(file)) {
            if (!ignoreMissing) {
                findings.add(Finding.of(HelmRules.ARGOCD_VALUES, Severity.ERROR, doc.ref(), doc.file(), line,
                        "value file '" + v + "' does not exist (" + WorkspacePaths.display(workspace, file)
                                + "): Argo CD fails to sync this app",
                        "Add the file, fix the path (relative to the source path), or set"
                                + " helm.ignoreMissingValueFiles: true."));
            }
            return;
        }
        valueFiles.add(file);
    }

    private static Path write(Path tmpDir, String text) {
        try {
            Files.createDirectories(tmpDir);
            Path f = Files.createTempFile(tmpDir, "argocd-values-", ".yaml");
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write inline values to " + tmpDir + ": " + e.getMessage(), e);
        }
    }
}
