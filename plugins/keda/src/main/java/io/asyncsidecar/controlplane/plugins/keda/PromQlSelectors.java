package io.asyncsidecar.controlplane.plugins.keda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names a PromQL query selects, read with a tokenizer that knows PromQL's lexical grammar (strings in
 * three quotings, comments, durations, numbers, operators) and enough of its syntax to tell a metric name from a
 * function, an aggregation, a keyword or a label name: label lists after {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right}; label matchers in braces (where
 * {@code __name__="x"} and a quoted name, {@code {"x"}}, also name a metric); ranges and subqueries in brackets;
 * {@code offset} and {@code @} modifiers.
 *
 * <p>No Java library parses PromQL (the grammar lives in Prometheus' Go code), and a regular expression cannot
 * tell {@code sum by (job) (x)} from a metric named {@code job}; this is the small part of a parser the trigger
 * checks need. It does not judge whether the query is valid beyond what it must read: balanced brackets and
 * terminated strings.
 */
final class PromQlSelectors {

    /** Longest query read; KEDA sends the query in a URL, so real ones are far shorter. */
    static final int MAX_LENGTH = 64 * 1024;

    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> OPERATOR_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2");
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

    private enum Kind { IDENT, STRING, NUMBER, PUNCT, END }

    private record Token(Kind kind, String text, int offset) {
    }

    private enum Context { EXPRESSION, LABEL_LIST, MATCHERS, RANGE }

    private final List<String> names;
    private final List<String> nameRegexes;

    private PromQlSelectors(List<String> names, List<String> nameRegexes) {
        this.names = List.copyOf(names);
        this.nameRegexes = List.copyOf(nameRegexes);
    }

    /**
     * Reads a query.
     *
     * @param query the PromQL text
     * @return what it selects
     * @throws IllegalArgumentException naming the offset of an unterminated string, an unbalanced bracket or a
     *                                  character PromQL does not have, or when the query is over {@link #MAX_LENGTH}
     */
    static PromQlSelectors of(String query) {
        if (query.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the query is " + query.length() + " characters long, over the "
                    + MAX_LENGTH + " read");
        }
        List<Token> tokens = tokenize(query);
        Set<String> names = new LinkedHashSet<>();
        Set<String> regexes = new LinkedHashSet<>();
        Deque<Context> stack = new ArrayDeque<>();
        Deque<Character> closers = new ArrayDeque<>();
        stack.push(Context.EXPRESSION);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(Kind.END, "", query.length());
            Context here = stack.peek();
            switch (t.kind) {
                case PUNCT -> {
                    switch (t.text) {
                        case "(" -> {
                            Token previous = i > 0 ? tokens.get(i - 1) : null;
                            boolean labels = previous != null && previous.kind == Kind.IDENT && here == Context.EXPRESSION
                                    && LABEL_LIST_KEYWORDS.contains(previous.text.toLowerCase(Locale.ROOT));
                            stack.push(labels ? Context.LABEL_LIST : Context.EXPRESSION);
                            closers.push(')');
                        }
                        case "{" -> {
                            stack.push(Context.MATCHERS);
                            closers.push('}');
                            i = matchers(tokens, i + 1, names, regexes) - 1;
                        }
                        case "[" -> {
                            stack.push(Context.RANGE);
                            closers.push(']');
                        }
                        case ")", "}", "]" -> {
                            if (closers.isEmpty() || closers.peek() != t.text.charAt(0)) {
                                throw new IllegalArgumentException("unbalanced '" + t.text + "' at offset " + t.offset);
                            }
                            closers.pop();
                            stack.pop();
                        }
                        default -> {
                            // operators, commas, ':' of a subquery, '@'
                        }
                    }
                }
                case IDENT -> {
                    if (here != Context.EXPRESSION) {
                        break;
                    }
                    String lower = t.text.toLowerCase(Locale.ROOT);
                    boolean call = "(".equals(next.text) && next.kind == Kind.PUNCT;
                    boolean aggregationWithModifier = AGGREGATIONS.contains(lower) && next.kind == Kind.IDENT
                            && (next.text.equalsIgnoreCase("by") || next.text.equalsIgnoreCase("without"));
                    boolean keyword = LABEL_LIST_KEYWORDS.contains(lower) || OPERATOR_KEYWORDS.contains(lower);
                    boolean number = lower.equals("inf") || lower.equals("nan");
                    if (!call && !aggregationWithModifier && !keyword && !number) {
                        names.add(t.text);
                    }
                }
                default -> {
                    // strings (function arguments), numbers and durations select nothing
                }
            }
        }
        if (!closers.isEmpty()) {
            throw new IllegalArgumentException("'" + closers.peek() + "' missing at the end of the query");
        }
        return new PromQlSelectors(new ArrayList<>(names), new ArrayList<>(regexes));
    }

    /**
     * Reads label matchers from just after a '{' to just before its '}'.
     *
     * @return the index of the closing '}' (or of the end token when there is none; the caller reports it)
     */
    private static int matchers(List<Token> tokens, int from, Set<String> names, Set<String> regexes) {
        int i = from;
        while (i < tokens.size() && !"}".equals(tokens.get(i).text)) {
            Token t = tokens.get(i);
            Token op = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            Token value = i + 2 < tokens.size() ? tokens.get(i + 2) : null;
            boolean operator = op != null && op.kind == Kind.PUNCT && Set.of("=", "!=", "=~", "!~").contains(op.text);
            if (t.kind == Kind.STRING && !operator) {
                // {"metric.name", label="x"}: a quoted metric name (Prometheus 3 UTF-8 names)
                names.add(t.text);
                i++;
            } else if (operator && value != null && value.kind == Kind.STRING) {
                if (t.text.equals("__name__") && op.text.equals("=")) {
                    names.add(value.text);
                } else if (t.text.equals("__name__") && op.text.equals("=~")) {
                    regexes.add(value.text);
                }
                i += 3;
            } else {
                i++;
            }
            if (i < tokens.size() && ",".equals(tokens.get(i).text)) {
                i++;
            }
        }
        return i;
    }

    private static List<Token> tokenize(String q) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < q.length() && q.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= q.length()) {
                        throw new IllegalArgumentException("string opened at offset " + start + " is not closed");
                    }
                    char d = q.charAt(i);
                    if (d == c) {
                        i++;
                        break;
                    }
                    if (d == '\\' && c != '`' && i + 1 < q.length()) {
                        value.append(q.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    value.append(d);
                    i++;
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < q.length() && Character.isDigit(q.charAt(i + 1)))) {
                // numbers, hex, exponents and durations (5m, 1h30m, 1.5e3): a run of letters, digits and dots
                int start = i;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '.'
                        || ((q.charAt(i) == '+' || q.charAt(i) == '-') && (q.charAt(i - 1) == 'e' || q.charAt(i - 1) == 'E')
                        && !q.substring(start, i).startsWith("0x")))) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, q.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_'
                        || q.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, q.substring(start, i), start));
            } else if ("(){}[],+-*/%^@".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.PUNCT, String.valueOf(c), i));
                i++;
            } else if ("=!<>".indexOf(c) >= 0) {
                String two = i + 1 < q.length() ? q.substring(i, i + 2) : "";
                if (Set.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
                    tokens.add(new Token(Kind.PUNCT, two, i));
                    i += 2;
                } else if (c == '!') {
                    throw new IllegalArgumentException("'!' at offset " + i + " is not '!=' or '!~'");
                } else {
                    tokens.add(new Token(Kind.PUNCT, String.valueOf(c), i));
                    i++;
                }
            } else {
                throw new IllegalArgumentException("character '" + c + "' at offset " + i + " is not PromQL");
            }
        }
        return tokens;
    }

    /** @return the metric names the query selects, in the order they first appear */
    List<String> names() {
        return names;
    }

    /** @return the {@code __name__=~"..."} regular expressions, which select metrics by pattern */
    List<String> nameRegexes() {
        return nameRegexes;
    }
}
