package io.asyncsidecar.controlplane.kit.checks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * One pass of {@link RawChartTemplates} over one template: a stack of branch frames and the text they let
 * through. File renders keep line breaks (trim markers ignored) so lines stay close to the source;
 * {@code include} renders honour {@code {{-} and {@code -}}} so the returned text is what Helm would return.
 * What it cannot evaluate is {@link #UNKNOWN}, which becomes a {@value #TOKEN_PREFIX} token in the output.
 */
final class RawTemplateRenderer {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(-?)(.*?)(-?)}}", Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile("(\\$[A-Za-z0-9_]+)\\s*:?=\\s*(.+)", Pattern.DOTALL);
    private static final Pattern FIELD_OF_GROUP = Pattern.compile("(\\(.*\\))((?:\\.[A-Za-z0-9_]+)+)");
    private static final String TOKEN_PREFIX = "tpl-";
    /** A value the renderer cannot know (a function it does not model, a missing variable). */
    private static final Object UNKNOWN = new Object() {
        @Override
        public String toString() {
            return "<unknown>";
        }
    };
    private static final int MAX_INCLUDE_DEPTH = 20;
    /** Includes one file may expand, nested ones counted: a template including itself twice stops here. */
    private static final int MAX_INCLUDES = 10_000;
    private final Object root;
    private final Map<String, String> defines;
    private final int[] includeBudget;
    private final boolean honourTrim;
    private final int depth;
    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Map<String, Object> variables = new HashMap<>();
    private String text;
    private int actionStart;
    private int actionEnd;
    private boolean actionTrimsLeft;
    private boolean actionTrimsRight;

    /**
     * A renderer of one template file of a chart.
     *
     * @param root    the template root: {@code Values}, {@code Chart}, {@code Release}
     * @param defines the chart's named templates, shared by every file's renderer; {@code define} adds to it
     */
    RawTemplateRenderer(Object root, Map<String, String> defines) {
        this(root, defines, false, 0, new int[] {MAX_INCLUDES});
    }

    private RawTemplateRenderer(Object root, Map<String, String> defines, boolean honourTrim, int depth,
                                int[] includeBudget) {
        this.root = root;
        this.defines = defines;
        this.honourTrim = honourTrim;
        this.depth = depth;
        this.includeBudget = includeBudget;
    }

    /**
     * Renders a template text.
     *
     * @param source the text
     * @return the approximated output
     */
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
            return JsonCodec.write(v);
        }
        String s = v.toString();
        return s.contains("\n") ? JsonCodec.write(s) : s;
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
            case "quote" -> last == UNKNOWN ? UNKNOWN : JsonCodec.write(last == null ? "" : last.toString());
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
        String out = new RawTemplateRenderer(context, defines, true, depth + 1, includeBudget).render(body);
        return out.contains(TOKEN_PREFIX) ? UNKNOWN : out;
    }

    private static Object printf(List<Object> args) {
        if (args.isEmpty() || !(args.getFirst() instanceof String format) || args.contains(UNKNOWN)) {
            return UNKNOWN;
        }
        try {
            return String.format(Locale.ROOT, format.replace("%v", "%s").replace("%q", "\"%s\""),
                    args.subList(1, args.size()).toArray());
        } catch (IllegalFormatException e) {
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

    /**
     * Counts line breaks.
     *
     * @param text the text
     * @param from first index
     * @param to   index after the last
     * @return the number of line feeds in the range
     */
    static int countLines(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
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
