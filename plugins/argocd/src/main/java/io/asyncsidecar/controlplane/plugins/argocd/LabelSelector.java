package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.spi.ProblemException;

/**
 * A Kubernetes label selector in its string form ({@code team=ml,track!=canary,env in (dev,prod),!legacy}),
 * as {@code kubectl -l} and Argo CD's {@code argocd app list -l} accept it. Written here because the only Java
 * implementation lives inside the Kubernetes client, far too big a dependency for one query parameter.
 */
final class LabelSelector {

    private static final Pattern SET = Pattern.compile("([^\\s!=,()]+)\\s+(in|notin)\\s+\\(([^)]*)\\)");
    private static final Pattern EQUALITY = Pattern.compile("([^\\s!=,()]+)\\s*(==|=|!=)\\s*([^\\s!=,()]*)");
    private static final Pattern EXISTS = Pattern.compile("(!?)([^\\s!=,()]+)");

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /**
     * Parses a selector.
     *
     * @param parameter the query parameter name, for the error
     * @param text      the selector
     * @return the selector
     * @throws ProblemException 400 naming the requirement that does not parse
     */
    static LabelSelector parse(String parameter, String text) {
        List<Requirement> reqs = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            Matcher set = SET.matcher(p);
            Matcher equality = EQUALITY.matcher(p);
            Matcher exists = EXISTS.matcher(p);
            if (set.matches()) {
                String key = set.group(1);
                Set<String> values = Set.copyOf(splitValues(set.group(3)));
                // as in Kubernetes, "notin" also selects objects without the key
                reqs.add(set.group(2).equals("in")
                        ? labels -> labels.containsKey(key) && values.contains(labels.get(key))
                        : labels -> !labels.containsKey(key) || !values.contains(labels.get(key)));
            } else if (equality.matches()) {
                String key = equality.group(1);
                String value = equality.group(3);
                reqs.add(equality.group(2).equals("!=")
                        ? labels -> !value.equals(labels.get(key))
                        : labels -> value.equals(labels.get(key)));
            } else if (exists.matches()) {
                String key = exists.group(2);
                boolean present = exists.group(1).isEmpty();
                reqs.add(labels -> labels.containsKey(key) == present);
            } else {
                throw ProblemException.badRequest("'" + parameter + "' is not a label selector: cannot read '" + p
                        + "' (expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key)")
                        .with("parameter", parameter);
            }
        }
        return new LabelSelector(List.copyOf(reqs));
    }

    /**
     * Whether labels satisfy every requirement.
     *
     * @param labels an object's labels
     * @return true when selected
     */
    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.test(labels));
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        parts.add(cur.toString());
        return parts;
    }

    private static List<String> splitValues(String text) {
        List<String> values = new ArrayList<>();
        for (String v : text.split(",")) {
            if (!v.isBlank()) {
                values.add(v.trim());
            }
        }
        return values;
    }

    @FunctionalInterface
    private interface Requirement {
        boolean test(Map<String, String> labels);
    }
}
