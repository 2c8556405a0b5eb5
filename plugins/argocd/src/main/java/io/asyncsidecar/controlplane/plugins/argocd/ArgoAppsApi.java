package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.CheckEndpoint;
import io.asyncsidecar.controlplane.kit.checks.CheckRun;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/argocd/apps}: the Argo CD Applications, ApplicationSets and AppProjects of the workspace,
 * with their checks. Query: {@code path} (file or folder in the workspace; default from config),
 * {@code project}, {@code label} (a label selector), {@code health}, {@code sync}, {@code format=json|sarif}.
 * The raw {@code preview} of the manifests is there only with {@code plugins.argocd.preview: true}.
 */
final class ArgoAppsApi {

    static final int PREVIEW_CHARS = 2000;

    private final CheckEndpoint checks;
    private final ArgoCdSettings settings;
    private final ArgoChecks argo;

    ArgoAppsApi(CheckEndpoint checks, ArgoCdSettings settings) {
        this.checks = checks;
        this.settings = settings;
        this.argo = new ArgoChecks(checks.workspace(), settings.workspaceRepos());
    }

    void apps(ServerRequest req, ServerResponse res) {
        checks.answer(req, res, this::list);
    }

    /** @return the same check as the route's, for the combined workspace report */
    WorkspaceCheck workspaceCheck(RequiredScopes scopes) {
        return checks.workspaceCheck(scopes, this::list);
    }

    private Map<String, Object> list(CheckRun run) {
        Filters filters = Filters.of(run.parameters());
        WorkspaceManifests manifests = run.manifest("path", "plugins.argocd.path", settings.path());

        Set<String> projectNames = new LinkedHashSet<>();
        List<Map<String, Object>> projects = new ArrayList<>();
        List<ArgoApp> apps = new ArrayList<>();
        int applications = 0;
        for (YamlDocument doc : manifests.objects()) {
            String kind = ManifestValues.string(doc.map(), "kind");
            String apiVersion = String.valueOf(doc.map().get("apiVersion"));
            if (!apiVersion.startsWith("argoproj.io/")) {
                continue;
            }
            switch (kind) {
                case "AppProject" -> {
                    String name = ManifestValues.string(doc.map(), "metadata", "name");
                    projectNames.add(name);
                    projects.add(project(doc));
                }
                case "Application" -> {
                    applications++;
                    apps.add(ArgoApp.of(doc));
                }
                case "ApplicationSet" -> apps.add(ArgoApp.of(doc));
                default -> {
                    // other argoproj.io kinds (Rollout, Workflow) are not Argo CD's
                }
            }
        }

        List<Map<String, Object>> listed = new ArrayList<>();
        for (ArgoApp app : apps) {
            if (filters.matches(app)) {
                listed.add(app.toJson(argo.check(app, projectNames, run::add)));
            }
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", manifests.path());
        body.put("applications", applications);
        if (settings.preview()) {
            body.put("preview", manifests.preview(PREVIEW_CHARS));
        }
        body.put("filters", filters.toJson());
        body.put("listed", listed.size());
        body.put("apps", listed);
        body.put("projects", projects);
        return body;
    }

    private static Map<String, Object> project(YamlDocument doc) {
        Map<String, Object> m = doc.map();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", ManifestValues.string(m, "metadata", "name"));
        j.put("namespace", ManifestValues.string(m, "metadata", "namespace"));
        j.put("description", ManifestValues.string(m, "spec", "description"));
        j.put("sourceRepos", ManifestValues.list(m, "spec", "sourceRepos").stream().map(String::valueOf).toList());
        j.put("destinations", ManifestValues.maps(m, "spec", "destinations").stream().map(d -> {
            Map<String, Object> dest = new LinkedHashMap<>();
            dest.put("server", d.get("server"));
            dest.put("name", d.get("name"));
            dest.put("namespace", d.get("namespace"));
            return dest;
        }).toList());
        j.put("roles", ManifestValues.maps(m, "spec", "roles").stream().map(r -> r.get("name")).toList());
        j.put("file", doc.file());
        j.put("line", doc.line());
        return j;
    }

    /** The query's filters; each absent filter selects everything. */
    private record Filters(String project, String label, LabelSelector selector, String health, String sync) {

        static Filters of(CheckParameters req) {
            String project = req.first("project").orElse(null);
            String label = req.first("label").orElse(null);
            LabelSelector selector = label == null || label.isBlank() ? null : LabelSelector.parse("label", label);
            return new Filters(blankToNull(project), blankToNull(label), selector,
                    blankToNull(req.first("health").orElse(null)),
                    blankToNull(req.first("sync").orElse(null)));
        }

        boolean matches(ArgoApp app) {
            return (project == null || project.equals(app.project()))
                    && (selector == null || selector.matches(app.labels()))
                    && (health == null || same(health, app.health()))
                    && (sync == null || same(sync, app.syncStatus()));
        }

        Map<String, Object> toJson() {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("project", project);
            j.put("label", label);
            j.put("health", health);
            j.put("sync", sync);
            return j;
        }

        private static boolean same(String wanted, String actual) {
            return actual != null && wanted.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }
}
