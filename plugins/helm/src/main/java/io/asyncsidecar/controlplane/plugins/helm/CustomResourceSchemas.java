package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.ConfigLists;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.kit.checks.WorkspaceManifests;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.helidon.config.Config;

/**
 * The CustomResourceDefinitions known for a chart, and the lookup from a custom resource's apiVersion and kind
 * to the schema of that version: what schema validation ({@link SchemaChecks}) and the CEL rules of a CRD
 * ({@code x-kubernetes-validations}) both need.
 *
 * <p>Where CRDs come from, first found wins for a group and kind: the chart's own objects of kind
 * {@code CustomResourceDefinition} (CRDs under {@code templates/}, as the KEDA chart ships them); the chart's
 * {@code crds/} folder and those of its unpacked subcharts ({@code charts/<name>/crds/}), which Helm installs
 * but does not render, so {@code helm template} does not print them; then the configured folders
 * ({@code plugins.helm.crds}, relative to the workspace, see {@link #folders}). Files are read through
 * {@link WorkspaceManifests}, so they stay inside the workspace, and parsed by {@link SafeYaml}. Both
 * {@code apiextensions.k8s.io/v1} (a schema per version) and {@code v1beta1} (one {@code spec.validation} for
 * all versions) CRDs are read.
 *
 * <p>Use: {@code CustomResourceSchemas.of(chart, folders)} (once per chart: the instance of a chart is shared
 * by every group that asks for it), then {@link #find(String, String)} with an object's apiVersion and kind.
 */
final class CustomResourceSchemas {

    private static final String CRD_KIND = "CustomResourceDefinition";
    private static final String CRD_GROUP = "apiextensions.k8s.io/";

    /** The last chart's instance, so groups of one check share it; weak, so it goes with the chart. */
    private static volatile Shared last = new Shared(new WeakReference<>(null), List.of(), null);

    private record Shared(WeakReference<ChartUnderCheck> chart, List<String> folders,
                          CustomResourceSchemas schemas) {
    }

    /**
     * One CRD.
     *
     * @param name     metadata.name, e.g. {@code scaledobjects.keda.sh}
     * @param group    spec.group
     * @param kind     spec.names.kind
     * @param versions its versions, in the CRD's order
     * @param file     the file it was read from, relative to the workspace
     * @param line     the line of its document
     */
    record Crd(String name, String group, String kind, List<Version> versions, String file, int line) {

        /** @return the version of that name, or empty */
        Optional<Version> version(String name) {
            return versions.stream().filter(v -> v.name().equals(name)).findFirst();
        }

        /** @return the names of the versions it serves */
        List<String> served() {
            return versions.stream().filter(Version::served).map(Version::name).toList();
        }
    }

    /** One version of a CRD; its schema is compiled when first asked for. */
    static final class Version {

        private final String crd;
        private final String name;
        private final boolean served;
        private final Map<String, Object> openApiV3Schema;
        private StructuralSchema structural;

        Version(String crd, String name, boolean served, Map<String, Object> openApiV3Schema) {
            this.crd = crd;
            this.name = name;
            this.served = served;
            this.openApiV3Schema = openApiV3Schema;
        }

        /** @return the CRD's name, e.g. {@code scaledobjects.keda.sh} */
        String crd() {
            return crd;
        }

        /** @return the version's name, e.g. {@code v1alpha1} */
        String name() {
            return name;
        }

        /** @return whether the API server serves it */
        boolean served() {
            return served;
        }

        /**
         * @return its {@code openAPIV3Schema} as plain values, as the CRD wrote it (with
         *         {@code x-kubernetes-validations}), or null when it has none
         */
        Map<String, Object> openApiV3Schema() {
            return openApiV3Schema;
        }

        /** @return the compiled structural schema, or null when the version has none */
        synchronized StructuralSchema structural() {
            if (structural == null && openApiV3Schema != null) {
                structural = StructuralSchema.ofCrd(openApiV3Schema);
            }
            return structural;
        }
    }

    /**
     * A CRD source that could not be read.
     *
     * @param file    the file or folder, relative to the workspace
     * @param line    the line, 0 when unknown
     * @param message what is wrong
     */
    record Problem(String file, int line, String message) {
    }

    private final Map<String, Crd> byGroupKind;
    private final List<Problem> problems;

    private CustomResourceSchemas(Map<String, Crd> byGroupKind, List<Problem> problems) {
        this.byGroupKind = Map.copyOf(byGroupKind);
        this.problems = List.copyOf(problems);
    }

    /**
     * The configured CRD folders.
     *
     * @param config the {@code plugins.helm} subtree
     * @return the folders of {@code crds} (a list, or one comma-separated string), relative to the workspace
     */
    static List<String> folders(Config config) {
        return ConfigLists.strings(config.get("crds"), "plugins.helm.crds");
    }

    /**
     * The CRDs known for a chart.
     *
     * @param chart   the chart's objects, folder and workspace
     * @param folders the configured CRD folders, relative to the workspace
     * @return the lookup; the same instance for the same chart and folders
     */
    static CustomResourceSchemas of(ChartUnderCheck chart, List<String> folders) {
        Shared s = last;
        if (s.chart().get() == chart && s.folders().equals(folders)) {
            return s.schemas();
        }
        CustomResourceSchemas schemas = load(chart, folders);
        last = new Shared(new WeakReference<>(chart), List.copyOf(folders), schemas);
        return schemas;
    }

    /**
     * The CRD of a custom resource's group and kind.
     *
     * @param group the API group
     * @param kind  the kind
     * @return the CRD, or empty when none is known
     */
    Optional<Crd> crd(String group, String kind) {
        return Optional.ofNullable(byGroupKind.get(group + "/" + kind));
    }

    /**
     * The schema of a custom resource's version.
     *
     * @param apiVersion the object's apiVersion, e.g. {@code keda.sh/v1alpha1}
     * @param kind       its kind
     * @return the version, or empty when no CRD of that group and kind is known or it has no such version
     */
    Optional<Version> find(String apiVersion, String kind) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return crd(apiVersion.substring(0, slash), kind).flatMap(c -> c.version(apiVersion.substring(slash + 1)));
    }

    /** @return every CRD known, in no particular order */
    List<Crd> all() {
        return List.copyOf(byGroupKind.values());
    }

    /** @return CRD files and folders that could not be read */
    List<Problem> problems() {
        return problems;
    }

    private static CustomResourceSchemas load(ChartUnderCheck chart, List<String> folders) {
        Map<String, Crd> crds = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (RenderedObject o : chart.objects()) {
            if (CRD_KIND.equals(o.kind()) && !(chart.textual() && templated(o))) {
                add(crds, o.document());
            }
        }
        SafeYaml yaml = SafeYaml.create();
        Path workspace = chart.workspace();
        for (Path dir : chartCrdFolders(chart.chartDir())) {
            String relative = WorkspacePaths.display(workspace, dir);
            read(workspace, relative + " (the chart's crds/)", relative, yaml, crds, problems);
        }
        for (String folder : folders) {
            read(workspace, "plugins.helm.crds", folder, yaml, crds, problems);
        }
        return new CustomResourceSchemas(crds, problems);
    }

    private static List<Path> chartCrdFolders(Path chartDir) {
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(chartDir.resolve("crds"))) {
            dirs.add(chartDir.resolve("crds"));
        }
        Path charts = chartDir.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> sub = Files.list(charts)) {
                sub.map(p -> p.resolve("crds")).filter(Files::isDirectory).sorted().forEach(dirs::add);
            } catch (IOException | UncheckedIOException e) {
                // an unreadable charts/ folder: Helm reports it when it renders
            }
        }
        return dirs;
    }

    private static void read(Path workspace, String parameter, String relative, SafeYaml yaml,
                             Map<String, Crd> crds, List<Problem> problems) {
        WorkspaceManifests files;
        try {
            files = WorkspaceManifests.load(workspace, parameter, relative, yaml);
        } catch (ProblemException e) {
            problems.add(new Problem(relative, 0, e.getMessage()));
            return;
        }
        for (Finding f : files.findings()) {
            problems.add(new Problem(f.file(), f.line(), f.message()));
        }
        for (YamlDocument doc : files.objects()) {
            if (CRD_KIND.equals(doc.map().get("kind"))) {
                add(crds, doc);
            }
        }
    }

    /** On a textual reading, a CRD whose schema holds a value only rendering knows is not used. */
    private static boolean templated(RenderedObject o) {
        Object spec = o.manifest().get("spec");
        return String.valueOf(spec).contains(TemplateText.UNKNOWN) || o.mayHoldGenerated(spec, key -> true);
    }

    private static void add(Map<String, Crd> crds, YamlDocument doc) {
        Map<String, Object> m = doc.map();
        String apiVersion = ManifestValues.string(m, "apiVersion");
        String group = ManifestValues.string(m, "spec", "group");
        String kind = ManifestValues.string(m, "spec", "names", "kind");
        if (apiVersion == null || !apiVersion.startsWith(CRD_GROUP) || group == null || kind == null) {
            return;
        }
        String name = ManifestValues.string(m, "metadata", "name");
        String crdName = name == null ? kind + "." + group : name;
        Map<String, Object> common = ManifestValues.map(m, "spec", "validation", "openAPIV3Schema");
        List<Version> versions = new ArrayList<>();
        for (Map<String, Object> v : ManifestValues.maps(m, "spec", "versions")) {
            String versionName = ManifestValues.string(v, "name");
            if (versionName == null) {
                continue;
            }
            Map<String, Object> schema = ManifestValues.map(v, "schema", "openAPIV3Schema");
            versions.add(new Version(crdName, versionName, !Boolean.FALSE.equals(v.get("served")),
                    schema.isEmpty() ? (common.isEmpty() ? null : common) : schema));
        }
        String single = ManifestValues.string(m, "spec", "version");
        if (versions.isEmpty() && single != null) {
            versions.add(new Version(crdName, single, true, common.isEmpty() ? null : common));
        }
        crds.putIfAbsent(group + "/" + kind, new Crd(crdName, group, kind, List.copyOf(versions), doc.file(),
                doc.line()));
    }
}
