package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped schema itself: it is a valid 2020-12 schema, each document of the suite is valid against exactly
 * the shapes it should be, and validating against the {@link HifShape#closest closest} shape alone gives the
 * verdict of the whole {@code oneOf} on every document (the validator relies on that).
 */
class HifSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static HifSchemas schemas;
    private static HifValidator validator;
    private static HifDocumentReader reader;

    @BeforeAll
    static void load() {
        schemas = HifSchemas.load(Optional.empty(), System.getLogger("test"));
        validator = new HifValidator(HifSettings.defaults());
        reader = new HifDocumentReader(HifSettings.defaults());
    }

    @Test
    void shippedSchemaIsAValid202012Schema() throws IOException {
        Schema meta = SchemaRegistry.withDialect(Dialects.getDraft202012())
                .getSchema(SchemaLocation.of(Dialects.getDraft202012().getId()));
        List<Error> errors = meta.validate(MAPPER.readTree(HifSchemas.builtInText()));
        assertThat(errors).isEmpty();
    }

    @Test
    void routedVerdictMatchesTheWholeOneOf() throws Exception {
        HifSchema hif = schemas.get(HifSchemas.BUILT_IN);
        List<String> checked = new ArrayList<>();
        for (Path file : suite()) {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode tree = MAPPER.readTree(bytes);
            boolean whole = validate(hif.root(), tree).isEmpty();
            HifReport routed = validator.validate(hif, reader.read(new ByteArrayInputStream(bytes)));
            assertThat(routed.valid()).as(file + ": routed " + routed.errors() + " whole oneOf " + whole).isEqualTo(whole);
            long validShapes = hif.shapes().values().stream().filter(s -> validate(s, tree).isEmpty()).count();
            assertThat(validShapes).as(file + ": shapes it is valid against").isEqualTo(whole ? 1 : 0);
            checked.add(file.getParent().getFileName() + "/" + file.getFileName());
        }
        assertThat(checked).hasSizeGreaterThan(40);
        assertThat(checked).filteredOn(n -> n.startsWith("valid/")).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void generatedLargeDocumentsAreValid() {
        HifSchema hif = schemas.get(HifSchemas.BUILT_IN);
        for (HifGenerator.Kind kind : HifGenerator.Kind.values()) {
            try (InputStream in = HifGenerator.of(kind, 300_000)) {
                HifReport report = validator.validate(hif, reader.read(in));
                assertThat(report.valid()).as(kind + " " + report.errors()).isTrue();
                assertThat(report.warningCount()).as(kind + " " + report.warnings()).isZero();
                assertThat(report.shape()).isEqualTo(kind == HifGenerator.Kind.LEGACY ? HifShape.LEGACY_GRAPH : HifShape.HYPERGRAPH);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void errorsBeyondTheLimitAreCountedNotKept() {
        HifSettings settings = new HifSettings(Optional.empty(), 1 << 20, 64, 100, 5, 5, 1, 0);
        StringBuilder nodes = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            nodes.append(i == 0 ? "" : ",").append("{\"id\":\"n").append(i).append("\",\"type\":\"WRONG\",\"text\":\"t\"}");
        }
        String doc = "{\"nodes\":[" + nodes + "],\"hyperedges\":[]}";
        HifReport report = new HifValidator(settings).validate(schemas.get(HifSchemas.BUILT_IN),
                new HifDocumentReader(settings).read(new ByteArrayInputStream(doc.getBytes())));
        assertThat(report.errorCount()).isEqualTo(50);
        assertThat(report.errors()).hasSize(5);
        assertThat(report.errors().getFirst().pointer()).isEqualTo("/nodes/0/type");
    }

    private static List<Error> validate(Schema schema, JsonNode tree) {
        return schema.validate(tree, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
    }

    static List<Path> suite() throws URISyntaxException, IOException {
        Path root = Path.of(HifSchemaTest.class.getResource("/hif/valid").toURI()).getParent();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("valid", "invalid", "warnings")) {
            try (Stream<Path> s = Files.list(root.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        return files;
    }
}
