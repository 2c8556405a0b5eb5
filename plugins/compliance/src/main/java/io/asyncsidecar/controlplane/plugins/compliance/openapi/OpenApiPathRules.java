package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules about path keys and path parameters: {@code openapi.path-trailing-slash},
 * {@code openapi.path-equivalent}, {@code openapi.path-ambiguous} and {@code openapi.path-params}, the last two
 * reporting where Spectral's {@code path-params} does.
 */
final class OpenApiPathRules {

    /** A template expression; Spectral's modifiers ({@code ;}, {@code ?}, {@code *}) are not part of the name. */
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^{}/]+)}");

    private final OpenApiContext context;
    private final OpenApiFindings findings;

    OpenApiPathRules(OpenApiContext context) {
        this.context = context;
        this.findings = context.findings();
    }

    void run() {
        Map<String, String> normalized = new HashMap<>();
        List<OpenApiContext.PathEntry> templates = new ArrayList<>();
        for (OpenApiContext.PathEntry p : context.paths()) {
            context.deadline().check();
            OpenApiNode at = p.item() != null ? p.item() : p.raw();
            String key = p.key();
            if (key.length() > 1 && key.endsWith("/")) {
                findings.add(OpenApiRule.PATH_TRAILING_SLASH, at, "PathItem", "Path '" + key + "' ends with a slash.",
                        "Drop the trailing slash: servers treat '/a' and '/a/' differently, and clients build paths"
                                + " without it.");
            }
            if (p.item() == null) {
                continue;
            }
            String shape = TEMPLATE.matcher(key).replaceAll("%");
            String first = normalized.putIfAbsent(shape, key);
            if (first != null) {
                findings.add(OpenApiRule.PATH_EQUIVALENT, at, "PathItem", "Paths '" + first + "' and '" + key
                        + "' differ only in parameter names, so no request can tell them apart.",
                        "Merge the two paths, or make their literal segments differ.");
            } else if (key.indexOf('{') >= 0) {
                templates.add(p);
            }
            parameters(p, at);
        }
        if (findings.enabled(OpenApiRule.PATH_AMBIGUOUS)) {
            ambiguous(templates);
        }
    }

    /** Spectral's path-params: names used twice in the template, then per operation declared against used. */
    private void parameters(OpenApiContext.PathEntry p, OpenApiNode at) {
        String key = p.key();
        List<String> used = new ArrayList<>();
        Matcher m = TEMPLATE.matcher(key);
        while (m.find()) {
            String name = m.group(1).replaceAll("[?*;]", "");
            if (used.contains(name)) {
                findings.add(OpenApiRule.PATH_PARAMS, at, "PathItem", "Path '" + key + "' uses parameter '{" + name
                        + "}' more than once.", "Give each path parameter its own name.");
            } else {
                used.add(name);
            }
        }
        Map<String, OpenApiNode> top = declared(p.item().get("parameters"), key);
        for (OpenApiContext.Operation op : context.operations()) {
            if (op.path() != p) {
                continue;
            }
            Map<String, OpenApiNode> defined = new LinkedHashMap<>(top);
            defined.putAll(declared(op.operation().get("parameters"), key));
            for (Map.Entry<String, OpenApiNode> d : defined.entrySet()) {
                if (!used.contains(d.getKey())) {
                    // A path-level declaration is reported once (the same message for every operation).
                    String where = top.get(d.getKey()) == d.getValue() ? "" : " for " + op.display();
                    findings.add(OpenApiRule.PATH_PARAMS, d.getValue(), "Parameter", "Path parameter '"
                            + d.getKey() + "' is declared" + where + " but path '" + key + "' does not use it.",
                            "Use '{" + d.getKey() + "}' in the path, or declare the parameter in: query or header if"
                                    + " that is what it is.");
                }
            }
            for (String name : used) {
                if (!defined.containsKey(name)) {
                    findings.add(OpenApiRule.PATH_PARAMS, op.operation(), "Operation", op.display()
                            + " does not declare the path parameter '{" + name + "}' its path uses.",
                            "Declare '" + name + "' with in: path and required: true, on the path or the operation.");
                }
            }
        }
    }

    /** Named path parameters of one list; reports those not required and those declared twice. */
    private Map<String, OpenApiNode> declared(OpenApiNode list, String path) {
        Map<String, OpenApiNode> out = new LinkedHashMap<>();
        if (list == null) {
            return out;
        }
        for (OpenApiNode raw : list.items()) {
            OpenApiNode p = context.deref(raw);
            if (p == null || !p.isObject() || !"path".equals(p.text("in")) || p.get("name") == null) {
                continue;
            }
            String name = p.get("name").value().asText();
            if (!p.value().path("required").isBoolean() || !p.value().get("required").booleanValue()) {
                findings.add(OpenApiRule.PATH_PARAMS, p, "Parameter", "Path parameter '" + name + "' of '" + path
                        + "' is not marked required: true.", "Add required: true; path parameters are always"
                        + " required.");
            }
            if (out.containsKey(name)) {
                findings.add(OpenApiRule.PATH_PARAMS, p, "Parameter", "Path parameter '" + name + "' of '" + path
                        + "' is declared more than once.", "Keep one declaration.");
                continue;
            }
            out.put(name, p);
        }
        return out;
    }

    /**
     * Pairs of templates that match a common request with neither more specific at every segment (the OpenAPI
     * specification calls such paths ambiguous: which one serves {@code /books/me} for {@code /{entity}/me} and
     * {@code /books/{id}}?).
     */
    private void ambiguous(List<OpenApiContext.PathEntry> templates) {
        Map<Integer, List<String[]>> bySegments = new HashMap<>();
        Map<String[], OpenApiContext.PathEntry> entries = new HashMap<>();
        for (OpenApiContext.PathEntry p : templates) {
            String[] segments = p.key().split("/", -1);
            bySegments.computeIfAbsent(segments.length, n -> new ArrayList<>()).add(segments);
            entries.put(segments, p);
        }
        Set<String> reported = new LinkedHashSet<>();
        for (List<String[]> group : bySegments.values()) {
            for (int i = 0; i < group.size(); i++) {
                for (int j = 0; j < i; j++) {
                    context.deadline().check();
                    String[] a = group.get(j);
                    String[] b = group.get(i);
                    String sample = overlap(a, b);
                    if (sample == null) {
                        continue;
                    }
                    OpenApiContext.PathEntry later = entries.get(b);
                    OpenApiContext.PathEntry earlier = entries.get(a);
                    if (reported.add(earlier.key() + "\u0000" + later.key())) {
                        findings.add(OpenApiRule.PATH_AMBIGUOUS, later.item(), "PathItem", "Paths '" + earlier.key()
                                + "' and '" + later.key() + "' both match a request such as '" + sample
                                + "', and neither is more specific.", "Make one path's literal segments differ, or"
                                + " make one template more specific at every segment.");
                    }
                }
            }
        }
    }

    /** A request both templates match when neither dominates the other, else null. */
    private static String overlap(String[] a, String[] b) {
        boolean aWins = false;
        boolean bWins = false;
        StringBuilder sample = new StringBuilder();
        for (int k = 0; k < a.length; k++) {
            String x = a[k];
            String y = b[k];
            int rx = rank(x);
            int ry = rank(y);
            if (rx == 2 && ry == 2) {
                if (!x.equals(y)) {
                    return null;
                }
            } else if (rx == 2 && !matches(y, x) || ry == 2 && !matches(x, y)) {
                return null;
            } else if (rx == 1 && ry == 1 && !compatible(x, y)) {
                return null;
            }
            aWins |= rx > ry;
            bWins |= ry > rx;
            if (k > 0) {
                sample.append('/');
            }
            sample.append(rx == 2 ? x : ry == 2 ? y : TEMPLATE.matcher(rx >= ry ? x : y).replaceAll("x"));
        }
        return aWins && bWins ? sample.toString() : null;
    }

    /** 2 for a literal segment, 1 for text around a template, 0 for a bare template. */
    private static int rank(String segment) {
        if (segment.indexOf('{') < 0) {
            return 2;
        }
        return TEMPLATE.matcher(segment).matches() ? 0 : 1;
    }

    private static boolean matches(String template, String literal) {
        StringBuilder regex = new StringBuilder();
        Matcher m = TEMPLATE.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("[^/]+");
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return literal.matches(regex.toString());
    }

    /** Two segments with text around templates can match one value when their fixed starts and ends agree. */
    private static boolean compatible(String x, String y) {
        String px = x.substring(0, x.indexOf('{'));
        String py = y.substring(0, y.indexOf('{'));
        String sx = x.substring(x.lastIndexOf('}') + 1);
        String sy = y.substring(y.lastIndexOf('}') + 1);
        return (px.startsWith(py) || py.startsWith(px)) && (sx.endsWith(sy) || sy.endsWith(sx));
    }
}
