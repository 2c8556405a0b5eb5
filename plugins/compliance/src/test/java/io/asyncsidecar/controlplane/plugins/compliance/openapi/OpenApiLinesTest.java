package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiLinesTest {

    @Test
    void yamlKeysItemsAndMissingMembers() {
        String yaml = """
                openapi: 3.0.0
                paths:
                  /a/b:
                    get:
                      tags:
                        - one
                        - two
                      responses: {"200": {description: ok}}
                """;
        Map<String, Integer> lines = OpenApiLines.of(OpenApiFormat.YAML, yaml.getBytes(StandardCharsets.UTF_8),
                List.of("", "/paths/~1a~1b/get", "/paths/~1a~1b/get/tags/1", "/paths/~1a~1b/get/responses/200",
                        "/paths/~1a~1b/get/operationId", "/nope/deeper"));
        assertThat(lines).containsEntry("", 1).containsEntry("/paths/~1a~1b/get", 4)
                .containsEntry("/paths/~1a~1b/get/tags/1", 7).containsEntry("/paths/~1a~1b/get/responses/200", 8)
                .containsEntry("/paths/~1a~1b/get/operationId", 4).containsEntry("/nope/deeper", 1);
    }

    @Test
    void jsonSkipsWhatIsNotWanted() {
        String json = "{\n \"a\": {\"x\": [1,\n 2]},\n \"b\": [\n  {\"c\": 1},\n  {\"c\": 2}\n ]\n}";
        Map<String, Integer> lines = OpenApiLines.of(OpenApiFormat.JSON, json.getBytes(StandardCharsets.UTF_8),
                List.of("/b/1/c", "/b/0", "/a/x/1"));
        assertThat(lines).containsEntry("/b/1/c", 6).containsEntry("/b/0", 5).containsEntry("/a/x/1", 3);
    }
}
