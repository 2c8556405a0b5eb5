package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;

/**
 * One-line summaries of ApplicationSet generators: which kind, and the few fields that decide what it
 * generates (list size, git repository and paths, cluster selector, SCM or pull-request provider), with matrix
 * and merge generators summarised recursively.
 */
final class Generators {

    private Generators() {
    }

    static List<Map<String, Object>> summarise(List<Object> generators) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object g : generators) {
            if (!(g instanceof Map<?, ?> gm)) {
                continue;
            }
            for (Map.Entry<?, ?> e : gm.entrySet()) {
                String type = String.valueOf(e.getKey());
                if (type.equals("selector") || type.equals("values")) {
                    continue; // post-selectors and values apply to the generator beside them
                }
                out.add(summary(type, e.getValue()));
            }
        }
        return out;
    }

    private static Map<String, Object> summary(String type, Object body) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        switch (type) {
            case "list" -> {
                s.put("elements", ManifestValues.list(body, "elements").size());
                if (ManifestValues.string(body, "elementsYaml") != null) {
                    s.put("elementsYaml", true);
                }
            }
            case "git" -> {
                s.put("repoURL", ManifestValues.string(body, "repoURL"));
                s.put("revision", ManifestValues.string(body, "revision"));
                List<String> dirs = ManifestValues.maps(body, "directories").stream()
                        .map(d -> (Boolean.TRUE.equals(d.get("exclude")) ? "!" : "") + d.get("path")).toList();
                List<String> files = ManifestValues.maps(body, "files").stream()
                        .map(f -> String.valueOf(f.get("path"))).toList();
                if (!dirs.isEmpty()) {
                    s.put("directories", dirs);
                }
                if (!files.isEmpty()) {
                    s.put("files", files);
                }
            }
            case "clusters" -> s.put("selector", ManifestValues.map(body, "selector"));
            case "matrix", "merge" -> {
                s.put("generators", summarise(ManifestValues.list(body, "generators")));
                if (type.equals("merge")) {
                    s.put("mergeKeys", ManifestValues.list(body, "mergeKeys"));
                }
            }
            case "scmProvider", "pullRequest" -> {
                List<String> providers = new ArrayList<>();
                if (body instanceof Map<?, ?> m) {
                    for (Object k : m.keySet()) {
                        if (m.get(k) instanceof Map<?, ?>) {
                            providers.add(String.valueOf(k));
                        }
                    }
                }
                s.put("providers", providers);
            }
            case "clusterDecisionResource" -> s.put("configMapRef", ManifestValues.string(body, "configMapRef"));
            case "plugin" -> s.put("configMapRef", ManifestValues.string(body, "configMapRef", "name"));
            default -> {
                // other generators are listed by type only
            }
        }
        return s;
    }
}
