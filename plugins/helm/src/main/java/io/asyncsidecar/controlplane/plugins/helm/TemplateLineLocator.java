package io.asyncsidecar.controlplane.plugins.helm;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps lines of a rendered document back to lines of its template. Helm keeps no such map, so this aligns the
 * two texts as a diff does (longest common subsequence): a rendered line matches a template line with the same
 * text (a literal line) or with the same key whose value is an action ({@code image: {{ ... }}}). Lines an
 * {@code include}, {@code toYaml} or {@code range} produced match nothing; they map to the action between the
 * surrounding matches that produced them. A generated line that happens to equal a literal further down does
 * not pull the alignment past the real source, as a greedy scan would.
 *
 * <p>The result is exact for literal lines and close for generated ones, which is what a finding needs. For a
 * very large pair of texts (a CRD) the table would be too big; there lines map to the document's start.
 */
final class TemplateLineLocator implements IntUnaryOperator {

    /** Largest alignment table computed (rendered lines x template lines). */
    private static final long MAX_CELLS = 4_000_000;
    private static final Pattern GENERATOR = Pattern.compile("\\{\\{-?\\s*(include|template|toYaml|tpl|range)\\b"
            + "|\\|\\s*(toYaml|indent|nindent)\\b");
    private static final Pattern KEY = Pattern.compile("^(- )?([^\\s:{}\"'#][^:{}\"'#]*?):(\\s|$)");

    private final List<String> template;
    private final List<String> rendered;
    private final int templateStart;
    private final int documentFirstLine;
    private volatile int[] map;

    /**
     * A locator.
     *
     * @param template          the template's lines
     * @param rendered          the rendered document's lines
     * @param templateStart     0-based template line where this document's part of the template starts
     * @param documentFirstLine the line number the parser gave the rendered document's first line
     */
    TemplateLineLocator(List<String> template, List<String> rendered, int templateStart, int documentFirstLine) {
        this.template = template;
        this.rendered = rendered;
        this.templateStart = Math.max(0, Math.min(templateStart, Math.max(0, template.size() - 1)));
        this.documentFirstLine = documentFirstLine;
    }

    @Override
    public int applyAsInt(int documentLine) {
        int[] m = map;
        if (m == null) {
            m = align();
            map = m;
        }
        int index = documentLine - documentFirstLine;
        if (m.length == 0) {
            return templateStart + 1;
        }
        return m[Math.max(0, Math.min(index, m.length - 1))];
    }

    private int[] align() {
        int n = rendered.size();
        int m = template.size() - templateStart;
        int[] result = new int[n];
        if (n == 0 || m <= 0 || (long) n * m > MAX_CELLS) {
            Arrays.fill(result, templateStart + 1);
            return result;
        }
        // Each line is stripped and keyed once: the table compares n x m pairs, so the comparison must be cheap.
        Line[] r = new Line[n];
        for (int i = 0; i < n; i++) {
            r[i] = Line.rendered(rendered.get(i));
        }
        Line[] t = new Line[m];
        for (int j = 0; j < m; j++) {
            t[j] = Line.template(template.get(templateStart + j));
        }
        // lcs[i][j]: longest alignment of rendered[i..] with template[templateStart + j..]
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = matches(r[i], t[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int[] matchedTo = new int[n];
        Arrays.fill(matchedTo, -1);
        for (int i = 0, j = 0; i < n && j < m; ) {
            if (matches(r[i], t[j]) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                matchedTo[i++] = templateStart + j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        int last = templateStart - 1;
        for (int i = 0; i < n; i++) {
            if (matchedTo[i] >= 0) {
                last = matchedTo[i];
                result[i] = last + 1;
                continue;
            }
            int next = template.size();
            for (int k = i + 1; k < n; k++) {
                if (matchedTo[k] >= 0) {
                    next = matchedTo[k];
                    break;
                }
            }
            result[i] = producer(last + 1, next, Math.max(last, templateStart)) + 1;
        }
        return result;
    }

    /** The action in template lines [from, to) that most likely produced a generated line, else the fallback. */
    private int producer(int from, int to, int fallback) {
        int anyAction = -1;
        for (int j = Math.max(from, templateStart); j < Math.min(to, template.size()); j++) {
            String t = template.get(j);
            if (GENERATOR.matcher(t).find()) {
                return j;
            }
            if (anyAction < 0 && t.contains("{{")) {
                anyAction = j;
            }
        }
        return anyAction >= 0 ? anyAction : fallback;
    }

    /**
     * A line as the alignment compares it.
     *
     * @param text   the stripped text
     * @param key    rendered lines: the key it starts with ({@code image:}, {@code - name:}), or null; template
     *               lines: unused
     * @param action template lines: whether it holds an action ({@code {{}) not at its start
     * @param hash   the text's hash, compared before the text
     */
    private record Line(String text, String key, boolean action, int hash) {

        static Line rendered(String line) {
            String text = line.strip();
            Matcher key = KEY.matcher(text);
            return new Line(text, key.find() ? key.group(0).stripTrailing() : null, false, text.hashCode());
        }

        static Line template(String line) {
            String text = line.strip();
            return new Line(text, null, text.contains("{{"), text.hashCode());
        }
    }

    /**
     * A rendered line matches a literal template line with the same text, or a template line that begins with the
     * same key and has its value from an action.
     */
    private static boolean matches(Line rendered, Line template) {
        if (rendered.text.isEmpty() || template.text.isEmpty()) {
            return false;
        }
        if (!template.action) {
            return template.hash == rendered.hash && template.text.equals(rendered.text);
        }
        return rendered.key != null && !template.text.startsWith("{{") && template.text.startsWith(rendered.key);
    }
}
