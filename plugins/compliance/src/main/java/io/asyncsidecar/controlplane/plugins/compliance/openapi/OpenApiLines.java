package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Finds the source lines of JSON pointers in one pass over a file's tokens, after the check, for the findings only:
 * keeping a line for every value of a large spec would cost more than the check. The wanted pointers form a trie;
 * the scan descends only into members the trie names and skips the rest.
 */
final class OpenApiLines {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build()).build();

    /** One pointer segment of the wanted pointers. */
    private static final class Trie {
        final Map<String, Trie> children = new HashMap<>();
        int line;
    }

    private OpenApiLines() {
    }

    static Map<String, Integer> of(OpenApiDocument doc, byte[] source, Collection<String> pointers) {
        Trie root = new Trie();
        for (String p : pointers) {
            Trie t = root;
            for (String s : OpenApiNode.segments(p)) {
                t = t.children.computeIfAbsent(s, k -> new Trie());
            }
        }
        try {
            if (doc.format() == OpenApiFormat.JSON) {
                json(source, root);
            } else {
                yaml(source, root);
            }
        } catch (IOException | RuntimeException e) {
            // The document parsed before; a scan that fails now leaves the lines it found (others fall back below).
        }
        Map<String, Integer> lines = new HashMap<>();
        for (String p : pointers) {
            Trie t = root;
            int line = Math.max(root.line, 1);
            for (String s : OpenApiNode.segments(p)) {
                t = t.children.get(s);
                if (t == null || t.line == 0) {
                    break;
                }
                line = t.line;
            }
            lines.put(p, line);
        }
        return lines;
    }

    private static void json(byte[] source, Trie root) throws IOException {
        try (JsonParser p = JSON.createParser(source)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return;
            }
            root.line = p.currentTokenLocation().getLineNr();
            json(p, root);
        }
    }

    /** With the parser on a value's first token, visits the members the trie wants and leaves it on the last. */
    private static void json(JsonParser p, Trie trie) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Trie child = trie.children.get(p.currentName());
                int line = p.currentTokenLocation().getLineNr();
                p.nextToken();
                if (child == null) {
                    p.skipChildren();
                } else {
                    child.line = line;
                    json(p, child);
                }
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                Trie child = trie.children.get(Integer.toString(i++));
                if (child == null) {
                    p.skipChildren();
                } else {
                    child.line = p.currentTokenLocation().getLineNr();
                    json(p, child);
                }
            }
        }
    }

    private static void yaml(byte[] source, Trie root) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Math.max(source.length, 1) + 16);
        try (UnicodeReader reader = new UnicodeReader(new ByteArrayInputStream(source))) {
            Iterator<Event> events = new Yaml(options).parse(reader).iterator();
            Event e = next(events);
            while (e != null && !(e instanceof MappingStartEvent) && !(e instanceof SequenceStartEvent)
                    && !(e instanceof ScalarEvent)) {
                e = next(events);
            }
            if (e == null) {
                return;
            }
            root.line = e.getStartMark().getLine() + 1;
            yaml(events, e, root);
        }
    }

    /** With {@code first} a value's first event, visits the members the trie wants and consumes the value. */
    private static void yaml(Iterator<Event> events, Event first, Trie trie) {
        if (first instanceof MappingStartEvent) {
            while (true) {
                Event key = next(events);
                if (key == null || key.is(Event.ID.MappingEnd)) {
                    return;
                }
                Trie child = key instanceof ScalarEvent s ? trie.children.get(s.getValue()) : null;
                if (!(key instanceof ScalarEvent)) {
                    skip(events, key);
                }
                Event value = next(events);
                if (value == null) {
                    return;
                }
                if (child == null) {
                    skip(events, value);
                } else {
                    child.line = key.getStartMark().getLine() + 1;
                    yaml(events, value, child);
                }
            }
        } else if (first instanceof SequenceStartEvent) {
            int i = 0;
            while (true) {
                Event item = next(events);
                if (item == null || item.is(Event.ID.SequenceEnd)) {
                    return;
                }
                Trie child = trie.children.get(Integer.toString(i++));
                if (child == null) {
                    skip(events, item);
                } else {
                    child.line = item.getStartMark().getLine() + 1;
                    yaml(events, item, child);
                }
            }
        }
    }

    private static void skip(Iterator<Event> events, Event first) {
        if (!(first instanceof MappingStartEvent) && !(first instanceof SequenceStartEvent)) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            Event e = next(events);
            if (e == null) {
                return;
            }
            if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                depth++;
            } else if (e.is(Event.ID.MappingEnd) || e.is(Event.ID.SequenceEnd)) {
                depth--;
            }
        }
    }

    private static Event next(Iterator<Event> events) {
        return events.hasNext() ? events.next() : null;
    }

    /** For tests: the lines of pointers in a YAML or JSON text. */
    static Map<String, Integer> of(OpenApiFormat format, byte[] source, List<String> pointers) {
        return of(new OpenApiDocument("test", null, null, format, source, null), source, pointers);
    }
}
