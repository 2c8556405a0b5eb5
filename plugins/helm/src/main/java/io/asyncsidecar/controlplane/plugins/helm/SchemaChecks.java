package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.kit.EditDistance;
import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.helidon.config.Config;

/**
 * Schema validation of every object of a chart, as {@code kubeconform -strict} does ({@code helm.schema}):
 * unknown fields, wrong types, missing required fields and values outside the schema (enum, bounds, pattern,
 * lengths), each with its field path and template line. Built-in kinds validate against the Kubernetes OpenAPI
 * documents of the target version in {@code plugins.helm.schemas.dir} ({@link OpenApiSchemas}); custom resources
 * against their CRD's {@code openAPIV3Schema} ({@link CustomResourceSchemas}). A kind with no schema is not an
 * error: one {@code helm.schema-unknown} info per apiVersion and kind says it was not validated (kubeconform's
 * {@code -ignore-missing-schemas}), once any schema source is configured.
 *
 * <p>On a textual reading (no Helm engine) values and generated blocks are not what Helm would produce, so only
 * unknown fields are reported, and only those whose key stands literally on its template line.
 */
final class SchemaChecks implements ObjectChecks {

    static final String SCHEMA = "helm.schema";
    static final String SCHEMA_UNKNOWN = "helm.schema-unknown";

    static final List<CheckRule> RULES = List.of(
            new CheckRule(SCHEMA, Severity.ERROR, "Every object validates against the schema of its kind (the"
                    + " Kubernetes OpenAPI documents of the target version, or its CRD): no unknown fields, no wrong"
                    + " types, no missing required fields, values within the schema's constraints."),
            new CheckRule(SCHEMA_UNKNOWN, Severity.INFO, "Every object's kind has a schema to validate against"
                    + " (an OpenAPI document in plugins.helm.schemas.dir, or a known CRD)."));

    /** Suggestions for a misspelt field go this far (edits). */
    private static final int MAX_DISTANCE = 2;
    private static final int MAX_LISTED_FIELDS = 12;
    private static final Pattern BUILT_IN_GROUP = Pattern.compile("[^.]*|.*\\.k8s\\.io");

    /**
     * The configuration ({@code plugins.helm.schemas.*}, {@code plugins.helm.crds}).
     *
     * @param enabled      whether to validate at all ({@code schemas.enabled}, default true)
     * @param dir          folder of Kubernetes OpenAPI documents, absolute or relative to the workspace
     *                     ({@code schemas.dir}); empty (the default): built-in kinds are not validated
     * @param crdFolders   workspace folders of CRDs ({@code crds}), beside the chart's own
     * @param maxPerObject findings reported per object before one "and N more" ({@code schemas.max-findings-per-object},
     *                     default 50)
     */
    record Settings(boolean enabled, String dir, List<String> crdFolders, int maxPerObject) {

        Settings {
            if (maxPerObject < 1) {
                throw new IllegalArgumentException("plugins.helm.schemas.max-findings-per-object must be at least 1,"
                        + " got " + maxPerObject);
            }
            if (dir.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("plugins.helm.schemas.dir contains a NUL character");
            }
            crdFolders = List.copyOf(crdFolders);
        }

        static Settings from(Config config) {
            Config schemas = config.get("schemas");
            return new Settings(schemas.get("enabled").asBoolean().orElse(true),
                    schemas.get("dir").asString().orElse("").strip(),
                    CustomResourceSchemas.folders(config),
                    schemas.get("max-findings-per-object").asInt().orElse(50));
        }
    }

    /** A schema and where it comes from, for remediations. */
    private record Source(StructuralSchema schema, String name, boolean resource) {
    }

    /** The first object of a kind that could not be validated, and how many there were. */
    private static final class Unvalidated {
        final RenderedObject first;
        final String reason;
        int count;

        Unvalidated(RenderedObject first, String reason) {
            this.first = first;
            this.reason = reason;
        }
    }

    private final Settings settings;
    private final Map<Path, OpenApiSchemas> folders = new ConcurrentHashMap<>();

    SchemaChecks(Settings settings) {
        this.settings = settings;
    }

    /**
     * The checks as configured.
     *
     * @param config the {@code plugins.helm} subtree
     * @return the group
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    static SchemaChecks from(Config config) {
        return new SchemaChecks(Settings.from(config));
    }

    @Override
    public List<CheckRule> rules() {
        return RULES;
    }

    @Override
    public List<Finding> check(ChartUnderCheck chart) {
        if (!settings.enabled()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        DeprecatedApis.Version target = DeprecatedApis.Version.parse(chart.kubeVersion());
        CustomResourceSchemas crds = CustomResourceSchemas.of(chart, settings.crdFolders());
        for (CustomResourceSchemas.Problem p : crds.problems()) {
            findings.add(Finding.of(SCHEMA_UNKNOWN, Severity.WARNING, null, p.file(), p.line(),
                    "CRDs cannot be read: " + p.message() + "; the custom resources they define are not validated",
                    "Fix the file, or point plugins.helm.crds at folders of plain CRD YAML inside the workspace."));
        }
        OpenApiSchemas.Lookup builtIns = builtIns(chart, target, findings);
        Map<String, Unvalidated> unvalidated = new LinkedHashMap<>();
        Templates templates = new Templates(chart.workspace());
        for (RenderedObject o : chart.objects()) {
            String apiVersion = ManifestValues.string(o.manifest(), "apiVersion");
            if (apiVersion == null || o.kind().isEmpty()) {
                continue;
            }
            String reason = check(o, OpenApiSchemas.Gvk.of(apiVersion, o.kind()), crds, builtIns, target,
                    chart.textual(), templates, findings);
            if (reason != null) {
                unvalidated.computeIfAbsent(apiVersion + " " + o.kind(), k -> new Unvalidated(o, reason)).count++;
            }
        }
        unvalidated.forEach((key, u) -> findings.add(unknown(key, u)));
        return findings;
    }

    /**
     * Validates one object against its CRD's schema, else its built-in schema.
     *
     * @return why it was not validated, when that is to be said; else null
     */
    private String check(RenderedObject o, OpenApiSchemas.Gvk gvk, CustomResourceSchemas crds,
                         OpenApiSchemas.Lookup builtIns, DeprecatedApis.Version target, boolean textual,
                         Templates templates, List<Finding> findings) {
        Optional<CustomResourceSchemas.Crd> crd = gvk.group().isEmpty() ? Optional.empty()
                : crds.crd(gvk.group(), gvk.kind());
        if (crd.isPresent()) {
            Optional<CustomResourceSchemas.Version> version = crd.get().version(gvk.version());
            if (version.isEmpty() || !version.get().served()) {
                findings.add(notServed(o, gvk, crd.get()));
                return null;
            }
            StructuralSchema schema = version.get().structural();
            if (schema == null) {
                return "its CRD " + crd.get().name() + " gives version " + gvk.version() + " no openAPIV3Schema";
            }
            validate(o, new Source(schema, "the CRD " + crd.get().name() + " (" + crd.get().file() + "), version "
                    + gvk.version(), true), textual, templates, findings);
            return null;
        }
        OpenApiSchemas.Document doc = builtIns == null ? null : builtIns.find(gvk);
        if (doc != null) {
            validate(o, new Source(doc.kinds().get(gvk), o.ref().apiVersion() + " " + o.kind() + " of Kubernetes "
                    + (doc.version() == null ? "(unversioned)" : doc.version()) + " (" + doc.file().getFileName()
                    + ")", false), textual, templates, findings);
            return null;
        }
        // Without any schema source configured, saying so for every kind would only be noise.
        boolean configured = !settings.dir().isEmpty() || !settings.crdFolders().isEmpty();
        return configured ? whyUnknown(gvk, builtIns, target) : null;
    }

    private OpenApiSchemas.Lookup builtIns(ChartUnderCheck chart, DeprecatedApis.Version target,
                                           List<Finding> findings) {
        if (settings.dir().isEmpty()) {
            return null;
        }
        Path dir;
        boolean operators;
        try {
            operators = Path.of(settings.dir()).isAbsolute();
            dir = operators ? Path.of(settings.dir()).normalize()
                    : WorkspacePaths.resolve(chart.workspace(), "plugins.helm.schemas.dir", settings.dir());
        } catch (ProblemException | java.nio.file.InvalidPathException e) {
            findings.add(sourceProblem(settings.dir(), e.getMessage()));
            return null;
        }
        if (!Files.isDirectory(dir)) {
            findings.add(sourceProblem(settings.dir(), "plugins.helm.schemas.dir names " + settings.dir()
                    + ", which is not a folder"));
            return null;
        }
        OpenApiSchemas.Lookup lookup;
        try {
            lookup = folders.computeIfAbsent(dir, d -> new OpenApiSchemas(d,
                    operators ? null : WorkspaceFiles.of(chart.workspace()))).forVersion(target);
        } catch (UncheckedIOException e) {
            findings.add(sourceProblem(settings.dir(), WorkspaceFiles.describe(e.getCause(), settings.dir())));
            return null;
        }
        for (String p : lookup.problems()) {
            findings.add(sourceProblem(settings.dir(), "schema document " + p));
        }
        return lookup;
    }

    private static Finding sourceProblem(String dir, String message) {
        return Finding.of(SCHEMA_UNKNOWN, Severity.WARNING, null, null, 0, message
                        + "; built-in kinds are not validated against it",
                "Point plugins.helm.schemas.dir (" + dir + ") at a folder of Kubernetes OpenAPI documents"
                        + " (kubectl get --raw /openapi/v3/apis/apps/v1 > apps-v1.json).");
    }

    private void validate(RenderedObject o, Source source, boolean textual, Templates templates,
                          List<Finding> findings) {
        SchemaValidator v = new SchemaValidator(textual, settings.maxPerObject())
                .validate(o.manifest(), source.schema(), source.resource());
        String subject = o.kind() + "/" + o.name();
        int reported = 0;
        for (SchemaValidator.Violation violation : v.violations()) {
            int line = violation.key() != null && violation.holder() instanceof Map<?, ?> m
                    ? o.line(m, violation.key()) : o.line(violation.holder());
            if (textual && !templates.literal(o, line, violation.key())) {
                continue;
            }
            String where = violation.where().isEmpty() ? "" : violation.where() + ": ";
            Finding f = Finding.of(SCHEMA, Severity.ERROR, o.ref(), o.document().file(), Math.max(0, line),
                            subject + ": " + where + violation.message(), remediation(violation, source))
                    .withField(violation.path()).withContainer(violation.container());
            findings.add(IgnoreAnnotations.apply(f, o.manifest()));
            reported++;
        }
        int more = v.count() - v.violations().size();
        if (more > 0 && reported > 0) {
            Finding f = Finding.of(SCHEMA, Severity.ERROR, o.ref(), o.document().file(),
                    Math.max(0, o.line(o.manifest(), "kind")), subject + ": and " + more + " more schema errors not"
                            + " shown (plugins.helm.schemas.max-findings-per-object is " + settings.maxPerObject()
                            + ")", "Fix the errors above and check again; validated against " + source.name() + ".");
            findings.add(IgnoreAnnotations.apply(f, o.manifest()));
        }
    }

    private static String remediation(SchemaValidator.Violation v, Source source) {
        String against = " Validated against " + source.name() + ".";
        return switch (v.kind()) {
            case UNKNOWN_FIELD -> {
                String field = v.path().substring(v.path().lastIndexOf('.') + 1);
                String near = nearest(field, v.known());
                String fix = near != null ? "Did you mean \"" + near + "\"? Rename or remove the field."
                        : v.known().isEmpty() ? "Remove the field."
                        : "Remove the field or use one the schema declares there: " + v.known().stream()
                                .limit(MAX_LISTED_FIELDS).collect(Collectors.joining(", "))
                                + (v.known().size() > MAX_LISTED_FIELDS ? ", ..." : "") + ".";
                yield fix + " The API server rejects unknown fields under strict field validation and drops them"
                        + " otherwise." + against;
            }
            case TYPE -> "Give " + v.path() + " a value of the type the schema asks for; in a template, quote"
                    + " strings (| quote) and leave numbers and booleans unquoted (| int, | toYaml)." + against;
            case REQUIRED -> "Set " + v.path() + "." + against;
            case VALUE -> "Change " + v.path() + " to a value the schema allows." + against;
        };
    }

    /** The declared field closest to a misspelt one, within {@value #MAX_DISTANCE} edits, or null. */
    static String nearest(String field, Set<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String k : known) {
            int d = k.equalsIgnoreCase(field) ? 0 : EditDistance.bounded(field, k, bestDistance);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }


    private static Finding notServed(RenderedObject o, OpenApiSchemas.Gvk gvk, CustomResourceSchemas.Crd crd) {
        List<String> served = crd.served();
        String line = o.kind() + "/" + o.name() + ": apiVersion " + gvk.group() + "/" + gvk.version()
                + " is not a version the CRD "
                + crd.name() + " serves (" + (served.isEmpty() ? "it serves none" : "served: "
                + String.join(", ", served)) + ")";
        Finding f = Finding.of(SCHEMA, Severity.ERROR, o.ref(), o.document().file(),
                Math.max(0, o.line(o.manifest(), "apiVersion")), line,
                served.isEmpty() ? "Serve a version in the CRD (" + crd.file() + ")."
                        : "Use apiVersion " + crd.group() + "/" + served.getLast() + " and the fields of that version.")
                .withField("apiVersion");
        return IgnoreAnnotations.apply(f, o.manifest());
    }

    private String whyUnknown(OpenApiSchemas.Gvk gvk, OpenApiSchemas.Lookup builtIns, DeprecatedApis.Version target) {
        boolean builtInGroup = BUILT_IN_GROUP.matcher(gvk.group()).matches();
        if (!builtInGroup) {
            return "no CRD of " + gvk.group() + " " + gvk.kind() + " is known (the chart's objects, its crds/"
                    + " folder, plugins.helm.crds)";
        }
        // Some *.k8s.io groups are CRDs (Gateway API, Cluster API): say that none is known either.
        String noCrd = gvk.group().contains(".") ? ", and no CRD of it is known" : "";
        if (builtIns == null) {
            return "plugins.helm.schemas.dir, the folder of Kubernetes OpenAPI documents, is not set" + noCrd;
        }
        Set<String> others = builtIns.otherVersions(gvk);
        if (!others.isEmpty()) {
            return "the schema folder describes it for " + String.join(", ", others) + " only, not for the target "
                    + target;
        }
        if (builtIns.documents().isEmpty()) {
            return "the schema folder has no OpenAPI document for Kubernetes " + target + noCrd;
        }
        return "no OpenAPI document for Kubernetes " + target + " in the schema folder defines it" + noCrd;
    }

    private Finding unknown(String apiVersionKind, Unvalidated u) {
        RenderedObject o = u.first;
        String objects = u.count == 1 ? o.kind() + "/" + o.name() : u.count + " objects";
        OpenApiSchemas.Gvk gvk = OpenApiSchemas.Gvk.of(ManifestValues.string(o.manifest(), "apiVersion"), o.kind());
        String path = (gvk.group().isEmpty() ? "api/" : "apis/" + gvk.group() + "/") + gvk.version();
        String remediation = BUILT_IN_GROUP.matcher(gvk.group()).matches()
                ? "Drop the target version's OpenAPI document into plugins.helm.schemas.dir (kubectl get --raw"
                        + " /openapi/v3/" + path + " > " + path.replace('/', '-') + ".json)."
                : "Add the CRD of " + gvk.group() + " to the chart's crds/ folder or to a folder plugins.helm.crds"
                        + " names.";
        Finding f = Finding.of(SCHEMA_UNKNOWN, Severity.INFO, o.ref(), o.document().file(),
                Math.max(0, o.line(o.manifest(), "kind")), apiVersionKind + ": " + objects + " not validated: "
                        + u.reason, remediation);
        return IgnoreAnnotations.apply(f, o.manifest());
    }

    /** Raw template lines, to tell a literal key from one a template action produced. */
    private static final class Templates {

        private final WorkspaceFiles files;
        private final Map<String, List<String>> lines = new HashMap<>();

        Templates(Path workspace) {
            this.files = WorkspaceFiles.of(workspace);
        }

        /** Whether the template line holds the key itself, with no template action on it. */
        boolean literal(RenderedObject o, int line, String key) {
            if (key == null) {
                return false;
            }
            List<String> text = lines.computeIfAbsent(o.document().file(), this::read);
            if (line < 1 || line > text.size()) {
                return false;
            }
            String l = text.get(line - 1);
            String trimmed = l.strip();
            if (trimmed.startsWith("- ")) {
                trimmed = trimmed.substring(2).strip();
            }
            return !l.contains("{{") && (trimmed.startsWith(key + ":") || trimmed.startsWith("\"" + key + "\":")
                    || trimmed.startsWith("'" + key + "':"));
        }

        private List<String> read(String file) {
            try {
                return List.of(files.readString(files.workspace().resolve(file)).split("\n", -1));
            } catch (IOException | java.nio.file.InvalidPathException e) {
                return List.of();
            }
        }
    }
}
