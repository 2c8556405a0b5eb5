package io.asyncsidecar.controlplane.kit.checks;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

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

/**
 * Loads untrusted multi-document YAML safely: a size limit, an alias limit (no billion laughs), a nesting
 * limit, no custom tags (values are plain Java types), and a parse error reported as a {@code yaml.parse}
 * finding with file:line instead of an exception. Instances are immutable and thread-safe.
 *
 * <p>SnakeYAML does the parsing; this class only composes nodes into plain values while it records the line
 * of every mapping, sequence and key, which SnakeYAML's own constructors throw away.
 */
public final class SafeYaml {

    /** Check id of a YAML syntax error. */
    public static final String PARSE_ERROR = "yaml.parse";
    /** Check id of a file over a limit (size, aliases, nesting, documents). */
    public static final String LIMIT = "yaml.limit";

    private final int maxBytes;
    private final int maxAliases;
    private final int maxDepth;
    private final int maxDocuments;

    private SafeYaml(int maxBytes, int maxAliases, int maxDepth, int maxDocuments) {
        if (maxBytes <= 0 || maxAliases < 0 || maxDepth <= 0 || maxDocuments <= 0) {
            throw new IllegalArgumentException("SafeYaml limits must be positive: bytes=" + maxBytes + " aliases="
                    + maxAliases + " depth=" + maxDepth + " documents=" + maxDocuments);
        }
        this.maxBytes = maxBytes;
        this.maxAliases = maxAliases;
        this.maxDepth = maxDepth;
        this.maxDocuments = maxDocuments;
    }

    /** @return a loader with the defaults: 8 MiB, 100 aliases, depth 100, 10,000 documents */
    public static SafeYaml create() {
        return new SafeYaml(8 * 1024 * 1024, 100, 100, 10_000);
    }

    /**
     * A loader with other limits.
     *
     * @param maxBytes     largest input in bytes
     * @param maxAliases   most aliases to collections per document
     * @param maxDepth     deepest nesting
     * @param maxDocuments most documents per stream
     * @return the loader
     */
    public static SafeYaml create(int maxBytes, int maxAliases, int maxDepth, int maxDocuments) {
        return new SafeYaml(maxBytes, maxAliases, maxDepth, maxDocuments);
    }

    /**
     * Loads a file.
     *
     * @param path        the file
     * @param displayName the name used in findings (relative to the workspace)
     * @return the documents and the problem, if any; a missing or unreadable file is a {@code yaml.parse} finding
     */
    public YamlFile load(Path path, String displayName) {
        try {
            long size = Files.size(path);
            if (size > maxBytes) {
                return new YamlFile(displayName, List.of(), limit(displayName, 0,
                        "file is " + size + " bytes, over the limit of " + maxBytes));
            }
            return parse(Files.readString(path, StandardCharsets.UTF_8), displayName, 1);
        } catch (java.nio.charset.MalformedInputException e) {
            return new YamlFile(displayName, List.of(), error(displayName, 0, "file is not valid UTF-8"));
        } catch (IOException e) {
            return new YamlFile(displayName, List.of(), error(displayName, 0, "cannot read file: " + e));
        }
    }

    /**
     * Parses text.
     *
     * @param text        the YAML text
     * @param displayName the file name used in findings
     * @param firstLine   the line in {@code displayName} where {@code text} starts (1 for a whole file)
     * @return the documents and the problem, if any
     */
    public YamlFile parse(String text, String displayName, int firstLine) {
        if (text.length() > maxBytes) {
            return new YamlFile(displayName, List.of(), limit(displayName, 0,
                    "input is " + text.length() + " characters, over the limit of " + maxBytes));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(maxAliases);
        options.setNestingDepthLimit(maxDepth);
        options.setCodePointLimit(maxBytes);
        options.setAllowDuplicateKeys(true);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(options);
        List<YamlDocument> docs = new ArrayList<>();
        try (Reader reader = new StringReader(text)) {
            int index = 0;
            for (Node node : yaml.composeAll(reader)) {
                if (docs.size() >= maxDocuments) {
                    return new YamlFile(displayName, docs, limit(displayName, line(node.getStartMark(), firstLine),
                            "more than " + maxDocuments + " documents"));
                }
                YamlDocument.Lines lines = new YamlDocument.Lines();
                Object value = toValue(node, lines, firstLine, 0);
                if (value != null) {
                    docs.add(new YamlDocument(displayName, index, line(node.getStartMark(), firstLine), value, lines));
                }
                index++;
            }
            return new YamlFile(displayName, docs, null);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null) {
                problem = e.getContext() + ": " + problem;
            }
            return new YamlFile(displayName, docs, error(displayName, line(mark, firstLine), problem));
        } catch (YAMLException e) {
            // SnakeYAML reports limits (aliases, code points, depth) without a mark.
            String msg = String.valueOf(e.getMessage());
            boolean limit = msg.contains("alias") || msg.contains("limit") || msg.contains("Nesting");
            Finding f = limit ? limit(displayName, 0, msg) : error(displayName, 0, msg);
            return new YamlFile(displayName, docs, f);
        } catch (IOException e) {
            return new YamlFile(displayName, docs, error(displayName, 0, e.toString()));
        }
    }

    private Object toValue(Node node, YamlDocument.Lines lines, int firstLine, int depth) {
        if (depth > maxDepth) {
            throw new YAMLException("Nesting depth exceeds the limit of " + maxDepth);
        }
        return switch (node) {
            case MappingNode m -> {
                Map<String, Object> map = new LinkedHashMap<>();
                lines.collection(map, line(m.getStartMark(), firstLine));
                for (NodeTuple t : m.getValue()) {
                    Node keyNode = t.getKeyNode();
                    Object key = toValue(keyNode, lines, firstLine, depth + 1);
                    Object value = toValue(t.getValueNode(), lines, firstLine, depth + 1);
                    if ("<<".equals(key) && keyNode.getTag().equals(Tag.MERGE)) {
                        merge(map, value);
                        continue;
                    }
                    String k = String.valueOf(key);
                    map.put(k, value);
                    lines.key(map, k, line(keyNode.getStartMark(), firstLine));
                }
                yield map;
            }
            case SequenceNode s -> {
                List<Object> list = new ArrayList<>(s.getValue().size());
                lines.collection(list, line(s.getStartMark(), firstLine));
                for (Node item : s.getValue()) {
                    list.add(toValue(item, lines, firstLine, depth + 1));
                }
                yield list;
            }
            case ScalarNode sc -> scalar(sc);
            default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Object source) {
        if (source instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach(into::putIfAbsent);
        } else if (source instanceof List<?> l) {
            for (Object o : l) {
                merge(into, o);
            }
        }
    }

    private static Object scalar(ScalarNode node) {
        String v = node.getValue();
        Tag tag = node.getTag();
        try {
            if (tag.equals(Tag.NULL)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return l.equals("true") || l.equals("yes") || l.equals("on") || l.equals("y");
            }
            if (tag.equals(Tag.INT)) {
                String d = v.replace("_", "");
                BigInteger big;
                if (d.startsWith("0x") || d.startsWith("-0x")) {
                    big = new BigInteger(d.replaceFirst("0x", ""), 16);
                } else if (d.startsWith("0o")) {
                    big = new BigInteger(d.substring(2), 8);
                } else {
                    big = new BigInteger(d);
                }
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            if (tag.equals(Tag.FLOAT)) {
                String d = v.replace("_", "").toLowerCase(java.util.Locale.ROOT);
                return switch (d) {
                    case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
                    case "-.inf" -> Double.NEGATIVE_INFINITY;
                    case ".nan" -> Double.NaN;
                    default -> Double.parseDouble(d);
                };
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    private static int line(Mark mark, int firstLine) {
        return mark == null ? 0 : mark.getLine() + firstLine;
    }

    private static Finding error(String file, int line, String message) {
        return Finding.of(PARSE_ERROR, Severity.ERROR, null, file, line, "YAML parse error: " + message,
                "Fix the YAML syntax at this line; `yamllint` shows the same position.");
    }

    private static Finding limit(String file, int line, String message) {
        return Finding.of(LIMIT, Severity.ERROR, null, file, line, "YAML over a safety limit: " + message,
                "Split the file or reduce aliases and nesting; the limits protect the server from hostile input.");
    }
}
