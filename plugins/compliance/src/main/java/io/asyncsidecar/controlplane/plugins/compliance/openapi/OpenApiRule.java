package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The checks of {@code POST /api/compliance/openapi/check}: each has a stable id (what findings, SARIF and the ignore
 * extension name), a default severity, and the Spectral {@code spectral:oas} rules it answers for, so a team moving
 * from Spectral keeps the findings it relies on (docs/CHECKS.md has the table). Each can be turned off or given
 * another severity under {@code plugins.compliance.openapi.rules.<key>}, the key being the id without
 * {@code openapi.}.
 */
public enum OpenApiRule {

    /** A file of the spec is not JSON or YAML, or is over a safety limit while parsing. */
    PARSE("openapi.parse", Severity.ERROR,
            "The spec and every file it references parse as JSON or YAML within the safety limits."),
    /** What swagger-parser says about the document's structure (missing or mistyped fields). */
    STRUCTURE("openapi.structure", Severity.ERROR,
            "swagger-parser accepts the document's structure (required fields present, fields of the right type)."),
    /** A {@code $ref} that does not resolve, or that leaves the workspace. */
    REF("openapi.ref", Severity.ERROR,
            "Every $ref resolves, inside the same file or in a file beside the spec within the workspace.",
            "invalid-ref"),
    /** The check stopped at a time or size limit. */
    LIMIT("openapi.limit", Severity.ERROR, "The check ran within its time, size and findings limits."),
    /** The original rule: every documented path is served under the version prefix. */
    PATH_PREFIX("openapi.path-prefix", Severity.ERROR,
            "Every path is served under the version prefix (default /v1): server URL path or basePath joined with"
                    + " the path key, for every server."),
    /** An operation without an operationId. */
    OPERATION_ID("openapi.operation-id", Severity.WARNING, "Every operation has an operationId.",
            "operation-operationId"),
    /** Two operations with the same operationId. */
    OPERATION_ID_UNIQUE("openapi.operation-id-unique", Severity.ERROR, "No two operations share an operationId.",
            "operation-operationId-unique"),
    /** Path parameters not declared, declared twice, not required or not used by the template. */
    PATH_PARAMS("openapi.path-params", Severity.ERROR,
            "Every path template parameter is declared once as a required path parameter, and every declared path"
                    + " parameter is used by the template.", "path-params"),
    /** Two path templates that differ only in the names of their parameters. */
    PATH_EQUIVALENT("openapi.path-equivalent", Severity.ERROR,
            "No two path templates differ only in the names of their parameters.", "path-params"),
    /** Two path templates that match the same request, neither more specific than the other. */
    PATH_AMBIGUOUS("openapi.path-ambiguous", Severity.WARNING,
            "No two path templates match the same request while neither is more specific than the other."),
    /** A path key that ends with a slash. */
    PATH_TRAILING_SLASH("openapi.path-trailing-slash", Severity.WARNING, "No path key ends with a slash.",
            "path-keys-no-trailing-slash"),
    /** An operation without a 2xx or 3xx response. */
    OPERATION_SUCCESS_RESPONSE("openapi.operation-success-response", Severity.WARNING,
            "Every operation documents at least one 2xx or 3xx response.", "operation-success-response"),
    /** An operation without tags. */
    OPERATION_TAGS("openapi.operation-tags", Severity.WARNING, "Every operation has at least one tag.",
            "operation-tags"),
    /** An operation tag that the document's tags do not define. */
    OPERATION_TAG_DEFINED("openapi.operation-tag-defined", Severity.WARNING,
            "Every tag an operation uses is defined in the document's tags.", "operation-tag-defined"),
    /** Members beside a {@code $ref}, which OpenAPI 2.0 and 3.0 ignore. */
    REF_SIBLINGS("openapi.ref-siblings", Severity.ERROR,
            "A $ref stands alone: OpenAPI 2.0 and 3.0 ignore the members beside it (3.1 allows them).",
            "no-$ref-siblings"),
    /** A document that does not say where it is served. */
    SERVERS("openapi.servers", Severity.WARNING,
            "The document names where it is served: a non-empty servers list (3.x) or a host (2.0).",
            "oas3-api-servers", "oas2-api-host"),
    /** A server URL or host at example.com. */
    SERVER_NOT_EXAMPLE("openapi.server-not-example", Severity.WARNING,
            "No server URL (or Swagger 2.0 host) points at example.com, example.org or example.net.",
            "oas3-server-not-example.com", "oas2-host-not-example"),
    /** An operation callable without authentication. */
    OPERATION_SECURITY("openapi.operation-security", Severity.WARNING,
            "Every operation requires authentication, through the document's security or its own."),
    /** A security requirement naming an undefined scheme or scope. */
    SECURITY_DEFINED("openapi.security-defined", Severity.WARNING,
            "Every security requirement names a defined security scheme, and OAuth2 scopes that its flows define.",
            "oas3-operation-security-defined", "oas2-operation-security-defined"),
    /** A media type, parameter or header example that its schema rejects. */
    MEDIA_EXAMPLE_VALID("openapi.media-example-valid", Severity.ERROR,
            "Examples of media types, parameters and headers are valid against their schemas.",
            "oas3-valid-media-example", "oas2-valid-media-example"),
    /** A schema's example or default that the schema rejects. */
    SCHEMA_EXAMPLE_VALID("openapi.schema-example-valid", Severity.ERROR,
            "A schema's example and default are valid against the schema.",
            "oas3-valid-schema-example", "oas2-valid-schema-example");

    /** The prefix every id starts with; the config key of a rule is its id without it. */
    public static final String ID_PREFIX = "openapi.";

    private final String id;
    private final Severity severity;
    private final String description;
    private final List<String> spectral;

    OpenApiRule(String id, Severity severity, String description, String... spectral) {
        this.id = id;
        this.severity = severity;
        this.description = description;
        this.spectral = List.of(spectral);
    }

    /** @return the check id, e.g. {@code openapi.operation-id} */
    public String id() {
        return id;
    }

    /** @return the severity of its findings unless configured otherwise */
    public Severity defaultSeverity() {
        return severity;
    }

    /** @return one sentence saying what the rule checks */
    public String description() {
        return description;
    }

    /** @return the Spectral rules ({@code spectral:oas}) that fire where this one does; empty when none */
    public List<String> spectral() {
        return spectral;
    }

    /** @return the key under {@code plugins.compliance.openapi.rules}, e.g. {@code operation-id} */
    public String configKey() {
        return id.substring(ID_PREFIX.length());
    }

    /** @return the rule as SARIF and the check listing describe it */
    public CheckRule checkRule() {
        return new CheckRule(id, severity, description);
    }

    /**
     * The rule of a config key.
     *
     * @param key e.g. {@code operation-id}
     * @return the rule, or empty for an unknown key
     */
    public static Optional<OpenApiRule> ofConfigKey(String key) {
        return Arrays.stream(values()).filter(r -> r.configKey().equals(key)).findFirst();
    }

    /** @return every rule as a {@link CheckRule}, in declaration order */
    public static List<CheckRule> checkRules() {
        return Arrays.stream(values()).map(OpenApiRule::checkRule).toList();
    }
}
