package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.Finding;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The OpenAPI check: reads a spec (a workspace file or a request body) and the files its references name, then runs
 * the path prefix rule and the Spectral-style rules ({@link OpenApiRule}) over it. Immutable and thread-safe; each
 * check has its own state.
 */
public final class OpenApiCheck {

    private static final String PARSE_REMEDIATION = "Fix the syntax at this position; a YAML or JSON linter shows"
            + " the same error.";

    private final Path workspace;
    private final OpenApiSettings settings;
    private final OpenApiReader reader;

    /**
     * A check.
     *
     * @param workspace the workspace root; specs and referenced files are read inside it only
     * @param settings  the settings
     */
    public OpenApiCheck(Path workspace, OpenApiSettings settings) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.settings = settings;
        this.reader = new OpenApiReader(settings.limits());
    }

    /** @return the settings */
    public OpenApiSettings settings() {
        return settings;
    }

    /**
     * Checks a workspace file.
     *
     * @param requested the file a request names (relative to the workspace), or null for the configured one
     * @param prefix    the path prefix for this check, or null for the configured one
     * @return the result; a configured file that is missing or does not parse is a finding
     * @throws ProblemException 400 for a path outside the workspace or a bad prefix, 404 for a requested file that
     *                          does not exist
     */
    public OpenApiResult checkWorkspace(String requested, String prefix) {
        String effectivePrefix = prefix(prefix);
        String parameter = requested == null ? "plugins.compliance.openapi.path" : "path";
        Path file = WorkspacePaths.resolve(workspace, parameter, requested == null ? settings.path() : requested);
        String name = WorkspacePaths.display(workspace, file);
        OpenApiFindings findings = new OpenApiFindings(settings);
        if (!Files.isRegularFile(file)) {
            if (requested != null) {
                throw ProblemException.notFound("'path' names '" + requested + "', which is not a file in the"
                        + " workspace").with("parameter", "path");
            }
            findings.addFile(OpenApiRule.PARSE, name, 0, "The spec '" + name + "' does not exist in the workspace.",
                    "Set plugins.compliance.openapi.path (PLUGINS_COMPLIANCE_OPENAPI_PATH) to the spec's path in the"
                            + " workspace, or post the spec in the request body.");
            return empty(findings, spec("workspace", name, null, null), effectivePrefix);
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > settings.limits().maxFileBytes()) {
                findings.addFile(OpenApiRule.PARSE, name, 0, "The spec is " + size + " bytes, over the limit of "
                        + settings.limits().maxFileBytes() + " (plugins.compliance.openapi.limits.max-file-size).",
                        null);
                return empty(findings, spec("workspace", name, null, null), effectivePrefix);
            }
            // Through the kit's one workspace reader: not a link out, not a special file, within the size limit.
            bytes = WorkspaceFiles.of(workspace).readBytes(file, settings.limits().maxFileBytes());
        } catch (IOException e) {
            findings.addFile(OpenApiRule.PARSE, name, 0, "The spec cannot be read: " + plain(e, name), null);
            return empty(findings, spec("workspace", name, null, null), effectivePrefix);
        }
        OpenApiDocument doc;
        try {
            doc = reader.read(name, file, file.getParent(), bytes,
                    OpenApiFormat.ofFileName(file.getFileName().toString()).orElse(null));
        } catch (OpenApiReadException e) {
            findings.addFile(OpenApiRule.PARSE, name, e.line(), "The spec cannot be parsed: " + e.describe(),
                    PARSE_REMEDIATION);
            return empty(findings, spec("workspace", name, null, null), effectivePrefix);
        }
        OpenApiVersion version = OpenApiVersion.of(doc.root()).orElse(null);
        if (version == null) {
            findings.addFile(OpenApiRule.PARSE, name, 1, "'" + name + "' is not an OpenAPI document: "
                    + notOpenApi(doc.root()), "Point plugins.compliance.openapi.path at the OpenAPI spec.");
            return empty(findings, spec("workspace", name, doc, null), effectivePrefix);
        }
        return run(doc, version, "workspace", effectivePrefix);
    }

    /**
     * Checks a spec sent in a request body. Its relative references resolve in the folder of the configured
     * workspace spec.
     *
     * @param body        the body, not empty
     * @param contentType the request's content type, or null
     * @param prefix      the path prefix for this check, or null for the configured one
     * @return the result
     * @throws ProblemException 415 for a content type that is neither JSON nor YAML, 400 for a body that is not JSON
     *                          or YAML (naming the position), over a limit, or not an OpenAPI document
     */
    public OpenApiResult checkBody(byte[] body, String contentType, String prefix) {
        String effectivePrefix = prefix(prefix);
        OpenApiFormat declared;
        try {
            declared = OpenApiFormat.ofContentType(contentType).orElse(null);
        } catch (IllegalArgumentException e) {
            throw ProblemException.of(415, "Unsupported Media Type", e.getMessage());
        }
        OpenApiFormat guessed = declared != null ? declared : OpenApiFormat.sniff(body);
        Path base = workspace.resolve(settings.path()).normalize().getParent();
        OpenApiDocument doc;
        try {
            doc = reader.read("request-body." + guessed.extension(), null, base == null ? workspace : base, body,
                    declared);
        } catch (OpenApiReadException e) {
            String what = declared == null ? "JSON or YAML" : declared.name();
            throw ProblemException.badRequest(e.limit()
                    ? "request body is over a safety limit: " + e.describe()
                    : "request body is not " + what + ": " + e.describe())
                    .with("line", e.line()).with("column", e.column());
        }
        OpenApiVersion version = OpenApiVersion.of(doc.root()).orElseThrow(() -> ProblemException.badRequest(
                "request body is not an OpenAPI document: " + notOpenApi(doc.root())));
        return run(doc, version, "request", effectivePrefix);
    }

    private OpenApiResult run(OpenApiDocument doc, OpenApiVersion version, String source, String prefix) {
        OpenApiFindings findings = new OpenApiFindings(settings);
        OpenApiDeadline deadline = new OpenApiDeadline(settings.limits().timeLimit());
        OpenApiRefs refs = new OpenApiRefs(workspace, reader, doc, deadline);
        OpenApiContext context = new OpenApiContext(doc, version, refs, findings, deadline, settings, prefix);
        List<OpenApiPathPrefix.PathReport> reports = new ArrayList<>();
        boolean partial = false;
        try {
            OpenApiServers servers = new OpenApiServers(context);
            reports.addAll(new OpenApiPathPrefix(context, servers).run());
            servers.run();
            new OpenApiRefRules(context).run();
            new OpenApiPathRules(context).run();
            new OpenApiOperationRules(context).run();
            new OpenApiParserMessages(context).run();
            new OpenApiExampleRules(context).run();
        } catch (OpenApiDeadline.Exceeded e) {
            partial = true;
            findings.addFile(OpenApiRule.LIMIT, doc.name(), 0, e.getMessage(), "Check a smaller spec, or raise"
                    + " plugins.compliance.openapi.limits.time-limit-ms.");
        } finally {
            deadline.finish();
        }
        for (OpenApiRefs.OpenApiReadFailure f : refs.readFailures()) {
            findings.addFile(OpenApiRule.PARSE, f.name(), f.failure().line(), "The file cannot be parsed: "
                    + f.failure().describe(), PARSE_REMEDIATION);
        }
        List<Finding> all = findings.toFindings();
        int compliant = (int) reports.stream().filter(OpenApiPathPrefix.PathReport::compliant).count();
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("ok", !"fail".equals(OpenApiResult.verdict(all)));
        members.put("paths_total", context.paths().size());
        members.put("non_v1_paths", reports.stream().filter(r -> !r.compliant())
                .map(OpenApiPathPrefix.PathReport::path).toList());
        Map<String, Object> spec = spec(source, doc.name(), doc, version);
        spec.put("files", refs.documents().stream().map(OpenApiDocument::name).toList());
        members.put("spec", spec);
        members.put("prefix", prefix);
        members.put("paths", reports.stream().map(OpenApiPathPrefix.PathReport::toJson).toList());
        return new OpenApiResult(all, members, context.paths().size(), compliant, context.operations().size(),
                partial);
    }

    private OpenApiResult empty(OpenApiFindings findings, Map<String, Object> spec, String prefix) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("ok", false);
        members.put("paths_total", 0);
        members.put("non_v1_paths", List.of());
        members.put("spec", spec);
        members.put("prefix", prefix);
        members.put("paths", List.of());
        return new OpenApiResult(findings.toFindings(), members, 0, 0, 0, false);
    }

    private static Map<String, Object> spec(String source, String name, OpenApiDocument doc, OpenApiVersion version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("file", name);
        m.put("format", doc == null ? null : doc.format());
        JsonNode root = doc == null ? null : doc.root();
        JsonNode declared = root == null || !root.isObject() ? null
                : root.has("openapi") ? root.get("openapi") : root.get("swagger");
        m.put("version", declared == null ? null : declared.asText());
        m.put("family", version == null ? null : version.family());
        JsonNode title = root == null ? null : root.path("info").get("title");
        m.put("title", title == null ? null : title.asText());
        return m;
    }

    private String prefix(String requested) {
        if (requested == null) {
            return settings.prefix();
        }
        try {
            return OpenApiSettings.normalizePrefix(requested);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'prefix' " + e.getMessage()).with("parameter", "prefix");
        }
    }

    /** Why a parsed value is no OpenAPI document, naming what it is instead. */
    /** A reading failure as answers show it: the reader's own plain message, never an exception or an absolute path. */
    private static String plain(IOException e, String name) {
        return e instanceof WorkspaceFiles.Refused r ? r.getMessage() : "'" + name + "' cannot be read";
    }

    private static String notOpenApi(JsonNode root) {
        if (root == null || !root.isObject()) {
            String type = root == null ? "nothing" : root.isArray() ? "a list" : root.isNull() ? "null"
                    : "a single " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
            return "it is " + type + ", not an object with an 'openapi' or 'swagger' field";
        }
        JsonNode swagger = root.get("swagger");
        if (swagger != null) {
            return "'swagger: " + swagger.asText() + "' is not supported (Swagger 2.0 and OpenAPI 3.x are)";
        }
        JsonNode openapi = root.get("openapi");
        if (openapi != null) {
            return "'openapi: " + openapi.asText() + "' is not a supported version (Swagger 2.0 and OpenAPI 3.x are)";
        }
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext() && keys.size() < 5; ) {
            keys.add(it.next());
        }
        return "it has no 'openapi' or 'swagger' field" + (keys.isEmpty() ? " (it is empty)"
                : " (its first keys: " + String.join(", ", keys) + ")");
    }
}
