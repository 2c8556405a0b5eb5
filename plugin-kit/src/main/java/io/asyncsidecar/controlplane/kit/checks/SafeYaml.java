package io.asyncsidecar.controlplane.kit.checks;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
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
 * Loads untrusted multi-document YAML safely: a size limit, an alias limit, a nesting limit, a limit on the
 * <em>expanded</em> size (nodes and scalar characters produced once aliases and merge keys are expanded, so a
 * billion-laughs bomb under the alias limit still costs no more than the limit), no custom tags (values are plain
 * Java types), and a parse error reported as a {@code yaml.parse} finding with file:line instead of an
 * exception. Instances are immutable and thread-safe.
 *
 * <p>SnakeYAML does the parsing; this class only composes nodes into plain values while it records the line
 * of every mapping, sequence and key, which SnakeYAML's own constructors throw away. SnakeYAML's alias limit
 * alone does not bound the expansion: 80 aliases of aliases already stand for 2^80 nodes.
 */
public final class SafeYaml {

    /** Check id of a YAML syntax error. */
    public static final String PARSE_ERROR = "yaml.parse";
    /** Check id of a file over a limit (size, aliases, nesting, documents, expanded nodes or characters). */
    public static final String LIMIT = "yaml.limit";

    /** Default largest input: 8 MiB. */
    public static final int DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
    /** Default most aliases to collections per document. */
    public static final int DEFAULT_MAX_ALIASES = 100;
    /** Default deepest nesting. */
    public static final int DEFAULT_MAX_DEPTH = 100;
    /** Default most documents per stream. */
    public static final int DEFAULT_MAX_DOCUMENTS = 10_000;
    /** Default most nodes one input expands to, aliases and merge keys included. */
    public static final long DEFAULT_MAX_NODES = 1_000_000;
    /** Default most scalar characters one input expands to: 32 Mi. */
    public static final long DEFAULT_MAX_SCALAR_CHARS = 32L * 1024 * 1024;

    private final int maxBytes;
    private final int maxAliases;
    private final int maxDepth;
    private final int maxDocuments;
    private final long maxNodes;
    private final long maxScalarChars;
    private final boolean uniqueKeys;

    private SafeYaml(int maxBytes, int maxAliases, int maxDepth, int maxDocuments, long maxNodes,
                     long maxScalarChars, boolean uniqueKeys) {
        if (maxBytes <= 0 || maxAliases < 0 || maxDepth <= 0 || maxDocuments <= 0 || maxNodes <= 0
                || maxScalarChars <= 0) {
            throw new IllegalArgumentException("SafeYaml limits must be positive: bytes=" + maxBytes + " aliases="
                    + maxAliases + " depth=" + maxDepth + " documents=" + maxDocuments + " nodes=" + maxNodes
                    + " scalar-chars=" + maxScalarChars);
        }
        this.maxBytes = maxBytes;
        this.maxAliases = maxAliases;
        this.maxDepth = maxDepth;
        this.maxDocuments = maxDocuments;
        this.maxNodes = maxNodes;
        this.maxScalarChars = maxScalarChars;
        this.uniqueKeys = uniqueKeys;
    }

    /**
     * @return a loader with the defaults: 8 MiB, 100 aliases, depth 100, 10,000 documents, 1,000,000 nodes and
     *         32 Mi scalar characters once expanded
     */
    public static SafeYaml create() {
        return new SafeYaml(DEFAULT_MAX_BYTES, DEFAULT_MAX_ALIASES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_DOCUMENTS,
                DEFAULT_MAX_NODES, DEFAULT_MAX_SCALAR_CHARS, false);
    }

    /**
     * A loader with other limits and the default expansion limits.
     *
     * @param maxBytes     largest input in bytes
     * @param maxAliases   most aliases to collections per document
     * @param maxDepth     deepest nesting
     * @param maxDocuments most documents per stream
     * @return the loader
     */
    public static SafeYaml create(int maxBytes, int maxAliases, int maxDepth, int maxDocuments) {
        return create(maxBytes, maxAliases, maxDepth, maxDocuments, DEFAULT_MAX_NODES, DEFAULT_MAX_SCALAR_CHARS);
    }

    /**
     * A loader with other limits.
     *
     * @param maxBytes       largest input in bytes
     * @param maxAliases     most aliases to collections per document
     * @param maxDepth       deepest nesting
     * @param maxDocuments   most documents per stream
     * @param maxNodes       most nodes (mappings, sequences, keys and scalars) one input expands to, aliases
     *                       and merge keys included
     * @param maxScalarChars most scalar characters one input expands to, aliases included
     * @return the loader
     * @throws IllegalArgumentException when a limit is not positive (aliases may be 0)
     */
    public static SafeYaml create(int maxBytes, int maxAliases, int maxDepth, int maxDocuments, long maxNodes,
                                  long maxScalarChars) {
        return new SafeYaml(maxBytes, maxAliases, maxDepth, maxDocuments, maxNodes, maxScalarChars, false);
    }

    /**
     * The same loader, refusing a mapping that repeats a key (a {@code yaml.parse} error at the repeated key)
     * instead of keeping the last value as Kubernetes tools do: for files people write by hand, such as test
     * scenarios, where a repeated key is a mistake.
     *
     * @return the stricter loader
     */
    public SafeYaml withUniqueKeys() {
        return new SafeYaml(maxBytes, maxAliases, maxDepth, maxDocuments, maxNodes, maxScalarChars, true);
    }

    /**
     * Loads a workspace file through the kit's one file reader, so that a file whose real path leaves the
     * reader's boundary, or that is not a regular file, is never read.
     *
     * @param files the reader (its boundary and limits)
     * @param path  the file
     * @return the documents and the problem, if any; a file that cannot be read is a {@code yaml.parse} finding,
     *         one over the size limit a {@code yaml.limit} finding, a link leaving the boundary a
     *         {@value WorkspaceManifests#LINK} finding, each with a plain message naming the workspace-relative path
     */
    public YamlFile load(WorkspaceFiles files, Path path) {
        String displayName = files.display(path);
        String text;
        try {
            text = files.readString(path, maxBytes);
        } catch (WorkspaceFiles.Refused e) {
            Finding f = switch (e.reason()) {
                case TOO_LARGE -> limit(displayName, 0, e.getMessage());
                case OUTSIDE, NOT_A_FILE -> Finding.of(WorkspaceManifests.LINK, Severity.ERROR, null, displayName, 0,
                        e.getMessage(), "Replace the link with the file itself: only files inside the workspace are"
                                + " read.");
                default -> error(displayName, 0, e.getMessage());
            };
            return new YamlFile(displayName, List.of(), f);
        }
        return parse(text, displayName, 1);
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
        Budget budget = new Budget();
        try (Reader reader = new StringReader(text)) {
            int index = 0;
            for (Node node : yaml.composeAll(reader)) {
                if (docs.size() >= maxDocuments) {
                    return new YamlFile(displayName, docs, limit(displayName, line(node.getStartMark(), firstLine),
                            "more than " + maxDocuments + " documents"));
                }
                YamlDocument.Lines lines = new YamlDocument.Lines();
                Object value = toValue(node, lines, firstLine, 0, budget);
                if (value != null) {
                    docs.add(new YamlDocument(displayName, index, line(node.getStartMark(), firstLine), value, lines));
                }
                index++;
            }
            return new YamlFile(displayName, docs, null);
        } catch (Refusal e) {
            // The documents before the refused one are kept; the one being composed is dropped whole.
            return new YamlFile(displayName, docs, e.limit ? limit(displayName, e.line, e.getMessage())
                    : error(displayName, e.line, e.getMessage()));
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
            return new YamlFile(displayName, docs, error(displayName, 0, "cannot read the text"));
        }
    }

    private Object toValue(Node node, YamlDocument.Lines lines, int firstLine, int depth, Budget budget) {
        if (depth > maxDepth) {
            throw new YAMLException("Nesting depth exceeds the limit of " + maxDepth);
        }
        budget.node(node, firstLine);
        return switch (node) {
            case MappingNode m -> {
                Map<String, Object> map = new LinkedHashMap<>();
                lines.collection(map, line(m.getStartMark(), firstLine));
                for (NodeTuple t : m.getValue()) {
                    Node keyNode = t.getKeyNode();
                    Object key = toValue(keyNode, lines, firstLine, depth + 1, budget);
                    Object value = toValue(t.getValueNode(), lines, firstLine, depth + 1, budget);
                    if ("<<".equals(key) && keyNode.getTag().equals(Tag.MERGE)) {
                        merge(map, value, budget, keyNode, firstLine);
                        continue;
                    }
                    String k = String.valueOf(key);
                    if (uniqueKeys && map.containsKey(k)) {
                        int at = line(keyNode.getStartMark(), firstLine);
                        throw new Refusal("found duplicate key '" + k + "'", at, false);
                    }
                    map.put(k, value);
                    lines.key(map, k, line(keyNode.getStartMark(), firstLine));
                }
                yield map;
            }
            case SequenceNode s -> {
                List<Object> list = new ArrayList<>(s.getValue().size());
                lines.collection(list, line(s.getStartMark(), firstLine));
                for (Node item : s.getValue()) {
                    list.add(toValue(item, lines, firstLine, depth + 1, budget));
                }
                yield list;
            }
            case ScalarNode sc -> {
                budget.chars(sc.getValue().length(), sc, firstLine);
                yield scalar(sc);
            }
            default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    private void merge(Map<String, Object> into, Object source, Budget budget, Node at, int firstLine) {
        if (source instanceof Map<?, ?> m) {
            // Every merged entry is one more entry of the mapping: merge keys multiply as aliases do.
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                budget.node(at, firstLine);
                into.putIfAbsent(e.getKey(), e.getValue());
            }
        } else if (source instanceof List<?> l) {
            for (Object o : l) {
                merge(into, o, budget, at, firstLine);
            }
        }
    }

    /** Thrown when an input expands past {@link #maxNodes} or {@link #maxScalarChars}, or repeats a key. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final boolean limit;

        Refusal(String message, int line, boolean limit) {
            super(message, null, false, false);
            this.line = line;
            this.limit = limit;
        }
    }

    /** What one input has produced so far, across its documents. */
    private final class Budget {
        private long nodes;
        private long chars;

        void node(Node at, int firstLine) {
            if (++nodes > maxNodes) {
                throw new Refusal("the input expands to more than " + maxNodes + " nodes through aliases and"
                        + " merge keys (limit " + maxNodes + " nodes)", line(at.getStartMark(), firstLine), true);
            }
        }

        void chars(int length, Node at, int firstLine) {
            chars += length;
            if (chars > maxScalarChars) {
                throw new Refusal("the input expands to more than " + maxScalarChars + " characters of scalars"
                        + " through aliases (limit " + maxScalarChars + " characters)",
                        line(at.getStartMark(), firstLine), true);
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
