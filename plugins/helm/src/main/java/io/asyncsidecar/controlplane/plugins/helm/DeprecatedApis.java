package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

/**
 * The {@code helm.api-removed} and {@code helm.api-deprecated} checks: a chart object whose apiVersion and kind
 * the target Kubernetes version no longer serves (it will not apply), or serves as deprecated (it will stop
 * applying at a known release). The table is {@code deprecated-apis.yaml} beside this class, written from the
 * Kubernetes deprecated API migration guide; see the file's header for its sources.
 *
 * <p>An apiVersion the template picks by what the cluster serves ({@code .Capabilities.APIVersions.Has}, in the
 * template or in a helper it includes: the usual "policy/v1 if the cluster has it, else policy/v1beta1") is not
 * judged: an offline render takes the branch for Helm's default API set, not for the target cluster, which
 * {@code helm install} asks. On a textual reading of the raw templates both branches of an {@code if} survive, so
 * an apiVersion under any condition on the cluster ({@code .Capabilities}, {@code KubeVersion},
 * {@code semverCompare}) is not judged either. Conditions on the Kubernetes version Helm evaluates with
 * {@code ?kubeVersion=}, so a rendered object chosen by one is judged.
 */
final class DeprecatedApis implements ObjectChecks {

    private static final String RESOURCE = "deprecated-apis.yaml";
    private static final String GUIDE = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/";
    /** major.minor at the start of a Kubernetes version: 1.25, 1.25.3, v1.29.0-eks-123. */
    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:[.+-].*)?$");
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
    /**
     * A condition on the APIs the cluster serves. Helm renders offline with its default set (group/versions
     * only, no {@code group/version/Kind}, whatever the Kubernetes version), so the branch it takes says nothing
     * about what a real cluster gets: {@code helm install} asks the cluster.
     */
    private static final Pattern SERVED_CONDITION = Pattern.compile("APIVersions");
    /** On a textual reading, any condition on the cluster: both branches survive, none was evaluated. */
    private static final Pattern CLUSTER_CONDITION = Pattern.compile("Capabilities|KubeVersion|semverCompare");
    private static final Pattern INCLUDE = Pattern.compile("\\b(?:include|template)\\s+\"([^\"]+)\"");
    private static final Pattern DEFINE = Pattern.compile("^define\\s+\"([^\"]+)\"");
    /** Helper files larger than this are not searched for {@code define}s. */
    private static final long MAX_HELPER_BYTES = 1024 * 1024;

    private static final DeprecatedApis TABLE = load();

    /**
     * A Kubernetes minor release.
     *
     * @param major the major version
     * @param minor the minor version
     */
    record Version(int major, int minor) implements Comparable<Version> {

        /**
         * Parses a Kubernetes version; only major and minor matter.
         *
         * @param text e.g. {@code 1.25}, {@code 1.25.3}, {@code v1.29.0-eks-123}
         * @return the version
         * @throws IllegalArgumentException when the text is not a Kubernetes version
         */
        static Version parse(String text) {
            Matcher m = VERSION.matcher(text == null ? "" : text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a Kubernetes version: '" + text + "'");
            }
            return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        @Override
        public int compareTo(Version o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        boolean atLeast(Version o) {
            return compareTo(o) >= 0;
        }

        @Override
        public String toString() {
            return "v" + major + "." + minor;
        }
    }

    /**
     * An API that replaces a deprecated one.
     *
     * @param apiVersion its apiVersion
     * @param since      the release it is served from
     * @param removedIn  the release it is no longer served in, or null
     */
    record Replacement(String apiVersion, Version since, Version removedIn) {

        boolean servedAt(Version target) {
            return target.atLeast(since) && (removedIn == null || !target.atLeast(removedIn));
        }
    }

    /**
     * One row of the table.
     *
     * @param apiVersion   the deprecated apiVersion
     * @param kinds        the kinds of that apiVersion the row is about
     * @param deprecatedIn the release that deprecated it
     * @param removedIn    the release that stopped serving it
     * @param replacements what to move to, in order of availability
     * @param changes      the field changes the guide names, or null
     * @param guide        the anchor of the guide's section
     * @param migration    what to do when no replacement API is served at the target, or null
     */
    record Api(String apiVersion, List<String> kinds, Version deprecatedIn, Version removedIn,
               List<Replacement> replacements, String changes, String guide, String migration) {

        /** @return the newest replacement served at the target, else the first not removed by then, else null */
        Replacement replacementAt(Version target) {
            Replacement served = null;
            for (Replacement r : replacements) {
                if (r.servedAt(target)) {
                    served = r;
                }
            }
            if (served != null) {
                return served;
            }
            return replacements.stream().filter(r -> r.removedIn() == null || !target.atLeast(r.removedIn()))
                    .findFirst().orElse(null);
        }
    }

    private final List<Api> apis;
    private final Map<String, Api> byApiAndKind;

    private DeprecatedApis(List<Api> apis) {
        this.apis = List.copyOf(apis);
        Map<String, Api> map = new HashMap<>();
        for (Api a : apis) {
            for (String kind : a.kinds()) {
                if (map.put(a.apiVersion() + " " + kind, a) != null) {
                    throw new IllegalStateException(RESOURCE + ": " + a.apiVersion() + " " + kind + " is listed twice");
                }
            }
        }
        this.byApiAndKind = Map.copyOf(map);
    }

    /** @return the table shipped with the plugin */
    static DeprecatedApis table() {
        return TABLE;
    }

    /**
     * The row about an apiVersion and kind.
     *
     * @param apiVersion the apiVersion
     * @param kind       the kind
     * @return the row, or null when the API is not deprecated
     */
    Api find(String apiVersion, String kind) {
        return byApiAndKind.get(apiVersion + " " + kind);
    }

    /** @return the rows, in the file's order */
    List<Api> apis() {
        return apis;
    }

    /**
     * Checks a chart's objects against a Kubernetes version.
     *
     * @param objects     the objects (rendered, or read from the raw templates)
     * @param kubeVersion the target version, as {@code ?kubeVersion=} or {@code plugins.helm.kube-version} give it
     * @param textual     true when the objects come from a textual reading of the templates
     * @param workspace   the workspace root (the objects' files are relative to it)
     * @param chartDir    the chart folder (its helpers are searched for the templates' includes)
     * @return the findings, ignore annotations applied
     */
    @Override
    public List<CheckRule> rules() {
        return HelmRules.ALL.stream().filter(r -> r.id().equals(HelmRules.API_REMOVED)
                || r.id().equals(HelmRules.API_DEPRECATED)).toList();
    }

    @Override
    public List<Finding> check(ChartUnderCheck chart) {
        return check(chart.objects(), chart.kubeVersion(), chart.textual(), chart.workspace(), chart.chartDir());
    }

    List<Finding> check(List<RenderedObject> objects, String kubeVersion, boolean textual, Path workspace,
                        Path chartDir) {
        Version target = Version.parse(kubeVersion);
        List<Finding> findings = new ArrayList<>();
        Templates templates = new Templates(workspace, chartDir);
        for (RenderedObject o : objects) {
            String apiVersion = ManifestValues.string(o.manifest(), "apiVersion");
            Api api = apiVersion == null ? null : find(apiVersion, o.kind());
            if (api == null || !target.atLeast(api.deprecatedIn())) {
                continue;
            }
            int line = Math.max(0, o.line(o.manifest(), "apiVersion"));
            if (templates.picksApiForTheCluster(o, line, textual)) {
                continue;
            }
            findings.add(IgnoreAnnotations.apply(finding(o, api, target, line), o.manifest()));
        }
        return findings;
    }

    private static Finding finding(RenderedObject o, Api api, Version target, int line) {
        Replacement to = api.replacementAt(target);
        String use = to == null ? "; it has no replacement API"
                : to.servedAt(target) ? "; use " + to.apiVersion() + " " + o.kind()
                : "; its replacement " + to.apiVersion() + " is served from " + to.since();
        String subject = o.kind() + "/" + o.name() + " uses " + api.apiVersion() + " " + o.kind();
        boolean removed = target.atLeast(api.removedIn());
        String message = removed
                ? subject + ", which Kubernetes removed in " + api.removedIn() + " (deprecated since "
                        + api.deprecatedIn() + "): a " + target + " API server does not serve it and the object will"
                        + " not apply" + use
                : subject + ", deprecated since " + api.deprecatedIn() + " and removed in " + api.removedIn()
                        + ": it still applies at " + target + " but stops applying once the cluster reaches "
                        + api.removedIn() + use;
        return Finding.of(removed ? HelmRules.API_REMOVED : HelmRules.API_DEPRECATED,
                removed ? Severity.ERROR : Severity.WARNING, o.ref(), o.document().file(), line, message,
                remediation(api, to, target));
    }

    private static String remediation(Api api, Replacement to, Version target) {
        StringBuilder r = new StringBuilder();
        if (to == null) {
            r.append(Objects.requireNonNullElse(api.migration(), "Remove the object: its API has no successor"))
                    .append('.');
        } else {
            r.append("Move the object to apiVersion ").append(to.apiVersion()).append(to.servedAt(target)
                    ? " (served since " + to.since() + ")" : " once the cluster runs " + to.since() + " or later");
            r.append(api.changes() == null ? "; the guide names no field changes." : "; " + api.changes() + ".");
            if (to.removedIn() != null) {
                r.append(' ').append(to.apiVersion()).append(" is itself removed in ").append(to.removedIn());
                int next = api.replacements().indexOf(to) + 1;
                if (next < api.replacements().size()) {
                    Replacement then = api.replacements().get(next);
                    r.append(" (").append(then.apiVersion()).append(" is served from ").append(then.since())
                            .append(')');
                }
                r.append('.');
                if (api.migration() != null) {
                    r.append(' ').append(api.migration()).append('.');
                }
            }
        }
        r.append(" See ").append(GUIDE).append('#').append(api.guide());
        return r.toString();
    }

    /** The raw templates and helpers of one chart, read once per check and only when an object needs them. */
    private static final class Templates {

        private final Path workspace;
        private final Path chartDir;
        private final Map<String, List<String>> files = new HashMap<>();
        private Map<String, String> defines;

        Templates(Path workspace, Path chartDir) {
            this.workspace = workspace.toAbsolutePath().normalize();
            this.chartDir = chartDir;
        }

        /**
         * Whether the template picks the object's apiVersion by a condition on the cluster (see the class
         * comment), so its value here says nothing about what the target cluster gets.
         *
         * @param o       the object
         * @param line    the template line of its apiVersion
         * @param textual whether the object comes from a textual reading
         * @return true when the object is not to be judged
         */
        boolean picksApiForTheCluster(RenderedObject o, int line, boolean textual) {
            List<String> lines = lines(o.document().file());
            if (lines.isEmpty() || line <= 0 || line > lines.size()) {
                // A textual reading is only trusted where the template can be looked at; Helm's output always is.
                return textual;
            }
            Pattern condition = textual ? CLUSTER_CONDITION : SERVED_CONDITION;
            List<String> open = openBlocks(String.join("\n", lines.subList(0, line - 1)));
            return open.stream().anyMatch(c -> condition.matcher(c).find())
                    || helperDecides(lines.get(line - 1), condition, 0);
        }

        /** Whether a template text includes a helper whose body (or one it includes) tests the condition. */
        private boolean helperDecides(String text, Pattern condition, int depth) {
            if (depth > 5) {
                return false;
            }
            Matcher m = INCLUDE.matcher(text);
            while (m.find()) {
                String body = defines().get(m.group(1));
                if (body != null && (condition.matcher(body).find() || helperDecides(body, condition, depth + 1))) {
                    return true;
                }
            }
            return false;
        }

        private List<String> lines(String file) {
            if (file == null) {
                return List.of();
            }
            return files.computeIfAbsent(file, f -> {
                try {
                    return WorkspaceFiles.of(workspace).readString(workspace.resolve(f)).lines().toList();
                } catch (IOException | RuntimeException e) {
                    return List.of();
                }
            });
        }

        /** Every {@code define} of the chart and its subcharts, name to body. */
        private Map<String, String> defines() {
            if (defines != null) {
                return defines;
            }
            defines = new HashMap<>();
            if (chartDir == null || !Files.isDirectory(chartDir)) {
                return defines;
            }
            WorkspaceFiles chartFiles = WorkspaceFiles.of(workspace).within(chartDir);
            List<Path> helpers;
            try {
                helpers = chartFiles.walk(chartDir, p -> {
                    String n = p.getFileName().toString();
                    return Files.isDirectory(p) || n.endsWith(".tpl") || n.endsWith(".yaml") || n.endsWith(".yml");
                }).files();
            } catch (IOException e) {
                return defines;
            }
            for (Path p : helpers) {
                try {
                    collectDefines(chartFiles.readString(p, MAX_HELPER_BYTES), defines);
                } catch (IOException | RuntimeException e) {
                    // an unreadable helper defines nothing we can look at
                }
            }
            return defines;
        }
    }

    /** The conditions of the blocks still open at the end of a template text, outermost first. */
    static List<String> openBlocks(String text) {
        Deque<String> open = new ArrayDeque<>();
        Matcher m = ACTION.matcher(text);
        while (m.find()) {
            String action = m.group(1).strip();
            switch (action.split("\\s+", 2)[0]) {
                case "if", "with", "range", "define", "block" -> open.push(action);
                case "else" -> {
                    if (!open.isEmpty()) {
                        open.push(open.pop() + " " + action);
                    }
                }
                case "end" -> {
                    if (!open.isEmpty()) {
                        open.pop();
                    }
                }
                default -> {
                    // other actions neither open nor close a block
                }
            }
        }
        List<String> outermostFirst = new ArrayList<>(open);
        Collections.reverse(outermostFirst);
        return outermostFirst;
    }

    /** Adds each {@code define "name"} of a template text, with the text up to its matching {@code end}. */
    static void collectDefines(String text, Map<String, String> into) {
        record Open(String define, int bodyStart) {
        }
        Deque<Open> open = new ArrayDeque<>();
        Matcher m = ACTION.matcher(text);
        while (m.find()) {
            String action = m.group(1).strip();
            switch (action.split("\\s+", 2)[0]) {
                case "define" -> {
                    Matcher d = DEFINE.matcher(action);
                    open.push(new Open(d.find() ? d.group(1) : null, m.end()));
                }
                case "if", "with", "range", "block" -> open.push(new Open(null, m.end()));
                case "end" -> {
                    if (!open.isEmpty()) {
                        Open o = open.pop();
                        if (o.define() != null) {
                            into.putIfAbsent(o.define(), text.substring(o.bodyStart(), m.start()));
                        }
                    }
                }
                default -> {
                    // else and other actions neither open nor close a block
                }
            }
        }
    }

    private static DeprecatedApis load() {
        String text;
        try (InputStream in = DeprecatedApis.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the helm plugin's " + RESOURCE + " is missing from its jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        YamlFile parsed = SafeYaml.create().parse(text, RESOURCE, 1);
        if (parsed.error() != null || parsed.documents().size() != 1) {
            throw new IllegalStateException(RESOURCE + " does not parse: " + (parsed.error() == null
                    ? parsed.documents().size() + " documents" : parsed.error().message()));
        }
        List<Api> apis = new ArrayList<>();
        for (Map<String, Object> row : ManifestValues.maps(parsed.documents().getFirst().map(), "apis")) {
            List<Replacement> replacements = new ArrayList<>();
            for (Map<String, Object> r : ManifestValues.maps(row, "replacements")) {
                String removed = ManifestValues.string(r, "removedIn");
                replacements.add(new Replacement(required(r, "apiVersion"), Version.parse(required(r, "since")),
                        removed == null ? null : Version.parse(removed)));
            }
            List<String> kinds = ManifestValues.list(row, "kinds").stream().map(String::valueOf).toList();
            if (kinds.isEmpty()) {
                throw new IllegalStateException(RESOURCE + ": " + row.get("apiVersion") + " lists no kinds");
            }
            apis.add(new Api(required(row, "apiVersion"), kinds, Version.parse(required(row, "deprecatedIn")),
                    Version.parse(required(row, "removedIn")), List.copyOf(replacements),
                    ManifestValues.string(row, "changes"), required(row, "guide"),
                    ManifestValues.string(row, "migration")));
        }
        return new DeprecatedApis(apis);
    }

    private static String required(Map<String, Object> row, String key) {
        String v = ManifestValues.string(row, key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(RESOURCE + ": an entry lacks " + key + ": " + row);
        }
        return v;
    }
}
