package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Reads untrusted spec text into a Jackson tree within {@link OpenApiLimits}: the size of the text, the nesting
 * depth, the number of values once YAML aliases are expanded (no billion laughs, no recursive aliases) and the
 * number of aliases. JSON is streamed by Jackson; YAML is composed by SnakeYAML (no object construction, so no tags
 * run code) and its scalars typed by the YAML 1.2 core schema, as JavaScript tools such as Spectral read them
 * ({@code yes} and {@code on} stay strings). Instances are immutable and thread-safe.
 */
public final class OpenApiReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INT = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern OCTAL = Pattern.compile("0o[0-7]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");

    private final OpenApiLimits limits;
    private final JsonFactory json;

    /**
     * A reader.
     *
     * @param limits the limits it enforces
     */
    public OpenApiReader(OpenApiLimits limits) {
        this.limits = limits;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxFileBytes())
                        .build())
                .build();
    }

    /** @return the limits it enforces */
    public OpenApiLimits limits() {
        return limits;
    }

    /**
     * Reads a spec file or body.
     *
     * @param name          the name findings show
     * @param file          the file, or null for a request body
     * @param baseDirectory where its relative {@code $ref}s resolve
     * @param bytes         the text
     * @param declared      the format the content type or file name declares; null to sniff (and fall back to YAML
     *                      when text that looks like JSON is not)
     * @return the document
     * @throws OpenApiReadException when it is not JSON or YAML, or over a limit
     */
    public OpenApiDocument read(String name, Path file, Path baseDirectory, byte[] bytes, OpenApiFormat declared)
            throws OpenApiReadException {
        if (bytes.length > limits.maxFileBytes()) {
            throw new OpenApiReadException(bytes.length + " bytes, over the limit of " + limits.maxFileBytes()
                    + " (plugins.compliance.openapi.limits.max-file-size)", 0, 0, true);
        }
        OpenApiFormat format = declared != null ? declared : OpenApiFormat.sniff(bytes);
        JsonNode root;
        if (format == OpenApiFormat.JSON) {
            try {
                root = json(bytes);
            } catch (OpenApiReadException e) {
                if (declared != null || e.limit()) {
                    throw e;
                }
                // Sniffed as JSON but not JSON: YAML flow style ({openapi: 3.0.0, ...}) also starts with a brace.
                try {
                    root = yaml(bytes);
                    format = OpenApiFormat.YAML;
                } catch (OpenApiReadException yamlToo) {
                    throw e;
                }
            }
        } else {
            root = yaml(bytes);
        }
        return new OpenApiDocument(name, file, baseDirectory, format, bytes, root);
    }

    private JsonNode json(byte[] bytes) throws OpenApiReadException {
        try (JsonParser p = json.createParser(bytes)) {
            if (p.nextToken() == null) {
                throw new OpenApiReadException("the JSON text is empty", 1, 1, false);
            }
            int[] count = {0};
            JsonNode root = jsonValue(p, count);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new OpenApiReadException("unexpected " + extra.asString() + " after the end of the JSON value",
                        at.getLineNr(), at.getColumnNr(), false);
            }
            return root;
        } catch (StreamConstraintsException e) {
            JsonLocation at = e.getLocation();
            throw new OpenApiReadException(e.getOriginalMessage()
                    + " (plugins.compliance.openapi.limits.max-depth)", at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), true);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new OpenApiReadException("malformed JSON: " + firstLine(e.getOriginalMessage()),
                    at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), false);
        } catch (CharacterCodingException e) {
            throw new OpenApiReadException("the text is not valid UTF-8, UTF-16 or UTF-32", 0, 0, false);
        } catch (IOException e) {
            throw new OpenApiReadException("cannot read the JSON text: " + e.getMessage(), 0, 0, false);
        }
    }

    private JsonNode jsonValue(JsonParser p, int[] count) throws IOException, OpenApiReadException {
        if (++count[0] > limits.maxNodes()) {
            JsonLocation at = p.currentTokenLocation();
            throw new OpenApiReadException("more than " + limits.maxNodes()
                    + " values (plugins.compliance.openapi.limits.max-nodes)", at.getLineNr(), at.getColumnNr(), true);
        }
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, jsonValue(p, count));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(jsonValue(p, count));
                }
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new OpenApiReadException("unexpected " + p.currentToken(), 0, 0, false);
        };
    }

    private JsonNode yaml(byte[] bytes) throws OpenApiReadException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxDepth());
        options.setCodePointLimit(limits.maxFileBytes());
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        Node node;
        try (Reader reader = new UnicodeReader(new ByteArrayInputStream(bytes))) {
            node = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
            if (e.getContext() != null) {
                problem = e.getContext() + ": " + problem;
            }
            throw new OpenApiReadException("malformed YAML: " + problem, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, false);
        } catch (YAMLException e) {
            String message = String.valueOf(e.getMessage());
            if (e.getCause() instanceof CharacterCodingException) {
                throw new OpenApiReadException("the text is not valid UTF-8 or UTF-16", 0, 0, false);
            }
            String l = message.toLowerCase(Locale.ROOT);
            boolean limit = l.contains("alias") || l.contains("limit") || l.contains("depth") || l.contains("max");
            throw new OpenApiReadException((limit ? "YAML over a safety limit: " : "malformed YAML: ") + message
                    + (limit ? " (plugins.compliance.openapi.limits)" : ""), 0, 0, limit);
        } catch (IOException e) {
            throw new OpenApiReadException("cannot read the YAML text: " + e.getMessage(), 0, 0, false);
        }
        if (node == null) {
            throw new OpenApiReadException("the YAML text is empty", 1, 1, false);
        }
        expandedSize(node, new IdentityHashMap<>(), java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return yamlValue(node, 0);
    }

    /**
     * How many values a node stands for once aliases are expanded; refuses recursive aliases and sizes over the
     * limit before anything is built, so an alias bomb costs as much as its text.
     */
    private long expandedSize(Node node, Map<Node, Long> memo, Set<Node> open) throws OpenApiReadException {
        if (node instanceof ScalarNode) {
            return 1;
        }
        Long known = memo.get(node);
        if (known != null) {
            return known;
        }
        if (!open.add(node)) {
            throw new OpenApiReadException("a YAML alias refers to a collection that contains it (a recursive alias)",
                    line(node), 0, true);
        }
        long size = 1;
        if (node instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                size += expandedSize(item, memo, open);
                over(size, node);
            }
        } else if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                size += expandedSize(t.getValueNode(), memo, open);
                over(size, node);
            }
        }
        open.remove(node);
        memo.put(node, size);
        return size;
    }

    private void over(long size, Node at) throws OpenApiReadException {
        if (size > limits.maxNodes()) {
            throw new OpenApiReadException("the YAML expands to more than " + limits.maxNodes()
                    + " values through its aliases (plugins.compliance.openapi.limits.max-nodes)", line(at), 0, true);
        }
    }

    private JsonNode yamlValue(Node node, int depth) throws OpenApiReadException {
        if (depth > limits.maxDepth()) {
            throw new OpenApiReadException("nesting deeper than " + limits.maxDepth()
                    + " through aliases (plugins.compliance.openapi.limits.max-depth)", line(node), 0, true);
        }
        return switch (node) {
            case MappingNode m -> {
                ObjectNode o = NODES.objectNode();
                List<Node> merges = new ArrayList<>();
                for (NodeTuple t : m.getValue()) {
                    Node keyNode = t.getKeyNode();
                    if (!(keyNode instanceof ScalarNode key)) {
                        throw new OpenApiReadException("a YAML mapping key is a collection; OpenAPI keys are text",
                                line(keyNode), 0, false);
                    }
                    if (key.getTag().equals(Tag.MERGE) && "<<".equals(key.getValue())) {
                        merges.add(t.getValueNode());
                        continue;
                    }
                    o.set(key.getValue(), yamlValue(t.getValueNode(), depth + 1));
                }
                // Merged keys never override the mapping's own, wherever the merge stands.
                for (Node merge : merges) {
                    for (Node source : merge instanceof SequenceNode s ? s.getValue() : List.of(merge)) {
                        if (yamlValue(source, depth + 1) instanceof ObjectNode from) {
                            from.properties().forEach(e -> o.putIfAbsent(e.getKey(), e.getValue()));
                        }
                    }
                }
                yield o;
            }
            case SequenceNode s -> {
                ArrayNode a = NODES.arrayNode(s.getValue().size());
                for (Node item : s.getValue()) {
                    a.add(yamlValue(item, depth + 1));
                }
                yield a;
            }
            case ScalarNode sc -> scalar(sc);
            default -> NODES.nullNode();
        };
    }

    /** YAML 1.2 core schema for plain scalars; quoted and block scalars are strings. */
    private static JsonNode scalar(ScalarNode node) {
        String v = node.getValue();
        if (!node.isPlain()) {
            return NODES.textNode(v);
        }
        switch (v) {
            case "", "~", "null", "Null", "NULL" -> {
                return NODES.nullNode();
            }
            case "true", "True", "TRUE" -> {
                return NODES.booleanNode(true);
            }
            case "false", "False", "FALSE" -> {
                return NODES.booleanNode(false);
            }
            default -> {
            }
        }
        if (INT.matcher(v).matches()) {
            BigInteger big = new BigInteger(v.startsWith("+") ? v.substring(1) : v);
            return big.bitLength() < 32 ? NODES.numberNode(big.intValue())
                    : big.bitLength() < 64 ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
        }
        if (OCTAL.matcher(v).matches()) {
            return NODES.numberNode(new BigInteger(v.substring(2), 8));
        }
        if (HEX.matcher(v).matches()) {
            return NODES.numberNode(new BigInteger(v.substring(2), 16));
        }
        if (FLOAT.matcher(v).matches()) {
            return NODES.numberNode(new BigDecimal(v).doubleValue());
        }
        if (INFINITY.matcher(v).matches()) {
            return NODES.numberNode(v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (NAN.matcher(v).matches()) {
            return NODES.numberNode(Double.NaN);
        }
        return NODES.textNode(v);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
