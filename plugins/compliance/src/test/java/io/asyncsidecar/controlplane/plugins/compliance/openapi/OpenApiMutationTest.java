package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.SharedFixtures;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real specs with one value replaced by a value of another type (a string where an object belongs, a list of
 * paths, null operations...), posted as bodies: every answer is a report or a 4xx, never a 500.
 */
@ServerTest
class OpenApiMutationTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Http1Client client;

    OpenApiMutationTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ControlPlane.configure(server, TestConfigs.of(
                "auth.mode", "none",
                "data-dir", "target/test-data/openapi-mutation"));
    }

    @Test
    void mutatedSpecsNeverFailTheServer() throws Exception {
        List<Path> specs;
        try (Stream<Path> files = Files.walk(SharedFixtures.path("openapi/OpenAPI-Specification"))) {
            specs = files.filter(Files::isRegularFile).sorted().toList();
        }
        Random random = new Random(20261202);
        ObjectMapper json = new ObjectMapper();
        YAMLMapper yaml = new YAMLMapper();
        int checked = 0;
        for (Path spec : specs) {
            JsonNode original = (spec.toString().endsWith(".json") ? json : yaml).readTree(spec.toFile());
            for (int i = 0; i < 12; i++) {
                JsonNode copy = original.deepCopy();
                List<JsonNode[]> slots = new ArrayList<>();
                collect(copy, slots);
                if (slots.isEmpty()) {
                    continue;
                }
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    JsonNode[] slot = slots.get(random.nextInt(slots.size()));
                    replace(slot, random);
                }
                ClientResponseTyped<String> r = client.post(OpenApiChecks.ROUTE)
                        .contentType(MediaTypes.APPLICATION_JSON).submit(json.writeValueAsString(copy), String.class);
                assertThat(r.status().code()).as(spec + " mutated: " + r.entity()).isIn(200, 400);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(400);
    }

    /** Every (parent, key-or-index) slot of the tree, as {parent, key node}. */
    private static void collect(JsonNode node, List<JsonNode[]> slots) {
        if (node instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                slots.add(new JsonNode[] {o, F.textNode(e.getKey())});
                collect(e.getValue(), slots);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new JsonNode[] {a, F.numberNode(i)});
                collect(a.get(i), slots);
            }
        }
    }

    private static void replace(JsonNode[] slot, Random random) {
        JsonNode value = switch (random.nextInt(7)) {
            case 0 -> F.textNode("x");
            case 1 -> F.nullNode();
            case 2 -> F.numberNode(-1);
            case 3 -> F.booleanNode(true);
            case 4 -> F.arrayNode().add("y").add(F.objectNode());
            case 5 -> F.objectNode().put("$ref", "#/nowhere");
            default -> F.objectNode();
        };
        if (slot[0] instanceof ObjectNode o) {
            o.set(slot[1].asText(), value);
        } else if (slot[0] instanceof ArrayNode a && slot[1].asInt() < a.size()) {
            a.set(slot[1].asInt(), value);
        }
    }
}
