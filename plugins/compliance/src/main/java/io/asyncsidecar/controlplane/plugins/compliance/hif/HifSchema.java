package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.Map;

import com.networknt.schema.Schema;

/**
 * One schema a document can be validated against.
 *
 * @param name    the name {@code ?schema=} selects it by
 * @param source  where it came from: {@code built-in} or the file
 * @param dialect the JSON Schema dialect it is evaluated in (its {@code $schema}, else 2020-12)
 * @param root    the schema
 * @param shapes  the shipped schema's four shapes; empty for the others
 */
public record HifSchema(String name, String source, String dialect, Schema root, Map<HifShape, Schema> shapes) {

    /**
     * @param name    see above
     * @param source  see above
     * @param dialect see above
     * @param root    see above
     * @param shapes  see above
     */
    public HifSchema {
        shapes = Map.copyOf(shapes);
    }

    /** @return whether this is the shipped HIF schema, whose shapes, format assertions and warnings apply */
    public boolean builtIn() {
        return !shapes.isEmpty();
    }
}
