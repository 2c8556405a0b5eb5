package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

/**
 * An Argo CD Application, or the application template of an ApplicationSet, as read from a manifest.
 *
 * @param document    the manifest it came from (file, line, the whole object for ignore annotations)
 * @param kind        {@code Application} or {@code ApplicationSet}
 * @param name        {@code metadata.name} (for an ApplicationSet, its own name; the template's name is a pattern)
 * @param namespace   {@code metadata.namespace}
 * @param spec        the application spec ({@code spec}, or {@code spec.template.spec} of an ApplicationSet)
 * @param labels      {@code metadata.labels}
 * @param sources     {@code spec.source} and {@code spec.sources}, in order
 * @param syncWave    the {@code argocd.argoproj.io/sync-wave} annotation (0 when absent or not a number)
 * @param health      {@code status.health.status}, or null
 * @param syncStatus  {@code status.sync.status}, or null
 */
record ArgoApp(YamlDocument document, String kind, String name, String namespace, Map<String, Object> spec,
               Map<String, String> labels, List<Map<String, Object>> sources, int syncWave, String health,
               String syncStatus) {

    static final String SYNC_WAVE = "argocd.argoproj.io/sync-wave";

    /**
     * Reads an Application or ApplicationSet.
     *
     * @param doc a document whose kind is Application or ApplicationSet
     * @return the app
     */
    static ArgoApp of(YamlDocument doc) {
        Map<String, Object> m = doc.map();
        String kind = ManifestValues.string(m, "kind");
        Map<String, Object> spec = "ApplicationSet".equals(kind)
                ? ManifestValues.map(m, "spec", "template", "spec") : ManifestValues.map(m, "spec");
        List<Map<String, Object>> sources = new ArrayList<>();
        if (ManifestValues.isMap(spec, "source")) {
            sources.add(ManifestValues.map(spec, "source"));
        }
        sources.addAll(ManifestValues.maps(spec, "sources"));
        int wave = 0;
        String w = ManifestValues.annotations(m).get(SYNC_WAVE);
        if (w != null) {
            try {
                wave = Integer.parseInt(w.trim());
            } catch (NumberFormatException e) {
                wave = 0;
            }
        }
        return new ArgoApp(doc, kind, ManifestValues.string(m, "metadata", "name"),
                ManifestValues.string(m, "metadata", "namespace"), spec, ManifestValues.labels(m), sources, wave,
                ManifestValues.string(m, "status", "health", "status"),
                ManifestValues.string(m, "status", "sync", "status"));
    }

    /** @return the project, {@code default} when unset (as Argo CD defaults it) */
    String project() {
        String p = ManifestValues.string(spec, "project");
        return p == null || p.isBlank() ? "default" : p;
    }

    /** @return {@code spec.destination} */
    Map<String, Object> destination() {
        return ManifestValues.map(spec, "destination");
    }

    /** @return {@code spec.syncPolicy.automated} is present (and not disabled by {@code enabled: false}) */
    boolean automated() {
        return ManifestValues.isMap(spec, "syncPolicy", "automated")
                && ManifestValues.bool(spec, "syncPolicy", "automated", "enabled").orElse(true);
    }

    /**
     * The JSON shape of one app.
     *
     * @param sourceDetails per source, what the checks learned (workspace path resolution, revision pin)
     * @return the map
     */
    Map<String, Object> toJson(List<Map<String, Object>> sourceDetails) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("kind", kind);
        j.put("name", name);
        j.put("namespace", namespace);
        j.put("project", project());
        j.put("labels", labels);
        j.put("file", document.file());
        j.put("line", document.line());
        j.put("sources", sourceDetails);
        Map<String, Object> dest = new LinkedHashMap<>();
        dest.put("server", ManifestValues.string(destination(), "server"));
        dest.put("name", ManifestValues.string(destination(), "name"));
        dest.put("namespace", ManifestValues.string(destination(), "namespace"));
        j.put("destination", dest);
        Map<String, Object> sync = new LinkedHashMap<>();
        sync.put("automated", automated());
        sync.put("prune", ManifestValues.bool(spec, "syncPolicy", "automated", "prune").orElse(false));
        sync.put("selfHeal", ManifestValues.bool(spec, "syncPolicy", "automated", "selfHeal").orElse(false));
        sync.put("allowEmpty", ManifestValues.bool(spec, "syncPolicy", "automated", "allowEmpty").orElse(false));
        sync.put("syncOptions", ManifestValues.list(spec, "syncPolicy", "syncOptions").stream()
                .map(String::valueOf).toList());
        j.put("sync_policy", sync);
        j.put("sync_wave", syncWave);
        if (health != null || syncStatus != null) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("health", health);
            status.put("sync", syncStatus);
            j.put("status", status);
        }
        if ("ApplicationSet".equals(kind)) {
            j.put("template_name", ManifestValues.string(document.map(), "spec", "template", "metadata", "name"));
            j.put("generators", Generators.summarise(ManifestValues.list(document.map(), "spec", "generators")));
        }
        return j;
    }
}
