package io.asyncsidecar.controlplane.checks.support;

import io.asyncsidecar.controlplane.spi.checks.CheckResponses;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.RenderedChart;
import io.asyncsidecar.controlplane.spi.checks.RenderedManifests;
import io.asyncsidecar.controlplane.spi.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.spi.WorkspacePaths;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads a Helm chart's templates without Helm: the degraded fallback of plugins that want the chart's objects
 * when no {@link RenderedManifests} publisher is present (engine {@value #ENGINE}, always degraded).
 *
 * <p>Why not a template engine: Go templates with Sprig cannot be run faithfully outside Helm, and the point of
 * this reader is to give checks <em>something</em> when Helm is not there. It approximates the common chart
 * idioms and leaves the rest visibly unresolved:
 * <ul>
 *   <li>{@code .Values.x.y}, {@code $.Values...}, {@code .Release.Name|Namespace}, {@code .Chart.Name|Version|AppVersion}
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
 * {@code yaml.parse} finding and the others are still read. Inactive branches keep their line breaks, so the
 * lines of a template without multi-line values match the source.
 */
public final class RawChartTemplates {

    /** The engine name reported for charts read this way. */
    public static final String ENGINE = "text";

    private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)(.*?)(-?)}}", Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile("(\\$[A-Za-z0-9_]+)\\s*:?=\\s*(.+)", Pattern.DOTALL);
    private static final Pattern FIELD_OF_GROUP = Pattern.compile("(\\(.*\\))((?:\\.[A-Za-z0-9_]+)+)");
    private static final String TOKEN_PREFIX = "tpl-";
    private static final long MAX_TEMPLATE_BYTES = 8L * 1024 * 1024;
    private static final Pattern DOC_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");
    private static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "<unknown>";
        }
    };

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
        Map<String, Object> values = new LinkedHashMap<>(readValues(dir.resolve("values.yaml"),
                shown + "/values.yaml", findings));
        deepMerge(values, overrides);
        Map<String, Object> chart = new LinkedHashMap<>();
        YamlFile chartFile = yaml.load(dir.resolve("Chart.yaml"), shown + "/Chart.yaml");
        if (chartFile.ok() && !chartFile.documents().isEmpty()) {
            chartFile.documents().getFirst().map().forEach((k, v) -> chart.put(capitalise(k), v));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("Values", values);
        root.put("Chart", chart);
        root.put("Release", Map.of("Name", "release-name", "Namespace", "default", "Service", "Helm",
                "IsInstall", true, "IsUpgrade", false, "Revision", 1L));
        List<Path> files = templates(dir.resolve("templates"));
        Map<String, String> texts = new LinkedHashMap<>();
        for (Path template : files) {
            String file = WorkspacePaths.display(workspace, template);
            try {
                if (Files.size(template) > MAX_TEMPLATE_BYTES) {
                    findings.add(Finding.of(SafeYaml.LIMIT, Severity.ERROR, null, file, 0, "template is over the limit"
                            + " of " + MAX_TEMPLATE_BYTES + " bytes; not read", "Split the template."));
                    continue;
                }
                texts.put(file, Files.readString(template, StandardCharsets.UTF_8));
            } catch (IOException e) {
                findings.add(Finding.of(SafeYaml.PARSE_ERROR, Severity.ERROR, null, file, 0,
                        "cannot read template: " + e.getMessage(), null));
            }
        }
        // Named templates are global in Helm: collect every file's defines before rendering any file.
        Map<String, String> defines = new java.util.HashMap<>();
        texts.forEach((file, text) -> {
            if (text.contains("define")) {
                new Renderer(root, defines, false, 0).render(text);
            }
        });
        List<YamlDocument> objects = new ArrayList<>();
        texts.forEach((file, text) -> {
            if (isYamlName(file)) {
                String rendered = new Renderer(root, defines, false, 0).render(text);
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
        return new Renderer(root, new java.util.HashMap<>(), false, 0).render(template);
    }

    private Map<String, Object> readValues(Path file, String shown, List<Finding> findings) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        YamlFile values = yaml.load(file, shown);
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
            line += countLines(text, start, m.end());
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

    private static int countLines(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static List<Path> templates(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> WorkspaceManifests.isYaml(p) || p.getFileName().toString().endsWith(".tpl"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
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

    /**
     * One pass over one template: a stack of branch frames and the text they let through. File renders keep
     * line breaks (trim markers ignored) so lines stay close to the source; {@code include} renders honour
     * {@code {{-} and {@code -}}} so the returned text is what Helm would return.
     */
    private static final class Renderer {
        private static final int MAX_INCLUDE_DEPTH = 20;
        /** Includes one file may expand, nested ones counted: a template including itself twice stops here. */
        private static final int MAX_INCLUDES = 10_000;
        private final Object root;
        private final Map<String, String> defines;
        private final int[] includeBudget;
        private final boolean honourTrim;
        private final int depth;
        private final Deque<Frame> frames = new ArrayDeque<>();
        private final Map<String, Object> variables = new java.util.HashMap<>();
        private String text;
        private int actionStart;
        private int actionEnd;
        private boolean actionTrimsLeft;
        private boolean actionTrimsRight;

        Renderer(Object root, Map<String, String> defines, boolean honourTrim, int depth) {
            this(root, defines, honourTrim, depth, new int[] {MAX_INCLUDES});
        }

        private Renderer(Object root, Map<String, String> defines, boolean honourTrim, int depth, int[] includeBudget) {
            this.root = root;
            this.defines = defines;
            this.honourTrim = honourTrim;
            this.depth = depth;
            this.includeBudget = includeBudget;
        }

        String render(String source) {
            this.text = source;
            StringBuilder out = new StringBuilder(source.length());
            Matcher m = ACTION.matcher(source);
            // no "{{" after the last "}}" can match: keep the lazy scan from running to the end for each of them
            int lastClose = source.lastIndexOf("}}");
            m.region(0, lastClose < 0 ? 0 : lastClose + 2);
            int pos = 0;
            boolean trimNext = false;
            while (m.find()) {
                String before = source.substring(pos, m.start());
                if (honourTrim) {
                    if (trimNext) {
                        before = before.stripLeading();
                    }
                    if (!m.group(1).isEmpty()) {
                        before = before.stripTrailing();
                    }
                }
                appendText(out, before);
                String body = m.group(2).trim();
                actionStart = m.start();
                actionEnd = m.end();
                actionTrimsLeft = !m.group(1).isEmpty();
                actionTrimsRight = !m.group(3).isEmpty();
                boolean standalone = !honourTrim && standalone(source, m.start(), m.end());
                action(out, body, standalone, column(source, m.start()));
                if (!honourTrim) {
                    // keep the line breaks of a multi-line action so later lines keep their numbers
                    out.append("\n".repeat(countLines(source, m.start(), m.end())));
                }
                trimNext = !m.group(3).isEmpty();
                pos = m.end();
            }
            String tail = source.substring(pos);
            appendText(out, honourTrim && trimNext ? tail.stripLeading() : tail);
            return out.toString();
        }

        private void appendText(StringBuilder out, String segment) {
            if (active()) {
                out.append(segment);
            } else {
                out.append("\n".repeat(countLines(segment, 0, segment.length())));
            }
        }

        private boolean active() {
            for (Frame f : frames) {
                if (!f.active) {
                    return false;
                }
            }
            return true;
        }

        private Object dot() {
            for (Frame f : frames) {
                if (f.dot != null) {
                    return f.dot;
                }
            }
            return root;
        }

        private void action(StringBuilder out, String body, boolean standalone, int column) {
            if (body.startsWith("/*") || body.isEmpty()) {
                return;
            }
            String keyword = firstWord(body);
            String rest = body.substring(keyword.length()).trim();
            switch (keyword) {
                case "if" -> {
                    boolean cond = truthy(evalPipeline(rest));
                    frames.push(new Frame(cond, cond, null));
                }
                case "with" -> {
                    Object v = evalPipeline(rest);
                    boolean cond = truthy(v);
                    frames.push(new Frame(cond, cond, v == UNKNOWN ? UNKNOWN : v));
                }
                case "range" -> {
                    String expr = rest.contains(":=") ? rest.substring(rest.indexOf(":=") + 2).trim() : rest;
                    Object v = evalPipeline(expr);
                    Object first = UNKNOWN;
                    if (v instanceof List<?> l && !l.isEmpty()) {
                        first = l.getFirst();
                    } else if (v instanceof Map<?, ?> mm && !mm.isEmpty()) {
                        first = mm.values().iterator().next();
                    }
                    if (rest.contains(":=")) {
                        String[] names = rest.substring(0, rest.indexOf(":=")).split(",");
                        variables.put(names[names.length - 1].trim(), first);
                    }
                    frames.push(new Frame(truthy(v), truthy(v), first));
                }
                case "define", "block" -> {
                    Frame f = new Frame(false, true, null);
                    f.defineName = stringLiteral(rest);
                    f.bodyStart = actionEnd;
                    f.trimBodyStart = actionTrimsRight;
                    frames.push(f);
                }
                case "else" -> {
                    Frame top = frames.peek();
                    if (top == null) {
                        return;
                    }
                    if (top.taken) {
                        top.active = false;
                    } else {
                        String cond = rest.startsWith("if ") ? rest.substring(3) : rest.startsWith("with ")
                                ? rest.substring(5) : null;
                        boolean ok = cond == null || truthy(evalPipeline(cond));
                        top.active = ok;
                        top.taken = ok;
                    }
                }
                case "end" -> {
                    if (!frames.isEmpty()) {
                        Frame f = frames.pop();
                        if (f.defineName != null) {
                            String defined = text.substring(f.bodyStart, actionStart);
                            defined = f.trimBodyStart ? defined.stripLeading() : defined;
                            defines.putIfAbsent(f.defineName, actionTrimsLeft ? defined.stripTrailing() : defined);
                        }
                    }
                }
                default -> {
                    if (!active()) {
                        return;
                    }
                    Matcher assignment = ASSIGNMENT.matcher(body);
                    if (assignment.matches()) {
                        variables.put(assignment.group(1), evalPipeline(assignment.group(2)));
                        return;
                    }
                    emit(out, body, standalone, column);
                }
            }
        }

        private void emit(StringBuilder out, String body, boolean standalone, int column) {
            Pipeline p = pipeline(body);
            Object v = p.value;
            if (v == UNKNOWN) {
                if (!standalone) {
                    out.append(token(body));
                }
                return;
            }
            if (honourTrim) {
                String t = v instanceof Map<?, ?> || v instanceof List<?> ? dump(v).stripTrailing()
                        : v == null ? "" : v.toString();
                if (p.indent >= 0) {
                    String pad = " ".repeat(p.indent);
                    t = String.join("\n", t.lines().map(l -> pad + l).toList());
                }
                out.append(p.newline ? "\n" + t : t);
                return;
            }
            boolean block = v instanceof Map<?, ?> || v instanceof List<?>
                    || v instanceof String s && s.contains("\n");
            if (standalone && (block || p.indent >= 0 && v != null)) {
                trimLineStart(out);
                // nindent starts a new line at N; indent N adds N to what precedes it on the line, unless {{- trimmed
                // that away (the text then continues the previous line, which in practice ends the parent key)
                int indent = p.indent < 0 ? column : p.newline || actionTrimsLeft ? p.indent : column + p.indent;
                String text = v instanceof String s ? s : dump(v);
                String pad = " ".repeat(indent);
                String joined = String.join("\n", text.strip().lines().map(l -> pad + l).toList());
                out.append(joined);
                return;
            }
            out.append(inline(v));
        }

        private static void trimLineStart(StringBuilder out) {
            int i = out.length();
            while (i > 0 && (out.charAt(i - 1) == ' ' || out.charAt(i - 1) == '\t')) {
                i--;
            }
            out.setLength(i);
        }

        private static String inline(Object v) {
            if (v == null) {
                return "";
            }
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                return CheckResponses.toJsonText(v);
            }
            String s = v.toString();
            return s.contains("\n") ? CheckResponses.toJsonText(s) : s;
        }

        private static String dump(Object v) {
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setIndent(2);
            options.setWidth(Integer.MAX_VALUE);
            return new Yaml(options).dump(v);
        }

        private static String token(String body) {
            String t = body.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
            return TOKEN_PREFIX + (t.length() > 60 ? t.substring(0, 60) : t);
        }

        /** The value of a pipeline and the indent asked by a trailing {@code nindent}/{@code indent}. */
        private record Pipeline(Object value, int indent, boolean newline) {
        }

        private Object evalPipeline(String text) {
            return pipeline(text).value;
        }

        private Pipeline pipeline(String text) {
            List<String> commands = split(text, '|');
            Object value = null;
            boolean first = true;
            int indent = -1;
            boolean newline = false;
            for (String c : commands) {
                List<String> words = words(c.trim());
                if (words.isEmpty()) {
                    return new Pipeline(UNKNOWN, -1, false);
                }
                String fn = words.getFirst();
                if (!first && (fn.equals("nindent") || fn.equals("indent")) && words.size() == 2) {
                    newline = fn.equals("nindent");
                    try {
                        indent = Integer.parseInt(words.get(1));
                    } catch (NumberFormatException e) {
                        indent = -1;
                    }
                    continue;
                }
                List<Object> args = new ArrayList<>();
                for (String w : words.subList(1, words.size())) {
                    args.add(term(w));
                }
                if (!first) {
                    args.add(value);
                }
                value = words.size() == 1 && first ? term(fn) : call(fn, args);
                first = false;
            }
            return new Pipeline(value, indent, newline);
        }

        private Object call(String fn, List<Object> args) {
            Object last = args.isEmpty() ? null : args.getLast();
            return switch (fn) {
                case "default" -> args.size() < 2 ? UNKNOWN : last == UNKNOWN ? UNKNOWN
                        : truthy(last) ? last : args.getFirst();
                // Sprig's quote is Go's %q: inner quotes and control characters escaped, as JSON does
                case "quote" -> last == UNKNOWN ? UNKNOWN : CheckResponses.toJsonText(last == null ? "" : last.toString());
                case "squote" -> last == UNKNOWN ? UNKNOWN : "'" + (last == null ? "" : last) + "'";
                case "toYaml", "toString", "int", "int64", "float64", "required", "toJson" -> last;
                case "lower" -> last instanceof String s ? s.toLowerCase(Locale.ROOT) : UNKNOWN;
                case "upper" -> last instanceof String s ? s.toUpperCase(Locale.ROOT) : UNKNOWN;
                case "trunc" -> last instanceof String s && args.getFirst() instanceof Long n
                        ? s.substring(0, (int) Math.min(s.length(), Math.max(0, n))) : last;
                case "trimSuffix" -> last instanceof String s && args.getFirst() instanceof String suffix
                        && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : last;
                case "not" -> last == UNKNOWN ? UNKNOWN : !truthy(last);
                // a known false decides "and", a known true decides "or", whatever the unknown operands are
                case "and" -> args.stream().anyMatch(a -> a != UNKNOWN && !truthy(a)) ? Boolean.FALSE
                        : args.contains(UNKNOWN) ? UNKNOWN : Boolean.TRUE;
                case "or" -> args.stream().anyMatch(a -> a != UNKNOWN && truthy(a)) ? Boolean.TRUE
                        : args.contains(UNKNOWN) ? UNKNOWN : Boolean.FALSE;
                case "tpl" -> args.isEmpty() ? UNKNOWN : args.getFirst();
                case "include", "template" -> include(args);
                case "dict" -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < args.size(); i += 2) {
                        d.put(String.valueOf(args.get(i)), args.get(i + 1));
                    }
                    yield d;
                }
                case "list" -> new ArrayList<>(args);
                case "printf" -> printf(args);
                case "replace" -> args.size() == 3 && args.get(2) instanceof String s && args.get(0) instanceof String a
                        && args.get(1) instanceof String b ? s.replace(a, b) : UNKNOWN;
                case "eq" -> args.size() < 2 || args.contains(UNKNOWN) ? UNKNOWN
                        : args.subList(1, args.size()).stream().anyMatch(a -> same(args.getFirst(), a));
                case "ne" -> args.size() != 2 || args.contains(UNKNOWN) ? UNKNOWN : !same(args.get(0), args.get(1));
                case "empty" -> last == UNKNOWN ? UNKNOWN : !truthy(last);
                default -> UNKNOWN;
            };
        }

        private Object include(List<Object> args) {
            if (args.isEmpty() || !(args.getFirst() instanceof String name) || depth >= MAX_INCLUDE_DEPTH
                    || includeBudget[0] <= 0) {
                return UNKNOWN;
            }
            includeBudget[0]--;
            String body = defines.get(name);
            if (body == null) {
                return UNKNOWN;
            }
            Object context = args.size() > 1 ? args.get(1) : null;
            if (context == UNKNOWN) {
                return UNKNOWN;
            }
            String out = new Renderer(context, defines, true, depth + 1, includeBudget).render(body);
            return out.contains(TOKEN_PREFIX) ? UNKNOWN : out;
        }

        private static Object printf(List<Object> args) {
            if (args.isEmpty() || !(args.getFirst() instanceof String format) || args.contains(UNKNOWN)) {
                return UNKNOWN;
            }
            try {
                return String.format(Locale.ROOT, format.replace("%v", "%s").replace("%q", "\"%s\""),
                        args.subList(1, args.size()).toArray());
            } catch (java.util.IllegalFormatException e) {
                return UNKNOWN;
            }
        }

        private static String stringLiteral(String text) {
            String t = text.trim();
            if (t.startsWith("\"")) {
                int close = t.indexOf('"', 1);
                return close > 0 ? t.substring(1, close) : t.substring(1);
            }
            return t;
        }

        private static boolean same(Object a, Object b) {
            return String.valueOf(a).equals(String.valueOf(b));
        }

        private Object term(String w) {
            Matcher field = FIELD_OF_GROUP.matcher(w);
            if (field.matches()) {
                Object group = term(field.group(1));
                return group == UNKNOWN ? UNKNOWN : path(group, field.group(2).substring(1));
            }
            if (w.startsWith("$") && w.length() > 1 && !w.startsWith("$.")) {
                int dotAt = w.indexOf('.');
                String name = dotAt < 0 ? w : w.substring(0, dotAt);
                Object v = variables.getOrDefault(name, UNKNOWN);
                return dotAt < 0 || v == UNKNOWN ? v : path(v, w.substring(dotAt + 1));
            }
            if (w.startsWith("(") && w.endsWith(")")) {
                return evalPipeline(w.substring(1, w.length() - 1));
            }
            if (w.startsWith("\"") && w.endsWith("\"") && w.length() >= 2) {
                return w.substring(1, w.length() - 1).replace("\\\"", "\"").replace("\\n", "\n");
            }
            if (w.startsWith("`") && w.endsWith("`") && w.length() >= 2) {
                return w.substring(1, w.length() - 1);
            }
            if (w.equals("true") || w.equals("false")) {
                return Boolean.parseBoolean(w);
            }
            if (w.equals("nil")) {
                return null;
            }
            if (w.matches("-?[0-9]+")) {
                try {
                    return Long.parseLong(w);
                } catch (NumberFormatException e) {
                    return UNKNOWN;
                }
            }
            if (w.equals(".")) {
                return dot();
            }
            if (w.equals("$")) {
                return root;
            }
            if (w.startsWith("$.")) {
                return path(root, w.substring(2));
            }
            if (w.startsWith(".")) {
                return path(dot(), w.substring(1));
            }
            return UNKNOWN;
        }

        private static Object path(Object start, String dotted) {
            Object cur = start;
            for (String part : dotted.split("\\.")) {
                if (cur == UNKNOWN || part.isEmpty()) {
                    return UNKNOWN;
                }
                if (!(cur instanceof Map<?, ?> m)) {
                    return cur == null ? null : UNKNOWN;
                }
                if (!m.containsKey(part)) {
                    // Capabilities, Files, Template, Subcharts: not modelled
                    return m == start && !(part.equals("Values") || part.equals("Release") || part.equals("Chart"))
                            && Character.isUpperCase(part.charAt(0)) ? UNKNOWN : null;
                }
                cur = m.get(part);
            }
            return cur;
        }

        private static String firstWord(String body) {
            int i = 0;
            while (i < body.length() && !Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            return body.substring(0, i);
        }

        private static boolean standalone(String text, int start, int end) {
            int lineStart = text.lastIndexOf('\n', start - 1) + 1;
            int lineEnd = text.indexOf('\n', end);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            return text.substring(lineStart, start).isBlank() && text.substring(end, lineEnd).isBlank();
        }

        private static int column(String text, int start) {
            return start - (text.lastIndexOf('\n', start - 1) + 1);
        }

        /** Splits on a separator outside quotes and parentheses. */
        private static List<String> split(String text, char sep) {
            List<String> parts = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            int depth = 0;
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    cur.append(c);
                    if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                        cur.append(text.charAt(++i));
                    } else if (c == quote) {
                        quote = 0;
                    }
                    continue;
                }
                if (c == '"' || c == '`') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == sep && depth == 0) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                    continue;
                }
                cur.append(c);
            }
            parts.add(cur.toString());
            return parts;
        }

        private static List<String> words(String command) {
            List<String> words = new ArrayList<>();
            for (String w : split(command.replace('\t', ' '), ' ')) {
                if (!w.isBlank()) {
                    words.add(w.trim());
                }
            }
            return words;
        }
    }

    private static boolean truthy(Object v) {
        if (v == UNKNOWN) {
            return true;
        }
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Number n -> n.doubleValue() != 0;
            case Map<?, ?> m -> !m.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            default -> true;
        };
    }

    /** One open {@code if}/{@code with}/{@code range}/{@code define}: whether its text is emitted, and its dot. */
    private static final class Frame {
        private boolean active;
        private boolean taken;
        private final Object dot;
        private String defineName;
        private int bodyStart;
        private boolean trimBodyStart;

        Frame(boolean active, boolean taken, Object dot) {
            this.active = active;
            this.taken = taken;
            this.dot = dot;
        }
    }
}
