package io.asyncsidecar.controlplane.plugins.helm;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * The last-resort engine: reads a chart's raw templates as YAML without rendering them. Template actions are
 * taken out line for line (so line numbers stay those of the template): an action alone on its line
 * ({@code {{- if }}}, {@code {{- include ... | nindent 4 }}}) becomes an empty line; an action inside a line is
 * replaced by the value it names when it is a plain {@code .Values}, {@code .Release} or {@code .Chart} reference
 * with a simple value, else by {@value #UNKNOWN}. Both branches of an {@code if} survive, so the result is an
 * approximation the checks treat as such (see {@link WorkloadChecks}).
 */
final class TemplateText {

    /** Stands for a value only rendering would know. */
    static final String UNKNOWN = "TEMPLATED";
    /** Check id of a template that cannot be read as YAML even after taking the actions out. */
    static final String UNREADABLE = "helm.template-unreadable";

    private static final Pattern ACTION = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
    /** {@code .Values.a.b}, {@code $.Release.Namespace}, optionally piped through functions that keep the value. */
    private static final Pattern REFERENCE = Pattern.compile(
            "^\\s*\\$?(\\.(?:Values|Release|Chart)(?:\\.[A-Za-z0-9_]+)+)"
            + "\\s*(\\|\\s*(quote|toString|squote|lower|upper|trim)\\s*)*$");
    /** Actions that write YAML of their own: what a textual reading cannot see. */
    private static final Pattern GENERATES =
            Pattern.compile("\\b(include|template|toYaml|toJson|toPrettyJson|tpl)\\b");
    private static final Pattern INDENT = Pattern.compile("\\bn?indent\\s+(\\d+)");
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._/@:+-]+");

    private final SafeYaml yaml;
    private final Path workspace;

    /**
     * A reader.
     *
     * @param yaml      the YAML loader
     * @param workspace the workspace root, for display paths
     */
    TemplateText(SafeYaml yaml, Path workspace) {
        this.yaml = yaml;
        this.workspace = workspace;
    }

    /**
     * Reads every template of a chart.
     *
     * @param chartDir the chart folder
     * @param scope    what {@code .Values}, {@code .Release} and {@code .Chart} resolve to
     * @return the objects read and the templates that could not be read
     */
    RenderedOutput.Parsed read(Path chartDir, Map<String, Object> scope) {
        List<RenderedObject> objects = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Path templates = chartDir.resolve("templates");
        if (!Files.isDirectory(templates, LinkOption.NOFOLLOW_LINKS)) {
            return new RenderedOutput.Parsed(objects, findings);
        }
        WorkspaceFiles chart = WorkspaceFiles.of(workspace).within(chartDir);
        List<Path> files;
        try {
            files = chart.walk(templates, p -> {
                String n = p.getFileName().toString();
                return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        || (!n.startsWith("_") && (n.endsWith(".yaml") || n.endsWith(".yml")));
            }).files();
        } catch (WorkspaceFiles.Refused e) {
            findings.add(Finding.of(UNREADABLE, Severity.ERROR, null, chart.display(templates), 0,
                    "cannot list the chart's templates: " + e.getMessage(), null));
            return new RenderedOutput.Parsed(objects, findings);
        }
        for (Path file : files) {
            String display = chart.display(file);
            String text;
            try {
                text = chart.readString(file);
            } catch (WorkspaceFiles.Refused e) {
                findings.add(Finding.of(UNREADABLE, Severity.WARNING, null, display, 0,
                        "cannot read template: " + e.getMessage(), null));
                continue;
            }
            Stripped stripped = strip(text, scope);
            YamlFile parsed = yaml.parse(stripped.text(), display, 1);
            if (parsed.error() != null) {
                Finding e = parsed.error();
                findings.add(Finding.of(UNREADABLE, Severity.INFO, null, display, e.line(),
                        "template cannot be read as YAML without rendering (" + e.message() + "); objects after"
                                + " this line were not checked",
                        "Render with Helm (a helm binary or the embedded engine) to check this template."));
            }
            for (YamlDocument doc : parsed.documents()) {
                if (doc.isKubernetesObject()) {
                    objects.add(new RenderedObject(doc, line -> line, stripped.generated()));
                }
            }
        }
        return new RenderedOutput.Parsed(objects, findings);
    }

    /**
     * A template with its actions taken out.
     *
     * @param text      YAML text with as many lines as the template
     * @param generated 1-based lines where an action that produces YAML or an unknown value was taken out,
     *                  each with the key the produced content belongs to (see {@link #parentKey})
     */
    record Stripped(String text, NavigableMap<Integer, String> generated) {
    }

    /**
     * Takes the template actions out of a template, keeping its line structure.
     *
     * @param template the template text
     * @param scope    values for plain references
     * @return the YAML text and the lines where generated content was lost
     */
    static Stripped strip(String template, Map<String, Object> scope) {
        StringBuilder out = new StringBuilder(template.length());
        NavigableMap<Integer, String> generated = new TreeMap<>();
        String[] lines = template.split("\n", -1);
        Matcher m = ACTION.matcher(template);
        int pos = 0;
        int line = 1;
        while (m.find()) {
            String before = template.substring(pos, m.start());
            line += (int) before.chars().filter(c -> c == '\n').count();
            out.append(before);
            String action = m.group(1);
            int newlines = (int) action.chars().filter(c -> c == '\n').count();
            if (newlines > 0) {
                out.append("\n".repeat(newlines));
            } else if (aloneOnLine(template, m.start(), m.end())) {
                if (GENERATES.matcher(action).find()) {
                    generated.put(line, parentKey(lines, line, indentation(action, lines[line - 1])));
                }
            } else {
                String value = substitute(action, scope);
                if (value.equals(UNKNOWN)) {
                    generated.put(line, keyOf(lines[line - 1]));
                }
                out.append(value);
            }
            line += newlines;
            pos = m.end();
        }
        out.append(template, pos, template.length());
        return new Stripped(out.toString(), generated);
    }

    /** The column the action's output starts at: its {@code nindent}/{@code indent} argument, else its own. */
    private static int indentation(String action, String line) {
        Matcher n = INDENT.matcher(action);
        if (n.find()) {
            return Integer.parseInt(n.group(1));
        }
        return line.length() - line.stripLeading().length();
    }

    /**
     * The key generated content belongs to: the nearest line above with less indentation, as its key
     * ({@code resources}, {@code securityContext}) or, for a list item, {@code "- "} and its first key.
     */
    static String parentKey(String[] lines, int line, int indentation) {
        for (int i = line - 2; i >= 0; i--) {
            String l = lines[i];
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("{{")) {
                continue;
            }
            int indent = l.length() - l.stripLeading().length();
            if (indent < indentation) {
                return keyOf(l);
            }
        }
        return "";
    }

    private static String keyOf(String line) {
        String t = line.strip();
        boolean item = t.startsWith("- ");
        if (item) {
            t = t.substring(2).strip();
        }
        int colon = t.indexOf(':');
        String key = colon < 0 ? t : t.substring(0, colon);
        return item ? "- " + key : key;
    }

    private static boolean aloneOnLine(String text, int start, int end) {
        int lineStart = text.lastIndexOf('\n', start - 1) + 1;
        int lineEnd = text.indexOf('\n', end);
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        String rest = ACTION.matcher(text.substring(lineStart, lineEnd)).replaceAll("");
        return rest.isBlank();
    }

    private static String substitute(String action, Map<String, Object> scope) {
        Matcher ref = REFERENCE.matcher(action);
        if (ref.matches()) {
            String[] path = ref.group(1).substring(1).split("\\.");
            Object v = ManifestValues.at(scope, path);
            if (v != null && !(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
                String s = v.toString();
                if (SAFE_VALUE.matcher(s).matches()) {
                    return s;
                }
            }
        }
        return UNKNOWN;
    }
}
