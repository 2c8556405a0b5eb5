package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.List;

import io.asyncsidecar.controlplane.spi.checks.Severity;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.parser.util.SwaggerDeserializationResult;
import io.swagger.parser.util.SwaggerDeserializer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * {@code openapi.structure}: what swagger-parser says about the root document, each message a finding at the JSON
 * pointer its location names. swagger-parser reads the tree already parsed (so it applies the same limits) and
 * resolves nothing: references are {@link OpenApiRefs}'s, which keeps file access inside the workspace and away
 * from the network. Swagger 2.0 goes to swagger-parser's 2.0 deserializer, OpenAPI 3.x to its 3.x one.
 *
 * <p>Messages other rules already report are dropped (duplicate operationIds, undeclared path parameters), and so
 * are two the parser gets wrong for OpenAPI 3.1: {@code responses} is optional there, and a schema may be a boolean.
 */
final class OpenApiParserMessages {

    private final OpenApiContext context;

    OpenApiParserMessages(OpenApiContext context) {
        this.context = context;
    }

    void run() {
        if (!context.findings().enabled(OpenApiRule.STRUCTURE)) {
            return;
        }
        JsonNode root = context.root().root();
        List<String> messages;
        try {
            if (context.version() == OpenApiVersion.SWAGGER_2) {
                SwaggerDeserializationResult r = new SwaggerDeserializer().deserialize(root);
                messages = r.getMessages();
            } else {
                ParseOptions options = new ParseOptions();
                options.setResolve(false);
                options.setValidateInternalRefs(false);
                SwaggerParseResult r = new OpenAPIV3Parser().parseJsonNode(null, root, options);
                messages = r.getMessages();
            }
        } catch (RuntimeException | StackOverflowError e) {
            // The parser's own failure on an odd document: report it instead of failing the check.
            context.findings().add(OpenApiRule.STRUCTURE, Severity.ERROR, context.root(), "", "Document",
                    "swagger-parser could not read the document: " + e, null);
            return;
        }
        for (String m : messages == null ? List.<String>of() : messages) {
            context.deadline().check();
            if (m == null || covered(m)) {
                continue;
            }
            String pointer = pointer(root, location(m));
            context.findings().add(OpenApiRule.STRUCTURE, severity(m), context.root(), pointer, "Document",
                    "swagger-parser: " + m, "Fix the document's structure as the OpenAPI specification defines it.");
        }
    }

    private boolean covered(String m) {
        // Reported by other rules: duplicate ids, path parameters, and references (a location with '#/' in it).
        if (m.endsWith("operationId is repeated") || m.contains("Declared path parameter")
                || m.contains("the required value should be true") || m.contains(".#/")) {
            return true;
        }
        if (context.version() == OpenApiVersion.OPENAPI_3_1) {
            return m.endsWith(".responses is missing")
                    || m.endsWith("is not of type `object`") && booleanSchema(m);
        }
        return false;
    }

    private boolean booleanSchema(String m) {
        String pointer = pointer(context.root().root(), location(m));
        JsonNode n = context.root().root().at(pointer);
        return n.isBoolean();
    }

    private static Severity severity(String m) {
        return m.endsWith(" is missing") || m.contains(" is not of type ") || m.endsWith(" is repeated")
                || m.startsWith("The OpenAPI document MUST") ? Severity.ERROR : Severity.WARNING;
    }

    /** The location part of a message: {@code attribute paths.'/a'(get).responses is missing} gives the middle. */
    static String location(String message) {
        String m = message;
        if (m.startsWith("attribute ")) {
            m = m.substring("attribute ".length());
            int is = m.lastIndexOf(" is ");
            return is < 0 ? m : m.substring(0, is);
        }
        // Free-form warnings start with the location, followed by a space or ". "
        int space = m.indexOf(' ');
        String loc = space < 0 ? m : m.substring(0, space);
        return loc.endsWith(".") ? loc.substring(0, loc.length() - 1) : loc;
    }

    /**
     * The deepest existing value a swagger-parser location names. Locations are dotted, with quoted path keys and
     * media types ({@code paths.'/pets/{id}'(get).responses.200}) and a few segments that name nothing in the
     * document ({@code [name]}); a missing member names its parent.
     *
     * @param root     the document
     * @param location the location
     * @return an RFC 6901 pointer
     */
    static String pointer(JsonNode root, String location) {
        StringBuilder pointer = new StringBuilder();
        JsonNode node = root;
        for (String segment : split(location)) {
            if (node == null) {
                break;
            }
            JsonNode next = node.isObject() ? node.get(segment) : null;
            if (next == null && node.isArray() && segment.chars().allMatch(Character::isDigit) && !segment.isEmpty()) {
                next = node.get(Integer.parseInt(segment));
            }
            if (next == null) {
                if (segment.startsWith("[") && segment.endsWith("]")) {
                    continue;
                }
                break;
            }
            pointer.append('/').append(OpenApiNode.escape(segment));
            node = next;
        }
        return pointer.toString();
    }

    private static List<String> split(String location) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < location.length()) {
            char c = location.charAt(i);
            if (c == '\'' && current.isEmpty()) {
                int end = location.indexOf('\'', i + 1);
                if (end < 0) {
                    end = location.length();
                }
                current.append(location, i + 1, end);
                i = end + 1;
            } else if (c == '(') {
                flush(out, current);
                int end = location.indexOf(')', i);
                if (end < 0) {
                    end = location.length();
                }
                out.add(location.substring(i + 1, end));
                i = end + 1;
            } else if (c == '.') {
                flush(out, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        flush(out, current);
        return out;
    }

    private static void flush(List<String> out, StringBuilder current) {
        if (!current.isEmpty()) {
            out.add(current.toString());
            current.setLength(0);
        }
    }
}
