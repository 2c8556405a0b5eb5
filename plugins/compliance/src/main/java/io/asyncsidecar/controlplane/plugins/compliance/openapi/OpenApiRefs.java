package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Resolves {@code $ref}s: JSON pointers into the same document, and relative files beside it, which are read (once)
 * only when they stay inside the workspace, symbolic links included. Remote and absolute references are never
 * followed, so a posted spec cannot make the server fetch a URL or read a file outside the workspace. Chains of
 * references are followed up to {@link OpenApiLimits#maxRefHops()}, cycles stop. Not thread-safe: one per check.
 */
final class OpenApiRefs {

    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    /**
     * The answer for one {@code $ref}.
     *
     * @param target  the value it names, or null when it does not resolve
     * @param problem why it does not resolve, or null
     */
    record Resolution(OpenApiNode target, String problem) {
    }

    private final Path workspace;
    private final OpenApiReader reader;
    private final OpenApiLimits limits;
    private final OpenApiDeadline deadline;
    private final Map<Path, OpenApiDocument> documents = new LinkedHashMap<>();
    private final Map<Path, String> unreadable = new HashMap<>();
    private final Map<String, Resolution> cache = new HashMap<>();
    private final List<OpenApiReadFailure> readFailures = new ArrayList<>();
    private final OpenApiDocument root;

    /**
     * A file that a {@code $ref} names but that could not be read or parsed.
     *
     * @param name    its workspace-relative name
     * @param failure why
     */
    record OpenApiReadFailure(String name, OpenApiReadException failure) {
    }

    OpenApiRefs(Path workspace, OpenApiReader reader, OpenApiDocument root, OpenApiDeadline deadline) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.reader = reader;
        this.limits = reader.limits();
        this.deadline = deadline;
        this.root = root;
        if (root.file() != null) {
            documents.put(root.file(), root);
        }
    }

    /** @return the root document */
    OpenApiDocument root() {
        return root;
    }

    /** @return every document read so far, the root first */
    List<OpenApiDocument> documents() {
        List<OpenApiDocument> all = new ArrayList<>();
        all.add(root);
        for (OpenApiDocument d : documents.values()) {
            if (d != root) {
                all.add(d);
            }
        }
        return all;
    }

    /** @return files that references named but that could not be parsed, in the order met */
    List<OpenApiReadFailure> readFailures() {
        return readFailures;
    }

    /**
     * Follows a node's {@code $ref} chain.
     *
     * @param node a value, maybe a {@code $ref} object
     * @return the value it stands for (itself when it is no reference), or null when a reference in the chain does
     *         not resolve or the chain loops or is too long
     */
    OpenApiNode deref(OpenApiNode node) {
        if (node == null) {
            return null;
        }
        OpenApiNode current = node;
        Set<String> seen = null;
        for (int hops = 0; current.isRef(); hops++) {
            if (hops >= limits.maxRefHops()) {
                return null;
            }
            if (seen == null) {
                seen = new HashSet<>();
            }
            if (!seen.add(current.toString())) {
                return null;
            }
            current = resolve(current).target();
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /**
     * Resolves one reference, without following the target's own.
     *
     * @param holder an object with a string {@code $ref}
     * @return the target or the problem
     */
    Resolution resolve(OpenApiNode holder) {
        String ref = holder.text("$ref");
        String key = holder.document().name() + "\u0000" + ref;
        Resolution known = cache.get(key);
        if (known == null) {
            known = compute(holder.document(), ref);
            cache.put(key, known);
        }
        return known;
    }

    private Resolution compute(OpenApiDocument from, String ref) {
        deadline.check();
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? null : ref.substring(hash + 1);
        OpenApiDocument target = from;
        if (!filePart.isEmpty()) {
            if (SCHEME.matcher(filePart).find() || filePart.startsWith("//")) {
                return failed("'" + ref + "' is a remote or absolute reference; only files beside the spec inside the"
                        + " workspace are read, so it was not fetched");
            }
            if (filePart.startsWith("/") || filePart.startsWith("\\")) {
                return failed("'" + ref + "' is an absolute path; only relative files beside the spec inside the"
                        + " workspace are read");
            }
            String decoded = URLDecoder.decode(filePart.replace("+", "%2B"), StandardCharsets.UTF_8);
            Resolution file = document(from, decoded, ref);
            if (file.problem() != null) {
                return file;
            }
            target = file.target().document();
        }
        if (fragment == null || fragment.isEmpty()) {
            return new Resolution(target.rootNode(), null);
        }
        String pointer = URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (!pointer.startsWith("/")) {
            return failed("'" + ref + "' names an anchor ('#" + fragment + "'); only JSON pointers are followed");
        }
        JsonNode value = target.root().at(pointer);
        if (value.isMissingNode()) {
            return failed("'" + (filePart.isEmpty() ? "#" + fragment : ref) + "' does not exist"
                    + (filePart.isEmpty() ? "" : " in " + target.name()));
        }
        return new Resolution(new OpenApiNode(target, canonical(pointer), value), null);
    }

    /** The file a reference names, read and parsed once; a problem when it is outside the workspace or unreadable. */
    private Resolution document(OpenApiDocument from, String relative, String ref) {
        Path candidate;
        try {
            candidate = from.baseDirectory().resolve(relative).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return failed("'" + ref + "' is not a valid file path: " + e.getReason());
        }
        if (!candidate.startsWith(workspace)) {
            return failed("'" + ref + "' leaves the workspace; only files inside it are read");
        }
        try {
            WorkspacePaths.resolve(workspace, "$ref", workspace.relativize(candidate).toString());
        } catch (ProblemException e) {
            return failed("'" + ref + "': " + e.detail());
        }
        OpenApiDocument known = documents.get(candidate);
        if (known != null) {
            return new Resolution(known.rootNode(), null);
        }
        String display = WorkspacePaths.display(workspace, candidate);
        String problem = unreadable.get(candidate);
        if (problem != null) {
            return failed("'" + ref + "': " + problem);
        }
        problem = read(candidate, display);
        if (problem != null) {
            unreadable.put(candidate, problem);
            return failed("'" + ref + "': " + problem);
        }
        return new Resolution(documents.get(candidate).rootNode(), null);
    }

    private String read(Path file, String display) {
        if (!Files.isRegularFile(file)) {
            return "file '" + display + "' does not exist";
        }
        if (documents.size() + 1 > limits.maxFiles()) {
            return "the spec references more than " + limits.maxFiles()
                    + " files (plugins.compliance.openapi.limits.max-files)";
        }
        try {
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                return "file '" + display + "' is " + size + " bytes, over the limit of " + limits.maxFileBytes()
                        + " (plugins.compliance.openapi.limits.max-file-size)";
            }
            byte[] bytes = WorkspaceFiles.of(workspace).readBytes(file, limits.maxFileBytes());
            OpenApiDocument doc = reader.read(display, file, file.getParent(), bytes,
                    OpenApiFormat.ofFileName(file.getFileName().toString()).orElse(null));
            documents.put(file, doc);
            return null;
        } catch (OpenApiReadException e) {
            readFailures.add(new OpenApiReadFailure(display, e));
            return "file '" + display + "' cannot be parsed (" + e.describe() + ")";
        } catch (WorkspaceFiles.Refused e) {
            return e.getMessage();
        } catch (IOException e) {
            return "file '" + display + "' cannot be read";
        }
    }

    /** Re-escapes a decoded pointer so pointers of the same value compare equal however the reference spelled it. */
    private static String canonical(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String s : OpenApiNode.segments(pointer)) {
            sb.append('/').append(OpenApiNode.escape(s));
        }
        return sb.toString();
    }

    private static Resolution failed(String problem) {
        return new Resolution(null, problem);
    }
}
