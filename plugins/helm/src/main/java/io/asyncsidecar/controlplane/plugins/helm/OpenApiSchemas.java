package io.asyncsidecar.controlplane.plugins.helm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The built-in Kubernetes API's schemas, from the OpenAPI documents dropped into one folder: OpenAPI v3 per
 * group-version ({@code kubectl get --raw /openapi/v3/apis/apps/v1 > apps-v1.json}) or the whole Swagger 2.0
 * document ({@code kubectl get --raw /openapi/v2 > swagger.json}), any {@code *.json} file name.
 *
 * <p>Which Kubernetes version a document describes: the folder under the schema folder it lies in when that is
 * named for a version ({@code 1.31/}, {@code v1.31.0/}), else its {@code info.version} ({@code v1.31.0}); a
 * document with neither ({@code unversioned}) serves every version. Only documents of the target's major.minor
 * (and unversioned ones) are used: a field added or removed between releases would otherwise be judged wrong.
 *
 * <p>Each document is read once and kept compiled until its file changes (size or modification time); the folder
 * is listed at every check so that dropped documents are picked up without a restart. Nothing is fetched.
 */
final class OpenApiSchemas {

    /** Most documents read from the folder. */
    static final int MAX_FILES = 500;
    /** Largest document read (the whole Swagger 2.0 document of a recent release is about 4 MiB). */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final int MAX_DEPTH = 4;

    /**
     * A group, version and kind.
     *
     * @param group   the API group, "" for the core group
     * @param version the version
     * @param kind    the kind
     */
    record Gvk(String group, String version, String kind) {

        /**
         * @param apiVersion an object's apiVersion ({@code apps/v1}, {@code v1})
         * @param kind       its kind
         * @return the triple
         */
        static Gvk of(String apiVersion, String kind) {
            int slash = apiVersion.indexOf('/');
            return slash < 0 ? new Gvk("", apiVersion, kind)
                    : new Gvk(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
        }
    }

    /**
     * One document, compiled.
     *
     * @param file    the file
     * @param version the Kubernetes version it describes, or null for every version
     * @param kinds   the schema of each kind it defines
     * @param problem why it could not be used, or null
     */
    record Document(Path file, DeprecatedApis.Version version, Map<Gvk, StructuralSchema> kinds, String problem) {
    }

    /**
     * What the folder offers for one Kubernetes version.
     *
     * @param target    the version
     * @param documents the documents of that version, version-specific ones first
     * @param others    every other version with a document, for messages
     * @param problems  documents that could not be read, by display name
     */
    record Lookup(DeprecatedApis.Version target, List<Document> documents, Map<Gvk, Set<String>> others,
                  List<String> problems) {

        /** @return the first document of the target version that defines a kind, or null */
        Document find(Gvk gvk) {
            for (Document d : documents) {
                if (d.kinds().containsKey(gvk)) {
                    return d;
                }
            }
            return null;
        }

        /** @return the other versions whose documents define the kind, as {@code v1.24} */
        Set<String> otherVersions(Gvk gvk) {
            return others.getOrDefault(gvk, Set.of());
        }
    }

    private record Stamp(long size, long modified) {
    }

    private record Cached(Stamp stamp, Document document) {
    }

    private final Path dir;
    private final WorkspaceFiles reader;
    private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

    /**
     * The documents of one folder.
     *
     * @param dir    the schema folder (absolute)
     * @param reader for a folder of the workspace, its reader, so that a link out of the workspace is not read;
     *               null for a folder the operator configured by an absolute path
     */
    OpenApiSchemas(Path dir, WorkspaceFiles reader) {
        this.dir = dir.toAbsolutePath().normalize();
        this.reader = reader;
    }

    /** @return the folder */
    Path dir() {
        return dir;
    }

    /**
     * The schemas for a Kubernetes version.
     *
     * @param target the target version
     * @return the documents that apply and what the others offer
     * @throws UncheckedIOException when the folder cannot be listed
     */
    Lookup forVersion(DeprecatedApis.Version target) {
        List<Document> exact = new ArrayList<>();
        List<Document> unversioned = new ArrayList<>();
        Map<Gvk, Set<String>> others = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<Path> files = files();
        cache.keySet().retainAll(Set.copyOf(files));
        for (Path f : files) {
            Document d = document(f);
            if (d.problem() != null) {
                problems.add(dir.relativize(f) + ": " + d.problem());
            } else if (d.version() == null) {
                unversioned.add(d);
            } else if (d.version().equals(target)) {
                exact.add(d);
            } else {
                for (Gvk g : d.kinds().keySet()) {
                    others.computeIfAbsent(g, k -> new TreeSet<>()).add(d.version().toString());
                }
            }
        }
        exact.addAll(unversioned);
        return new Lookup(target, exact, others, problems);
    }

    private List<Path> files() {
        try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .filter(p -> !hidden(dir.relativize(p)))
                    .sorted(Comparator.comparing(Path::toString))
                    .limit(MAX_FILES)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private Document document(Path file) {
        Stamp stamp;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamp = new Stamp(a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return new Document(file, null, Map.of(), "cannot be read: "
                    + WorkspaceFiles.describe(e, String.valueOf(file.getFileName())));
        }
        Cached c = cache.get(file);
        if (c != null && c.stamp().equals(stamp)) {
            return c.document();
        }
        Document d = stamp.size() > MAX_BYTES
                ? new Document(file, null, Map.of(), "is " + stamp.size() + " bytes, over the limit of " + MAX_BYTES)
                : read(file);
        cache.put(file, new Cached(stamp, d));
        return d;
    }

    private Document read(Path file) {
        byte[] bytes;
        try {
            bytes = reader != null ? reader.readBytes(file, MAX_BYTES) : Files.readAllBytes(file);
        } catch (IOException e) {
            return new Document(file, null, Map.of(), "cannot be read: "
                    + WorkspaceFiles.describe(e, String.valueOf(file.getFileName())));
        }
        JsonValue root;
        try (InputStream in = new ByteArrayInputStream(bytes); JsonReader r = JsonCodec.reader(in)) {
            root = r.readValue();
        } catch (IOException | RuntimeException e) {
            return new Document(file, null, Map.of(), "is not JSON: " + e.getMessage());
        }
        if (!(root instanceof JsonObject doc)) {
            return new Document(file, null, Map.of(), "is not a JSON object");
        }
        JsonValue definitions = doc.containsKey("components")
                && doc.get("components") instanceof JsonObject components ? components.get("schemas")
                : doc.get("definitions");
        if (!(definitions instanceof JsonObject named)) {
            return new Document(file, null, Map.of(), "has neither components.schemas (OpenAPI v3) nor definitions"
                    + " (Swagger 2.0)");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) plain(named);
        Map<String, StructuralSchema> compiled = StructuralSchema.ofDefinitions(plain);
        Map<Gvk, StructuralSchema> kinds = new LinkedHashMap<>();
        plain.forEach((name, schema) -> {
            if (schema instanceof Map<?, ?> m && m.get("x-kubernetes-group-version-kind") instanceof List<?> gvks) {
                for (Object g : gvks) {
                    if (g instanceof Map<?, ?> gvk && gvk.get("version") instanceof String v
                            && gvk.get("kind") instanceof String k) {
                        kinds.putIfAbsent(new Gvk(gvk.get("group") instanceof String gr ? gr : "", v, k),
                                compiled.get(name));
                    }
                }
            }
        });
        return new Document(file, version(file, doc), Map.copyOf(kinds), null);
    }

    private DeprecatedApis.Version version(Path file, JsonObject doc) {
        Path relative = dir.relativize(file);
        if (relative.getNameCount() > 1) {
            DeprecatedApis.Version v = parse(relative.getName(0).toString());
            if (v != null) {
                return v;
            }
        }
        JsonValue info = doc.get("info");
        if (info instanceof JsonObject i && i.get("version") instanceof JsonString s) {
            return parse(s.getString());
        }
        return null;
    }

    private static DeprecatedApis.Version parse(String text) {
        try {
            return DeprecatedApis.Version.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** JSON-P values as the plain values {@link StructuralSchema} compiles. */
    private static Object plain(JsonValue v) {
        return switch (v.getValueType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                ((JsonObject) v).forEach((k, x) -> {
                    // Descriptions are most of a document's text and play no part in validation (a property
                    // named "description" has a schema, not a string, as its value).
                    if (!(k.equals("description") && x instanceof JsonString)) {
                        m.put(k, plain(x));
                    }
                });
                yield m;
            }
            case ARRAY -> {
                JsonArray a = (JsonArray) v;
                List<Object> l = new ArrayList<>(a.size());
                a.forEach(x -> l.add(plain(x)));
                yield l;
            }
            case STRING -> ((JsonString) v).getString();
            case NUMBER -> {
                JsonNumber n = (JsonNumber) v;
                BigDecimal d = n.bigDecimalValue();
                yield n.isIntegral() ? (Object) n.longValue() : d;
            }
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }
}
