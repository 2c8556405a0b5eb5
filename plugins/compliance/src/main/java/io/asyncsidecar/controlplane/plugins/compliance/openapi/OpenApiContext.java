package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the rules of one check share: the root document and its version, the reference resolver, the findings,
 * the deadline and the settings; and the operations, listed once.
 */
final class OpenApiContext {

    /** The HTTP methods a path item may hold operations under, as Spectral lists them. */
    static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /**
     * One path of {@code paths}.
     *
     * @param key      the path key, e.g. {@code /pets/{id}}
     * @param raw      its value in the root document (maybe a {@code $ref})
     * @param item     the path item it stands for, or null when its reference does not resolve
     */
    record PathEntry(String key, OpenApiNode raw, OpenApiNode item) {
    }

    /**
     * One operation.
     *
     * @param path      its path
     * @param method    the method, lower case
     * @param operation the operation object
     */
    record Operation(PathEntry path, String method, OpenApiNode operation) {

        /** @return e.g. {@code GET /pets/{id}}, for messages */
        String display() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path.key();
        }
    }

    private final OpenApiDocument root;
    private final OpenApiVersion version;
    private final OpenApiRefs refs;
    private final OpenApiFindings findings;
    private final OpenApiDeadline deadline;
    private final OpenApiSettings settings;
    private final String prefix;
    private List<PathEntry> paths;
    private List<Operation> operations;

    OpenApiContext(OpenApiDocument root, OpenApiVersion version, OpenApiRefs refs, OpenApiFindings findings,
                   OpenApiDeadline deadline, OpenApiSettings settings, String prefix) {
        this.root = root;
        this.version = version;
        this.refs = refs;
        this.findings = findings;
        this.deadline = deadline;
        this.settings = settings;
        this.prefix = prefix;
    }

    OpenApiDocument root() {
        return root;
    }

    OpenApiNode rootNode() {
        return root.rootNode();
    }

    OpenApiVersion version() {
        return version;
    }

    OpenApiRefs refs() {
        return refs;
    }

    OpenApiFindings findings() {
        return findings;
    }

    OpenApiDeadline deadline() {
        return deadline;
    }

    OpenApiSettings settings() {
        return settings;
    }

    /** @return the path prefix of this check (the request's, else the configured one) */
    String prefix() {
        return prefix;
    }

    /**
     * @param node a value, maybe a reference
     * @return what it stands for, or null when its reference does not resolve
     */
    OpenApiNode deref(OpenApiNode node) {
        return refs.deref(node);
    }

    /** @return the paths of {@code paths}, extensions ({@code x-...}) left out, in document order */
    List<PathEntry> paths() {
        if (paths == null) {
            List<PathEntry> out = new ArrayList<>();
            OpenApiNode p = rootNode().get("paths");
            if (p != null) {
                for (Map.Entry<String, OpenApiNode> e : p.members()) {
                    if (e.getKey().startsWith("x-")) {
                        continue;
                    }
                    OpenApiNode item = deref(e.getValue());
                    out.add(new PathEntry(e.getKey(), e.getValue(), item != null && item.isObject() ? item : null));
                }
            }
            paths = out;
        }
        return paths;
    }

    /** @return every operation, in document order */
    List<Operation> operations() {
        if (operations == null) {
            List<Operation> out = new ArrayList<>();
            for (PathEntry path : paths()) {
                if (path.item() == null) {
                    continue;
                }
                for (Map.Entry<String, OpenApiNode> e : path.item().members()) {
                    if (!METHODS.contains(e.getKey())) {
                        continue;
                    }
                    OpenApiNode op = deref(e.getValue());
                    if (op != null && op.isObject()) {
                        out.add(new Operation(path, e.getKey(), op));
                    }
                }
            }
            operations = out;
        }
        return operations;
    }
}
