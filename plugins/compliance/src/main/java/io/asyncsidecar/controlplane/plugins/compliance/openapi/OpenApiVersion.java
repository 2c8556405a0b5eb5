package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The specification a document follows, from its {@code swagger} or {@code openapi} field.
 */
public enum OpenApiVersion {
    /** Swagger 2.0 ({@code swagger: "2.0"}). */
    SWAGGER_2("2.0"),
    /** OpenAPI 3.0.x. */
    OPENAPI_3_0("3.0"),
    /** OpenAPI 3.1.x and later 3.x (JSON Schema 2020-12 schemas, {@code $ref} siblings allowed). */
    OPENAPI_3_1("3.1");

    private final String family;

    OpenApiVersion(String family) {
        this.family = family;
    }

    /** @return {@code 2.0}, {@code 3.0} or {@code 3.1} */
    public String family() {
        return family;
    }

    /** @return whether it is an OpenAPI 3 version */
    public boolean isOpenApi3() {
        return this != SWAGGER_2;
    }

    /**
     * The version of a document's root.
     *
     * @param root the root value
     * @return the version, or empty when the document declares none this check knows
     */
    public static Optional<OpenApiVersion> of(JsonNode root) {
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode openapi = root.get("openapi");
        // The field is a string, but an unquoted YAML 3.0 reads as a number: accept what it says.
        if (openapi != null && openapi.isValueNode()) {
            String v = openapi.asText().trim();
            if (v.startsWith("3.0")) {
                return Optional.of(OPENAPI_3_0);
            }
            if (v.startsWith("3.")) {
                return Optional.of(OPENAPI_3_1);
            }
            return Optional.empty();
        }
        JsonNode swagger = root.get("swagger");
        if (swagger != null && swagger.asText().trim().equals("2.0")) {
            return Optional.of(SWAGGER_2);
        }
        return Optional.empty();
    }
}
