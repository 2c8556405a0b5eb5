package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One parsed file of a spec: the root document, or a file one of its {@code $ref}s names. Its tree is never
 * changed once read, so rules, the parser and the example validator share it.
 */
public final class OpenApiDocument {

    private final String name;
    private final Path file;
    private final Path baseDirectory;
    private final OpenApiFormat format;
    private final byte[] source;
    private final JsonNode root;

    OpenApiDocument(String name, Path file, Path baseDirectory, OpenApiFormat format, byte[] source, JsonNode root) {
        this.name = name;
        this.file = file;
        this.baseDirectory = baseDirectory;
        this.format = format;
        this.source = source;
        this.root = root;
    }

    /** @return the name findings show: the path relative to the workspace, or {@code request-body.<ext>} */
    public String name() {
        return name;
    }

    /** @return the file read, absolute and normalised; null for a request body */
    public Path file() {
        return file;
    }

    /** @return the folder relative {@code $ref}s of this document resolve against */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** @return the format it was read as */
    public OpenApiFormat format() {
        return format;
    }

    /** @return the tree */
    public JsonNode root() {
        return root;
    }

    /** @return the root as a node with an empty pointer */
    public OpenApiNode rootNode() {
        return new OpenApiNode(this, "", root);
    }

    /**
     * The node a JSON pointer names.
     *
     * @param pointer an RFC 6901 pointer, {@code ""} for the root
     * @return the node, or null when the pointer names nothing
     */
    public OpenApiNode at(String pointer) {
        JsonNode n = pointer.isEmpty() ? root : root.at(pointer);
        return n.isMissingNode() ? null : new OpenApiNode(this, pointer, n);
    }

    /**
     * The 1-based source lines of pointers: the line of an object member's key or of an array item's first token.
     * A pointer that names nothing (a missing member) gets the line of its deepest existing ancestor.
     *
     * @param pointers the pointers
     * @return line per pointer
     */
    public Map<String, Integer> lines(Collection<String> pointers) {
        return OpenApiLines.of(this, source, pointers);
    }

    @Override
    public String toString() {
        return name;
    }
}
