package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * Reads scenario YAML into a {@link Scenario}. Every mistake is reported with the file and the field path
 * ({@code steps[2].expect.status}) so the author can fix it without guessing. The file is read through the kit's
 * {@link WorkspaceFiles} and parsed by its {@link SafeYaml} (one document, no repeated keys, bounded size once
 * aliases are expanded: a structured body is written out as JSON, alias by alias).
 */
final class ScenarioParser {

    /** Largest scenario file: scenarios are written by hand. */
    static final int MAX_BYTES = 1024 * 1024;
    private static final SafeYaml YAML = SafeYaml.create(MAX_BYTES, 20, 100, 1, 100_000, MAX_BYTES)
            .withUniqueKeys();

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String source;

    private ScenarioParser(String source) {
        this.source = source;
    }

    /**
     * Reads a scenario file of the workspace.
     *
     * @param files   the workspace's reader
     * @param file    the YAML file
     * @param display how to name the file in errors (relative to the workspace)
     * @return the scenario
     * @throws IllegalArgumentException with a message naming the file and field
     */
    public static Scenario read(WorkspaceFiles files, Path file, String display) {
        String text;
        try {
            text = files.readString(file, MAX_BYTES);
        } catch (WorkspaceFiles.Refused e) {
            throw new IllegalArgumentException(display + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, display);
    }

    /**
     * Parses scenario YAML.
     *
     * @param yaml    the text
     * @param display the source name for errors
     * @return the scenario
     * @throws IllegalArgumentException with a message naming the source and field
     */
    public static Scenario parse(Reader yaml, String display) {
        char[] buffer = new char[MAX_BYTES + 1];
        int n = 0;
        try {
            for (int r; n < buffer.length && (r = yaml.read(buffer, n, buffer.length - n)) >= 0; ) {
                n += r;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(display + ": cannot read the scenario", e);
        }
        return parse(new String(buffer, 0, n), display);
    }

    private static Scenario parse(String text, String display) {
        YamlFile parsed = YAML.parse(text, display, 1);
        if (!parsed.ok()) {
            throw new IllegalArgumentException(display + ": not valid YAML: " + parsed.error().message()
                    + (parsed.error().line() > 0 ? " (line " + parsed.error().line() + ")" : ""));
        }
        Object root = parsed.documents().isEmpty() ? null : parsed.documents().getFirst().root();
        return new ScenarioParser(display).scenario(root);
    }

    private Scenario scenario(Object root) {
        Map<String, Object> doc = map(root, "(document)");
        Map<String, String> variables = new LinkedHashMap<>();
        map(doc.getOrDefault("variables", Map.of()), "variables").forEach((k, v) -> {
            if (!VARIABLE.matcher(k).matches()) {
                throw error("variables." + k, "is not a variable name");
            }
            variables.put(k, v == null ? "" : String.valueOf(v));
        });
        List<Scenario.Step> steps = new ArrayList<>();
        Map<String, Scenario.Step> byName = new LinkedHashMap<>();
        List<Object> rawSteps = list(doc.getOrDefault("steps", List.of()), "steps");
        for (int i = 0; i < rawSteps.size(); i++) {
            Scenario.Step step = step(map(rawSteps.get(i), "steps[" + i + "]"), "steps[" + i + "]");
            if (byName.putIfAbsent(step.name(), step) != null) {
                throw error("steps[" + i + "].name", "duplicates step '" + step.name() + "'");
            }
            steps.add(step);
        }
        Scenario.LoadPlan load = load(map(doc.getOrDefault("load", Map.of()), "load"), byName);
        if (steps.isEmpty() && load.steps().isEmpty()) {
            throw error("steps", "the scenario has neither steps nor load steps");
        }
        return new Scenario(text(doc, "name", "scenario", "name"), text(doc, "description", "", "description"),
                variables, steps, load);
    }

    private Scenario.LoadPlan load(Map<String, Object> load, Map<String, Scenario.Step> byName) {
        List<Scenario.LoadStep> steps = new ArrayList<>();
        List<Object> raw = list(load.getOrDefault("steps", List.of()), "load.steps");
        for (int i = 0; i < raw.size(); i++) {
            String where = "load.steps[" + i + "]";
            Map<String, Object> m = map(raw.get(i), where);
            Scenario.Step step;
            if (m.containsKey("step")) {
                String ref = String.valueOf(m.get("step"));
                step = byName.get(ref);
                if (step == null) {
                    throw error(where + ".step", "names no step; known: " + byName.keySet());
                }
            } else {
                step = step(m, where);
            }
            int weight = integer(m.getOrDefault("weight", 1), where + ".weight");
            if (weight < 1 || weight > 1000) {
                throw error(where + ".weight", "must be 1..1000");
            }
            steps.add(new Scenario.LoadStep(step, weight, thresholds(m.get("thresholds"), where + ".thresholds")));
        }
        double rate = 0;
        if (load.get("target_rate") != null) {
            rate = number(load.get("target_rate"), "load.target_rate");
            if (rate < 0) {
                throw error("load.target_rate", "must be >= 0");
            }
        }
        return new Scenario.LoadPlan(steps, rate, thresholds(load.get("thresholds"), "load.thresholds"));
    }

    private List<Threshold> thresholds(Object raw, String where) {
        List<Threshold> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        List<Object> items = list(raw, where);
        for (int i = 0; i < items.size(); i++) {
            try {
                out.add(Threshold.parse(String.valueOf(items.get(i))));
            } catch (IllegalArgumentException e) {
                throw error(where + "[" + i + "]", e.getMessage());
            }
        }
        return out;
    }

    private Scenario.Step step(Map<String, Object> m, String where) {
        String name = text(m, "name", null, where + ".name");
        if (name == null || !STEP_NAME.matcher(name).matches()) {
            throw error(where + ".name", "is required: 1-64 letters, digits, '_', '.' or '-'");
        }
        String method = text(m, "method", "GET", where + ".method").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw error(where + ".method", "must be one of " + METHODS);
        }
        String path = text(m, "path", null, where + ".path");
        if (path == null || !path.startsWith("/")) {
            throw error(where + ".path", "is required and must start with '/'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        map(m.getOrDefault("headers", Map.of()), where + ".headers").forEach((k, v) -> {
            if (v == null) {
                throw error(where + ".headers." + k, "has no value");
            }
            headers.put(k, String.valueOf(v));
        });
        String body = null;
        Object rawBody = m.get("body");
        if (rawBody instanceof String s) {
            body = s;
        } else if (rawBody instanceof Map<?, ?> || rawBody instanceof List<?>) {
            // a structured body is sent as JSON
            body = JsonCodec.toJsonValue(rawBody).toString();
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                headers.put("Content-Type", "application/json");
            }
        } else if (rawBody != null) {
            body = String.valueOf(rawBody);
        }
        Map<String, String> capture = new LinkedHashMap<>();
        map(m.getOrDefault("capture", Map.of()), where + ".capture").forEach((k, v) -> {
            if (!VARIABLE.matcher(k).matches() || v == null) {
                throw error(where + ".capture." + k, "must map a variable name to a JSON path");
            }
            capture.put(k, String.valueOf(v));
        });
        return new Scenario.Step(name, method, path, headers, body,
                expectation(map(m.getOrDefault("expect", Map.of()), where + ".expect"), where + ".expect"), capture);
    }

    private Scenario.Expectation expectation(Map<String, Object> m, String where) {
        Set<Integer> statuses = new LinkedHashSet<>();
        Object status = m.get("status");
        if (status instanceof List<?> l) {
            for (Object o : l) {
                statuses.add(statusCode(o, where + ".status"));
            }
        } else if (status != null) {
            statuses.add(statusCode(status, where + ".status"));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        map(m.getOrDefault("json", Map.of()), where + ".json").forEach((k, v) -> {
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw error(where + ".json." + k, "expected values must be scalars; check nested fields by path");
            }
            json.put(k, v);
        });
        List<String> exists = new ArrayList<>();
        for (Object o : list(m.getOrDefault("json_exists", List.of()), where + ".json_exists")) {
            exists.add(String.valueOf(o));
        }
        Pattern body = null;
        if (m.get("body_matches") != null) {
            body = pattern(String.valueOf(m.get("body_matches")), where + ".body_matches");
        }
        Map<String, Pattern> headers = new LinkedHashMap<>();
        map(m.getOrDefault("headers", Map.of()), where + ".headers").forEach((k, v) ->
                headers.put(k, pattern(String.valueOf(v), where + ".headers." + k)));
        return new Scenario.Expectation(statuses, json, exists, body, headers);
    }

    private Pattern pattern(String regex, String where) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw error(where, "is not a valid regular expression: " + e.getDescription());
        }
    }

    private int statusCode(Object o, String where) {
        int s = integer(o, where);
        if (s < 100 || s > 599) {
            throw error(where, "must be an HTTP status 100..599, got " + s);
        }
        return s;
    }

    private int integer(Object o, String where) {
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        throw error(where, "must be a whole number, got '" + o + "'");
    }

    private double number(Object o, String where) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw error(where, "must be a number, got '" + o + "'");
    }

    private String text(Map<String, Object> m, String key, String defaultValue, String where) {
        Object v = m.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw error(where, "must be a scalar");
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw error(where, "keys must be strings, got '" + k + "'");
                }
            }
            return (Map<String, Object>) m;
        }
        throw error(where, "must be a mapping");
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, String where) {
        if (o instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw error(where, "must be a list");
    }

    private IllegalArgumentException error(String where, String problem) {
        return new IllegalArgumentException(source + ": " + where + " " + problem);
    }
}
