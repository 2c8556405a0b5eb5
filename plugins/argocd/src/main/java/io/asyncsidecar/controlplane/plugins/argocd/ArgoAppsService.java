package io.asyncsidecar.controlplane.plugins.argocd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckResponses;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/argocd/apps}: the Argo CD Applications, ApplicationSets and AppProjects of the workspace,
 * with their checks. Query: {@code path} (file or folder in the workspace; default from config),
 * {@code project}, {@code label} (a label selector), {@code health}, {@code sync}, {@code format=json|sarif}.
 */
final class ArgoAppsService {

    static final int PREVIEW_CHARS = 2000;
    private static final String ENGINE = "yaml";

    private final Path workspace;
    private final String defaultPath;
    private final ArgoChecks checks;
    private final String version;

    ArgoAppsService(Path workspace, String defaultPath, Set<String> workspaceRepos, String version) {
        this.workspace = workspace;
        this.defaultPath = defaultPath;
        this.checks = new ArgoChecks(workspace, workspaceRepos);
        this.version = version;
    }

    void apps(ServerRequest req, ServerResponse res) {
        CheckResponses.Format format = CheckResponses.format(req);
        Filters filters = Filters.of(req);
        long start = System.nanoTime();
        WorkspaceManifests manifests = WorkspaceManifests.requested(req, workspace, "path", "plugins.argocd.path",
                List.of(defaultPath)).getFirst();

        List<Finding> findings = new ArrayList<>(manifests.findings());
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
            if (!filters.matches(app)) {
                continue;
            }
            listed.add(app.toJson(checks.check(app, projectNames, findings)));
        }
        CheckReport report = CheckReport.of(findings, ENGINE, false, (System.nanoTime() - start) / 1_000_000);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", manifests.path());
        body.put("applications", applications);
        body.put("preview", manifests.preview(PREVIEW_CHARS));
        body.put("filters", filters.toJson());
        body.put("listed", listed.size());
        body.put("apps", listed);
        body.put("projects", projects);
        CheckResponses.send(res, format, report, body, "control-plane-argocd", version, ArgoChecks.RULES);
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

        static Filters of(ServerRequest req) {
            String project = req.query().first("project").orElse(null);
            String label = req.query().first("label").orElse(null);
            LabelSelector selector = label == null || label.isBlank() ? null : LabelSelector.parse("label", label);
            return new Filters(blankToNull(project), blankToNull(label), selector,
                    blankToNull(req.query().first("health").orElse(null)),
                    blankToNull(req.query().first("sync").orElse(null)));
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
