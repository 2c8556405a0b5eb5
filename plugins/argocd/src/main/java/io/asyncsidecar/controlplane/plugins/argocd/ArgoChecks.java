package io.asyncsidecar.controlplane.plugins.argocd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The Argo CD checks: what makes a sync reproducible (pinned revision, a project of its own, a destination
 * namespace) and what makes it work at all against this workspace (the path exists, the projects exist).
 * Each app's findings honour its ignore annotations.
 */
final class ArgoChecks {

    static final String TARGET_REVISION_PINNED = "argocd.target-revision-pinned";
    static final String PROJECT_NOT_DEFAULT = "argocd.project-not-default";
    static final String DESTINATION_NAMESPACE = "argocd.destination-namespace";
    static final String DESTINATION_CLUSTER = "argocd.destination-cluster";
    static final String SOURCE_DEFINED = "argocd.source-defined";
    static final String PATH_EXISTS = "argocd.path-exists";
    static final String VALUE_FILES_EXIST = "argocd.value-files-exist";
    static final String PROJECT_EXISTS = "argocd.project-exists";
    static final String AUTOMATED_PRUNE = "argocd.automated-prune";

    static final List<CheckRule> RULES = WorkspaceManifests.withReadingRules(List.of(
            new CheckRule(TARGET_REVISION_PINNED, Severity.WARNING,
                    "targetRevision pins a commit, tag or exact chart version (not HEAD, a branch or a range)"),
            new CheckRule(PROJECT_NOT_DEFAULT, Severity.WARNING,
                    "the app belongs to a project of its own, not the unrestricted 'default' project"),
            new CheckRule(DESTINATION_NAMESPACE, Severity.WARNING, "the destination namespace is set"),
            new CheckRule(DESTINATION_CLUSTER, Severity.ERROR,
                    "the destination names exactly one cluster, by server or by name"),
            new CheckRule(SOURCE_DEFINED, Severity.ERROR, "the app has a source (spec.source or spec.sources)"),
            new CheckRule(PATH_EXISTS, Severity.ERROR,
                    "a source from this workspace's repository points at a path that exists in the workspace"),
            new CheckRule(VALUE_FILES_EXIST, Severity.WARNING,
                    "helm valueFiles of a workspace source exist beside the chart"),
            new CheckRule(PROJECT_EXISTS, Severity.ERROR,
                    "the app's project is defined by an AppProject in the workspace (when projects are there)"),
            new CheckRule(AUTOMATED_PRUNE, Severity.INFO,
                    "automated sync without prune leaves deleted resources running")));

    private final Path workspace;
    private final Set<String> workspaceRepos;

    /**
     * Checks against a workspace.
     *
     * @param workspace      the workspace root
     * @param workspaceRepos repository URLs that this workspace is a checkout of, in any spelling ({@link #repoKey})
     */
    ArgoChecks(Path workspace, Collection<String> workspaceRepos) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.workspaceRepos = workspaceRepos.stream().map(ArgoChecks::repoKey).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A repository URL reduced to host/owner/name, so https, ssh and {@code .git} spellings compare equal.
     *
     * @param url a repoURL
     * @return the key, lower case
     */
    static String repoKey(String url) {
        if (url == null) {
            return "";
        }
        String u = url.trim().toLowerCase(Locale.ROOT);
        u = u.replaceFirst("^[a-z+]+://", "").replaceFirst("^[^@/]+@", "");
        u = u.replaceFirst("^([^/:]+):(?!\\d)", "$1/");
        u = u.replaceAll("/+$", "").replaceFirst("\\.git$", "");
        return u;
    }

    /**
     * Checks one app and describes its sources.
     *
     * @param app      the app
     * @param projects names of the AppProjects in the workspace (empty when none are there)
     * @param findings where findings go, ignore annotations applied
     * @return the JSON description of each source
     */
    List<Map<String, Object>> check(ArgoApp app, Set<String> projects, Consumer<Finding> findings) {
        List<Finding> out = new ArrayList<>();
        ObjectRef ref = app.document().ref();
        String file = app.document().file();
        Map<String, Object> spec = app.spec();
        String what = app.kind().equals("ApplicationSet") ? "the ApplicationSet's template" : "the app";

        if (app.sources().isEmpty() && !ManifestValues.isMap(spec, "sourceHydrator")) {
            out.add(Finding.of(SOURCE_DEFINED, Severity.ERROR, ref, file, lineOf(app, spec, "source"),
                    what + " has neither spec.source nor spec.sources", "Add a source with repoURL and path or chart."));
        }
        List<Map<String, Object>> described = new ArrayList<>();
        for (Map<String, Object> source : app.sources()) {
            described.add(checkSource(app, source, out));
        }

        String project = app.project();
        if (!project.contains("{{")) {
            if (project.equals("default")) {
                out.add(Finding.of(PROJECT_NOT_DEFAULT, Severity.WARNING, ref, file, lineOf(app, spec, "project"),
                        what + " uses the 'default' project, which allows any source, destination and resource",
                        "Create an AppProject that limits sourceRepos and destinations, and set spec.project to it."));
            } else if (!projects.isEmpty() && !projects.contains(project)) {
                out.add(Finding.of(PROJECT_EXISTS, Severity.ERROR, ref, file, lineOf(app, spec, "project"),
                        what + " names project '" + project + "', which no AppProject in the workspace defines"
                                + " (defined: " + String.join(", ", projects) + ")",
                        "Fix spec.project or add the AppProject; Argo CD refuses apps of unknown projects."));
            }
        }

        Map<String, Object> dest = app.destination();
        boolean server = ManifestValues.string(dest, "server") != null;
        boolean name = ManifestValues.string(dest, "name") != null;
        if (server == name) {
            out.add(Finding.of(DESTINATION_CLUSTER, Severity.ERROR, ref, file, lineOf(app, spec, "destination"),
                    server ? what + " sets both destination.server and destination.name; Argo CD accepts only one"
                            : what + " names no destination cluster (destination.server or destination.name)",
                    "Set exactly one of destination.server (API URL) or destination.name (cluster name)."));
        }
        String ns = ManifestValues.string(dest, "namespace");
        if (ns == null || ns.isBlank()) {
            out.add(Finding.of(DESTINATION_NAMESPACE, Severity.WARNING, ref, file, lineOf(app, spec, "destination"),
                    what + " sets no destination.namespace: namespaced resources without their own namespace land"
                            + " in whatever namespace Argo CD's kubectl context defaults to",
                    "Set destination.namespace."));
        }

        if (app.automated() && !ManifestValues.bool(spec, "syncPolicy", "automated", "prune").orElse(false)) {
            out.add(Finding.of(AUTOMATED_PRUNE, Severity.INFO, ref, file, lineOf(app, spec, "syncPolicy"),
                    what + " syncs automatically without prune: resources removed from git keep running",
                    "Set syncPolicy.automated.prune: true, or prune by hand after removals."));
        }
        for (Finding f : out) {
            findings.accept(IgnoreAnnotations.apply(f, app.document().map()));
        }
        return described;
    }

    private Map<String, Object> checkSource(ArgoApp app, Map<String, Object> source, List<Finding> out) {
        ObjectRef ref = app.document().ref();
        String file = app.document().file();
        String what = app.kind().equals("ApplicationSet") ? "the ApplicationSet's template" : "the app";
        String repo = ManifestValues.string(source, "repoURL");
        String path = ManifestValues.string(source, "path");
        String chart = ManifestValues.string(source, "chart");
        String revision = ManifestValues.string(source, "targetRevision");
        boolean helmRepo = chart != null && path == null;
        RevisionPin pin = RevisionPin.of(revision, helmRepo);

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("repoURL", repo);
        j.put("path", path);
        j.put("chart", chart);
        j.put("targetRevision", revision);
        j.put("revision_pin", pin.json());
        if (ManifestValues.string(source, "ref") != null) {
            j.put("ref", ManifestValues.string(source, "ref"));
        }
        Map<String, Object> helm = ManifestValues.map(source, "helm");
        List<String> valueFiles = ManifestValues.list(helm, "valueFiles").stream().map(String::valueOf).toList();
        if (!helm.isEmpty()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("releaseName", ManifestValues.string(helm, "releaseName"));
            h.put("valueFiles", valueFiles);
            // inline values are configuration and may hold credentials: show that they exist, not what they say
            h.put("inline_values", helm.containsKey("values") || helm.containsKey("valuesObject"));
            h.put("parameters", ManifestValues.maps(helm, "parameters").size());
            j.put("helm", h);
        }

        if (!pin.pinned() && pin != RevisionPin.TEMPLATED) {
            String shown = revision == null || revision.isBlank() ? "(unset, i.e. HEAD)" : "'" + revision + "'";
            String meaning = switch (pin) {
                case HEAD -> "follows the default branch";
                case RANGE -> "is a version range: the newest matching chart is deployed at each sync";
                default -> "looks like a branch: what it deploys changes whenever the branch moves";
            };
            out.add(Finding.of(TARGET_REVISION_PINNED, Severity.WARNING, ref, file,
                    app.document().lineOf(source, "targetRevision"),
                    what + " source " + (repo == null ? "" : repo + " ") + "targetRevision " + shown + " " + meaning,
                    helmRepo ? "Pin an exact chart version, e.g. 1.4.2."
                            : "Pin a release tag (e.g. v1.8.2) or a commit SHA; promote by changing it in git."));
        }

        boolean inWorkspace = repo != null && workspaceRepos.contains(repoKey(repo));
        j.put("in_workspace", inWorkspace);
        if (inWorkspace && path != null && !path.contains("{{")) {
            Path resolved = workspace.resolve(path).normalize();
            boolean inside = resolved.startsWith(workspace);
            boolean exists = inside && Files.exists(resolved);
            j.put("path_exists", exists);
            if (!exists) {
                out.add(Finding.of(PATH_EXISTS, Severity.ERROR, ref, file, app.document().lineOf(source, "path"),
                        inside ? what + " points at path '" + path + "', which does not exist in the workspace"
                                : what + " path '" + path + "' leaves the repository",
                        "Fix source.path (relative to the repository root) or add the missing folder."));
            } else if (!valueFiles.isEmpty()
                    && !ManifestValues.bool(helm, "ignoreMissingValueFiles").orElse(false)) {
                for (String vf : valueFiles) {
                    if (vf.startsWith("$") || vf.contains("://") || vf.contains("{{")) {
                        continue; // another source's ref, a URL or a template: not a file of this checkout
                    }
                    Path valuesPath = resolved.resolve(vf).normalize();
                    if (!valuesPath.startsWith(workspace) || !Files.isRegularFile(valuesPath)) {
                        out.add(Finding.of(VALUE_FILES_EXIST, Severity.WARNING, ref, file,
                                app.document().lineOf(helm, "valueFiles"),
                                what + " lists helm value file '" + vf + "', which is not in " + path,
                                "Add the file beside the chart, remove it from valueFiles, or set"
                                        + " ignoreMissingValueFiles: true if it is optional."));
                    }
                }
            }
        }
        return j;
    }

    private static int lineOf(ArgoApp app, Map<String, Object> spec, String key) {
        return app.document().lineOf(spec, key);
    }
}
