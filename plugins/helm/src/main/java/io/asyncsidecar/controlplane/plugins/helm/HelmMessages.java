package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Helm's error messages: strips the CLI's decoration and finds the file and line they name, so a render
 * failure points at a template line rather than at the chart as a whole.
 */
final class HelmMessages {

    /** {@code template: hg/templates/x.yaml:6:8: ...} and {@code execution error at (hg/templates/x.yaml:3:6)}. */
    private static final Pattern TEMPLATE_POSITION =
            Pattern.compile("([A-Za-z0-9_.\\-]+(?:/[A-Za-z0-9_.\\-]+)+\\.(?:ya?ml|tpl|txt|json)):(\\d+)(?::\\d+)?");
    /** {@code YAML parse error on hg/templates/x.yaml: error converting YAML to JSON: yaml: line 12: ...}. */
    private static final Pattern YAML_PARSE =
            Pattern.compile("YAML parse error on ([^:\\s]+):.*?line (\\d+)", Pattern.DOTALL);
    /** {@code failed to parse /abs/values.yaml: error converting YAML to JSON: yaml: line 3: ...}. */
    private static final Pattern VALUES_PARSE =
            Pattern.compile("failed to parse (\\S+?): .*?line (\\d+)", Pattern.DOTALL);

    private HelmMessages() {
    }

    /**
     * Helm's message without the CLI's {@code Error:} prefix and {@code --debug} hint.
     *
     * @param message stderr of helm or the message of helm-java's exception
     * @return the message, trimmed
     */
    static String clean(String message) {
        String m = message == null ? "" : message.strip();
        if (m.startsWith("Error: ")) {
            m = m.substring("Error: ".length());
        }
        m = m.replace("Use --debug flag to render out invalid YAML", "").strip();
        return m.isEmpty() ? "helm failed without a message" : m;
    }

    /**
     * A message with the server's absolute paths taken out: a path below one of the roots is shown relative to
     * it, so an answer never carries the server's layout.
     *
     * @param message Helm's message
     * @param roots   the folders whose paths Helm may print (the workspace, the scratch folder)
     * @return the message with those prefixes removed
     */
    static String relativize(String message, Path... roots) {
        String m = message;
        for (Path root : roots) {
            Path abs = root.toAbsolutePath().normalize();
            m = m.replace(abs + "/", "");
            try {
                m = m.replace(abs.toRealPath() + "/", "");
            } catch (IOException e) {
                // a root that does not exist appears in no message
            }
        }
        return m;
    }

    /**
     * Where a failure happened.
     *
     * @param file the file (absolute), or null when the message names none
     * @param line 1-based line, or 0 when unknown
     */
    record Position(Path file, int line) {
    }

    /**
     * Finds the file and line a Helm message names. Template paths in Helm's messages start with the chart's
     * name ({@code hypergraph/templates/x.yaml}); they are mapped into the chart folder. Chart.yaml problems
     * (a templated Chart.yaml, missing dependencies, an incompatible kubeVersion) point at the line that causes
     * them.
     *
     * @param message   Helm's message (cleaned)
     * @param chartName the chart's name from Chart.yaml (may be null)
     * @param chartDir  the chart folder
     * @return the position; its file is null when nothing could be located
     */
    static Position locate(String message, String chartName, Path chartDir) {
        Matcher yaml = YAML_PARSE.matcher(message);
        if (yaml.find()) {
            Path f = inChart(yaml.group(1), chartName, chartDir);
            if (f != null) {
                return new Position(f, Integer.parseInt(yaml.group(2)));
            }
        }
        Matcher values = VALUES_PARSE.matcher(message);
        if (values.find()) {
            return new Position(Path.of(values.group(1)), Integer.parseInt(values.group(2)));
        }
        Matcher m = TEMPLATE_POSITION.matcher(message);
        while (m.find()) {
            Path f = inChart(m.group(1), chartName, chartDir);
            if (f != null) {
                return new Position(f, Integer.parseInt(m.group(2)));
            }
        }
        Path chartYaml = chartDir.resolve("Chart.yaml");
        if (message.contains("Chart.yaml") || message.contains("Chart.lock")) {
            if (message.contains("missing in charts/") || message.contains("dependencies")) {
                return new Position(chartYaml, lineOf(chartYaml, "dependencies:"));
            }
            return new Position(chartYaml, lineOf(chartYaml, "{{"));
        }
        if (message.contains("kubeVersion")) {
            return new Position(chartYaml, lineOf(chartYaml, "kubeVersion"));
        }
        return new Position(null, 0);
    }

    /**
     * Maps {@code <chartName>/templates/x.yaml} (or {@code <chartName>/charts/sub/templates/x.yaml}) to a file in
     * the chart folder.
     *
     * @param helmPath  the path as Helm prints it
     * @param chartName the chart's name, or null to drop the first segment whatever it is
     * @param chartDir  the chart folder
     * @return the file, or null when the path does not belong to this chart
     */
    static Path inChart(String helmPath, String chartName, Path chartDir) {
        int slash = helmPath.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String first = helmPath.substring(0, slash);
        if (chartName != null && !chartName.equals(first)) {
            return null;
        }
        Path p = chartDir.resolve(helmPath.substring(slash + 1)).normalize();
        return p.startsWith(chartDir) ? p : null;
    }

    /**
     * The first line of a file that contains a text.
     *
     * @param file   the file
     * @param needle what to look for
     * @return the 1-based line, or 0 when absent or unreadable
     */
    static int lineOf(Path file, String needle) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(needle)) {
                    return i + 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
