package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * A chart's {@code Chart.yaml}, read without Helm, and the {@code helm.chart-metadata} check: apiVersion v2, a
 * semantic version, an appVersion, and a file that is not itself a template (Helm refuses to load a
 * {@code Chart.yaml} with {@code {{ ... }}} in it).
 *
 * @param name        the chart's name, or null
 * @param version     its version, or null
 * @param appVersion  its appVersion, or null
 * @param kubeVersion its kubeVersion constraint, or null
 * @param findings    the metadata findings
 */
record ChartMetadata(String name, String version, String appVersion, String kubeVersion, List<Finding> findings) {

    /** The check id. */
    static final String CHECK = "helm.chart-metadata";

    /** semver.org's regular expression for a version (no leading "v"). */
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    ChartMetadata {
        findings = List.copyOf(findings);
    }

    /**
     * Reads and checks {@code Chart.yaml}.
     *
     * @param chartDir  the chart folder
     * @param workspace the workspace root
     * @param yaml      the YAML loader
     * @return the metadata and its findings
     */
    static ChartMetadata read(Path chartDir, Path workspace, SafeYaml yaml) {
        Path file = chartDir.resolve("Chart.yaml");
        WorkspaceFiles files = WorkspaceFiles.of(workspace).within(chartDir);
        String display = files.display(file);
        List<Finding> findings = new ArrayList<>();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            findings.add(finding(Severity.ERROR, display, 0, "the chart folder has no Chart.yaml",
                    "A chart needs a Chart.yaml with apiVersion, name and version (`helm create` writes one)."));
            return new ChartMetadata(null, null, null, null, findings);
        }
        String text;
        try {
            text = files.readString(file);
        } catch (WorkspaceFiles.Refused e) {
            findings.add(finding(Severity.ERROR, display, 0, "cannot read Chart.yaml: " + e.getMessage(), null));
            return new ChartMetadata(null, null, null, null, findings);
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("{{") && !lines[i].stripLeading().startsWith("#")) {
                findings.add(finding(Severity.ERROR, display, i + 1, "Chart.yaml is templated ('"
                                + lines[i].strip() + "'): Helm does not render Chart.yaml and refuses to load it",
                        "Write literal values in Chart.yaml; set versions at package time with"
                                + " `helm package --version/--app-version`."));
                break;
            }
        }
        YamlFile parsed = yaml.parse(text, display, 1);
        if (parsed.error() != null) {
            findings.add(parsed.error());
        }
        if (parsed.documents().isEmpty()) {
            if (parsed.error() == null) {
                findings.add(finding(Severity.ERROR, display, 0, "Chart.yaml is empty", null));
            }
            return new ChartMetadata(null, null, null, null, findings);
        }
        YamlDocument doc = parsed.documents().getFirst();
        Map<String, Object> chart = doc.map();
        String name = scalar(chart.get("name"));
        String version = scalar(chart.get("version"));
        String appVersion = scalar(chart.get("appVersion"));
        String apiVersion = scalar(chart.get("apiVersion"));
        if (!"v2".equals(apiVersion)) {
            findings.add(finding(Severity.ERROR, display, doc.lineOf(chart, "apiVersion"),
                    apiVersion == null ? "Chart.yaml has no apiVersion"
                            : "Chart.yaml apiVersion is '" + apiVersion + "', not v2 (Helm 3 charts)",
                    "Set `apiVersion: v2`; move requirements.yaml dependencies into Chart.yaml."));
        }
        if (name == null || name.isBlank()) {
            findings.add(finding(Severity.ERROR, display, doc.lineOf(chart, "name"), "Chart.yaml has no name",
                    "Set `name:` to the chart folder's name."));
        }
        if (version == null || !SEMVER.matcher(version).matches()) {
            findings.add(finding(Severity.ERROR, display, doc.lineOf(chart, "version"),
                    version == null ? "Chart.yaml has no version"
                            : "Chart.yaml version '" + version + "' is not a semantic version (MAJOR.MINOR.PATCH)",
                    "Set `version:` to a SemVer 2 version such as 1.2.3."));
        }
        if (appVersion == null || appVersion.isBlank()) {
            findings.add(finding(Severity.WARNING, display, doc.lineOf(chart, "apiVersion"),
                    "Chart.yaml has no appVersion: nothing records which version of the application ships",
                    "Set `appVersion:` (quoted) to the application's version."));
        }
        return new ChartMetadata(name, version, appVersion, scalar(chart.get("kubeVersion")), findings);
    }

    /** @return name, version, appVersion and kubeVersion for the report */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", version);
        m.put("appVersion", appVersion);
        m.put("kubeVersion", kubeVersion);
        return m;
    }

    private static String scalar(Object o) {
        return o == null || o instanceof Map<?, ?> || o instanceof List<?> ? null : o.toString();
    }

    private static Finding finding(Severity severity, String file, int line, String message, String remediation) {
        return Finding.of(CHECK, severity, null, file, line, message, remediation);
    }
}
