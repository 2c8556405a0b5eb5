package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.ProblemException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads a posted HIF document into the tree the schema validator walks, refusing with a 4xx that names the
 * problem: an empty body, malformed JSON (line and column), a body that is not an object, nesting deeper than
 * {@code max-depth}, a number literal longer than {@code max-number-length} or beyond a double's range, duplicate
 * member names, and more than {@code max-bytes} (413, counted while reading).
 *
 * <p>The tree is built here, token by token with an explicit stack, rather than by Jackson's data binding: so no
 * input can overflow the thread's stack, and every refusal can say where in the document it happened (a JSON
 * pointer). The schema validator needs Jackson's tree; the answer is still written with the kit's JsonCodec.
 */
public final class HifDocumentReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int SHARED_STRING_LENGTH = 32;
    /** Small integers (positions, layers, spans) recur too; Jackson itself shares only -1..10. */
    private static final IntNode[] SMALL_INTS = new IntNode[4096];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = IntNode.valueOf(i);
        }
    }

    private final HifSettings settings;
    private final JsonFactory factory;

    /**
     * @param settings the limits
     */
    public HifDocumentReader(HifSettings settings) {
        this.settings = settings;
        this.factory = factory(settings);
    }

    /**
     * A parser factory enforcing the limits while it reads, before a value is handed over: a number literal of a
     * million digits is refused as soon as it passes the limit.
     */
    static JsonFactory factory(HifSettings settings) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(settings.maxDepth())
                        .maxNumberLength(settings.maxNumberLength())
                        .build())
                .build();
    }

    /**
     * Reads a body: a HIF document, or {@code {"payload": <document>}} as the original GUI posts it.
     *
     * @param body the request body; not closed
     * @return the document
     * @throws ProblemException 400 or 413 as described above
     */
    public HifDocument read(InputStream body) {
        HifBodyLimit in = new HifBodyLimit(body, settings.maxBytes());
        JsonNode root;
        try (JsonParser p = factory.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ProblemException.badRequest("request body is empty: send a HIF document, or {\"payload\": <document>}");
            }
            root = readTree(p, first);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw ProblemException.badRequest("unexpected content after the JSON document " + where(p.currentTokenLocation()));
            }
        } catch (StreamConstraintsException e) {
            throw beyondLimit(e, settings, "the document root", e.getLocation());
        } catch (StreamReadException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return unwrap(root, in.count());
    }

    private static HifDocument unwrap(JsonNode root, long bytes) {
        if (!(root instanceof ObjectNode object)) {
            throw ProblemException.badRequest("request body must be a JSON object (a HIF document, or {\"payload\":"
                    + " <document>}), got a JSON " + typeName(root));
        }
        if (object.size() == 1 && object.has("payload")) {
            JsonNode payload = object.get("payload");
            if (payload instanceof ObjectNode document) {
                return new HifDocument(document, true, bytes);
            }
            throw ProblemException.badRequest("payload must be a HIF document (a JSON object), got a JSON " + typeName(payload));
        }
        return new HifDocument(object, false, bytes);
    }

    static String typeName(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** The container being filled and where its next child goes. */
    private static final class Frame {
        final ContainerNode<?> node;
        String name;

        Frame(ContainerNode<?> node) {
            this.node = node;
        }
    }

    private JsonNode readTree(JsonParser p, JsonToken first) throws IOException {
        Deque<Frame> stack = new ArrayDeque<>();
        try {
            return readTree(p, first, stack);
        } catch (StreamConstraintsException e) {
            // the parser's own path: it reads a member's value together with its name, ahead of the stack here
            throw beyondLimit(e, settings, parserPointer(p), p.currentLocation());
        }
    }

    private JsonNode readTree(JsonParser p, JsonToken first, Deque<Frame> stack) throws IOException {
        Map<String, TextNode> strings = new HashMap<>();
        JsonToken t = first;
        while (true) {
            JsonNode value;
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    // the parser has checked the depth (max-depth) before handing the token over
                    stack.push(new Frame(t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode()));
                    t = p.nextToken();
                    continue;
                }
                case FIELD_NAME -> {
                    Frame f = stack.peek();
                    String name = p.currentName();
                    if (((ObjectNode) f.node).has(name)) {
                        f.name = name;
                        throw ProblemException.badRequest("duplicate member '" + name + "' at " + pointer(stack)
                                + ": a JSON object's member names must be unique here");
                    }
                    f.name = name;
                    t = p.nextToken();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> value = stack.pop().node;
                case VALUE_STRING -> value = text(p.getText(), strings);
                case VALUE_NUMBER_INT -> value = integer(p);
                case VALUE_NUMBER_FLOAT -> value = decimal(p, stack);
                case VALUE_TRUE -> value = BooleanNode.TRUE;
                case VALUE_FALSE -> value = BooleanNode.FALSE;
                case VALUE_NULL -> value = NullNode.getInstance();
                default -> throw ProblemException.badRequest("unexpected JSON token " + t + " at " + pointer(stack));
            }
            Frame parent = stack.peek();
            if (parent == null) {
                return value;
            }
            if (parent.node instanceof ObjectNode o) {
                o.set(parent.name, value);
            } else {
                ((ArrayNode) parent.node).add(value);
            }
            t = p.nextToken();
        }
    }

    /**
     * Short strings recur (node ids in every edge that names them, types, enum values): one node per distinct
     * value keeps the tree, which the whole validation holds, about a third smaller.
     */
    private static TextNode text(String s, Map<String, TextNode> strings) {
        if (s.length() > SHARED_STRING_LENGTH) {
            return TextNode.valueOf(s);
        }
        return strings.computeIfAbsent(s, TextNode::valueOf);
    }

    private static JsonNode integer(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT -> {
                int i = p.getIntValue();
                yield i >= 0 && i < SMALL_INTS.length ? SMALL_INTS[i] : IntNode.valueOf(i);
            }
            case LONG -> LongNode.valueOf(p.getLongValue());
            default -> {
                BigInteger big = p.getBigIntegerValue();
                yield BigIntegerNode.valueOf(big);
            }
        };
    }

    private JsonNode decimal(JsonParser p, Deque<Frame> stack) throws IOException {
        double d = p.getDoubleValue();
        if (Double.isInfinite(d) || Double.isNaN(d)) {
            throw ProblemException.badRequest("number " + p.getText() + " at " + pointer(stack)
                    + " is out of range: JSON numbers here must fit a 64-bit float (about ±1.8e308)");
        }
        return DoubleNode.valueOf(d);
    }

    /** The JSON pointer of the value being read: each open container's member name or next index. */
    private static String pointer(Deque<Frame> stack) {
        if (stack.isEmpty()) {
            return "the document root";
        }
        StringBuilder sb = new StringBuilder();
        for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (f.node instanceof ObjectNode) {
                if (f.name == null) {
                    break;
                }
                sb.append('/').append(f.name.replace("~", "~0").replace("/", "~1"));
            } else {
                sb.append('/').append(f.node.size());
            }
        }
        return sb.isEmpty() ? "the document root" : sb.toString();
    }

    static ProblemException malformed(StreamReadException e) {
        return ProblemException.badRequest("malformed JSON " + where(e.getLocation()) + ": " + e.getOriginalMessage());
    }

    static String parserPointer(JsonParser p) {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        return pointer.isEmpty() ? "the document root" : pointer;
    }

    /** Names the limit a parser refusal broke, and where. */
    static ProblemException beyondLimit(StreamConstraintsException e, HifSettings settings, String pointer, JsonLocation loc) {
        String m = e.getOriginalMessage();
        if (m.startsWith("Number value length")) {
            return ProblemException.badRequest("number literal longer than " + settings.maxNumberLength()
                    + " characters at " + pointer + " (plugins.compliance.hif.max-number-length)");
        }
        if (m.startsWith("Document nesting depth")) {
            return ProblemException.badRequest("document nests deeper than " + settings.maxDepth() + " levels at "
                    + pointer + " (plugins.compliance.hif.max-depth)");
        }
        int cut = m.indexOf(", from `");
        String text = cut > 0 ? m.substring(0, cut) + ")" : m;
        return ProblemException.badRequest("document exceeds a parser limit " + where(loc) + ": " + text);
    }

    static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
