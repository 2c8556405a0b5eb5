package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.spi.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * The schemas documents are validated against: the shipped HIF schema ({@value #BUILT_IN}, JSON Schema 2020-12)
 * and every {@code *.json} of {@code plugins.compliance.hif.schema-dir}, each named by its file name without
 * {@code .json} and evaluated in the dialect its {@code $schema} names (2020-12 when it names none).
 *
 * <p>Schemas reference each other only inside this set: by file name relative to the folder or by {@code $id}.
 * Nothing is fetched from the network, so a schema cannot make the server call out. A file that does not load
 * is left out with its reason, logged at start-up and given to a caller who asks for it.
 */
public final class HifSchemas {

    /** Name of the shipped schema. */
    public static final String BUILT_IN = "hif";
    /** {@code $id} of the shipped schema. */
    public static final String BUILT_IN_ID = "https://schemas.asyncsidecar.io/hif/hif.schema.json";
    static final String RESOURCE = "/io/asyncsidecar/controlplane/plugins/compliance/hif/hif.schema.json";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Schemas are Jackson trees because the validator is built on Jackson; answers still go through JsonCodec. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, HifSchema> schemas;
    private final Map<String, String> failures;
    private final String folderProblem;

    private HifSchemas(Map<String, HifSchema> schemas, Map<String, String> failures, String folderProblem) {
        this.schemas = Collections.unmodifiableMap(schemas);
        this.failures = Collections.unmodifiableMap(failures);
        this.folderProblem = folderProblem;
    }

    /**
     * Loads the shipped schema and those of the folder.
     *
     * @param dir the folder, if configured
     * @param log where skipped files are reported
     * @return the schemas; a configured folder that cannot be listed leaves the shipped schema alone, logged
     */
    public static HifSchemas load(Optional<Path> dir, System.Logger log) {
        Map<String, String> documents = new HashMap<>();
        String builtIn = builtInText();
        documents.put(BUILT_IN_ID, builtIn);
        Map<String, Path> files = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        String folderProblem = dir.map(HifSchemas::folderProblem).orElse(null);
        if (folderProblem != null) {
            log.log(System.Logger.Level.WARNING, "compliance: " + folderProblem + "; only the shipped HIF schema is available");
        } else if (dir.isPresent()) {
            for (Path file : list(dir.get())) {
                String name = file.getFileName().toString();
                name = name.substring(0, name.length() - ".json".length());
                if (name.equals(BUILT_IN)) {
                    failures.put(name, file + " has the shipped schema's name '" + BUILT_IN + "'; rename it");
                    continue;
                }
                if (!NAME.matcher(name).matches()) {
                    failures.put(name, file + ": a schema's file name must match " + NAME.pattern() + ".json");
                    continue;
                }
                try {
                    if (Files.size(file) > MAX_SCHEMA_BYTES) {
                        failures.put(name, file + " is larger than " + MAX_SCHEMA_BYTES + " bytes");
                        continue;
                    }
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    JsonNode tree = MAPPER.readTree(text);
                    if (tree == null || !(tree.isObject() || tree.isBoolean())) {
                        failures.put(name, file + " is not a JSON Schema (an object or a boolean)");
                        continue;
                    }
                    documents.put(file.toUri().toString(), text);
                    String id = tree.path("$id").asText("");
                    int hash = id.indexOf('#');
                    id = hash >= 0 ? id.substring(0, hash) : id;
                    if (!id.isEmpty()) {
                        documents.putIfAbsent(id, text);
                    }
                    files.put(name, file);
                } catch (IOException e) {
                    failures.put(name, file + " is not readable JSON: " + e.getMessage());
                }
            }
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ROOT).build())
                        .schemas(documents::get));

        Map<String, HifSchema> schemas = new TreeMap<>();
        Map<HifShape, Schema> shapes = new EnumMap<>(HifShape.class);
        for (HifShape shape : HifShape.values()) {
            shapes.put(shape, prepared(registry.getSchema(SchemaLocation.of(BUILT_IN_ID + "#/$defs/" + shape.schemaName()))));
        }
        schemas.put(BUILT_IN, new HifSchema(BUILT_IN, "built-in", SpecificationVersion.DRAFT_2020_12.getDialectId(),
                prepared(registry.getSchema(SchemaLocation.of(BUILT_IN_ID))), shapes));
        files.forEach((name, file) -> {
            try {
                Schema schema = prepared(registry.getSchema(SchemaLocation.of(file.toUri().toString())));
                String dialect = schema.getSchemaNode().path("$schema").asText(SpecificationVersion.DRAFT_2020_12.getDialectId());
                schemas.put(name, new HifSchema(name, file.toString(), dialect, schema, Map.of()));
            } catch (RuntimeException e) {
                failures.put(name, file + " does not load as a JSON Schema: " + reason(e));
            }
        });
        failures.forEach((name, reason) -> log.log(System.Logger.Level.WARNING, "compliance: HIF schema '" + name
                + "' skipped: " + reason));
        return new HifSchemas(schemas, failures, folderProblem);
    }

    private static String folderProblem(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "plugins.compliance.hif.schema-dir " + dir + " is not a folder";
        }
        if (!Files.isReadable(dir)) {
            return "plugins.compliance.hif.schema-dir " + dir + " is not readable";
        }
        return null;
    }

    private static String reason(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.FileNotFoundException missing) {
                return "it references " + missing.getMessage() + ", which is neither a file of the folder nor the $id"
                        + " of one (schemas are never fetched from the network)";
            }
        }
        return e.getMessage();
    }

    private static Schema prepared(Schema schema) {
        // resolve every $ref now, so a broken schema fails at start-up rather than on a caller's request
        schema.initializeValidators();
        return schema;
    }

    /** A schema is a few kilobytes; a larger file in the folder is refused rather than read whole. */
    private static final long MAX_SCHEMA_BYTES = 4L * 1024 * 1024;

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>();
            // Not through symbolic links: a link in the folder must not read a file from outside it.
            s.filter(p -> p.getFileName().toString().endsWith(".json")
                            && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .sorted().forEach(files::add);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("plugins.compliance.hif.schema-dir cannot be listed: " + dir, e);
        }
    }

    /** @return the shipped schema's text */
    public static String builtInText() {
        try (InputStream in = HifSchemas.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the plugin jar lacks " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schema of this name.
     *
     * @param name a name as {@code ?schema=} gives it; a trailing {@code .json} is ignored
     * @return the schema
     * @throws ProblemException 400 naming the value and the known names (and why a file was skipped)
     */
    public HifSchema get(String name) {
        String key = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        HifSchema schema = schemas.get(key);
        if (schema != null) {
            return schema;
        }
        String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        String failure = failures.get(key);
        if (failure != null) {
            throw ProblemException.badRequest("schema '" + shown + "' could not be loaded at start-up: " + failure
                    + "; known schemas: " + String.join(", ", schemas.keySet()));
        }
        throw ProblemException.badRequest("unknown schema '" + shown + "': known schemas are "
                + String.join(", ", schemas.keySet()) + (folderProblem != null ? " (" + folderProblem + ")"
                : " (plugins.compliance.hif.schema-dir adds more)"));
    }

    /** @return the loaded schemas by name */
    public Map<String, HifSchema> all() {
        return schemas;
    }

    /** @return the files left out, by name, with the reason */
    public Map<String, String> failures() {
        return failures;
    }
}
