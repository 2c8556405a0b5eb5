package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiReaderTest {

    private final OpenApiReader reader = new OpenApiReader(OpenApiLimits.defaults());

    @Test
    void yamlScalarsFollowTheCoreSchemaAsJavaScriptToolsRead() throws Exception {
        JsonNode n = yaml("a: yes\nb: on\nc: true\nd: 012\ne: 0x1f\nf: 1.5e3\ng: ~\nh: '42'\ni: .inf\nj: 2.0\n");
        assertThat(n.get("a").textValue()).isEqualTo("yes");
        assertThat(n.get("b").textValue()).isEqualTo("on");
        assertThat(n.get("c").booleanValue()).isTrue();
        assertThat(n.get("d").intValue()).isEqualTo(12);
        assertThat(n.get("e").intValue()).isEqualTo(31);
        assertThat(n.get("f").doubleValue()).isEqualTo(1500.0);
        assertThat(n.get("g").isNull()).isTrue();
        assertThat(n.get("h").textValue()).isEqualTo("42");
        assertThat(n.get("i").doubleValue()).isInfinite();
        assertThat(n.get("j").isDouble()).isTrue();
    }

    @Test
    void mergeKeysDoNotOverrideTheMappingsOwn() throws Exception {
        JsonNode n = yaml("base: &b {x: 1, y: 2}\nc:\n  y: 3\n  <<: *b\n");
        assertThat(n.get("c").get("x").intValue()).isEqualTo(1);
        assertThat(n.get("c").get("y").intValue()).isEqualTo(3);
    }

    @Test
    void jsonIsStrictAndNamesThePosition() {
        assertThatThrownBy(() -> read("{\"a\": 1}\n{\"b\": 2}", OpenApiFormat.JSON))
                .isInstanceOf(OpenApiReadException.class).hasMessageContaining("after the end of the JSON value")
                .satisfies(e -> assertThat(((OpenApiReadException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> read("{\"a\": tru}", OpenApiFormat.JSON))
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void limitsAreReportedAsLimits() {
        OpenApiReader small = new OpenApiReader(new OpenApiLimits(100, 10, 5, 20, 2, 8, 100, 100, Duration.ofSeconds(1)));
        assertThatThrownBy(() -> small.read("t", null, null, "x".repeat(101).getBytes(StandardCharsets.UTF_8), null))
                .satisfies(e -> assertThat(((OpenApiReadException) e).limit()).isTrue()).hasMessageContaining("max-file-size");
        assertThatThrownBy(() -> small.read("t", null, null, "[[[[[[[1]]]]]]]".getBytes(StandardCharsets.UTF_8),
                OpenApiFormat.JSON)).satisfies(e -> assertThat(((OpenApiReadException) e).limit()).isTrue());
        assertThatThrownBy(() -> small.read("t", null, null, "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]"
                .getBytes(StandardCharsets.UTF_8), OpenApiFormat.JSON)).hasMessageContaining("max-nodes");
    }

    @Test
    void sniffing() {
        assertThat(OpenApiFormat.sniff("\ufeff  {\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(OpenApiFormat.JSON);
        assertThat(OpenApiFormat.sniff("openapi: 3.0.0".getBytes(StandardCharsets.UTF_8))).isEqualTo(OpenApiFormat.YAML);
        assertThat(OpenApiFormat.ofContentType("application/vnd.oai.openapi+json;version=3.0")).contains(OpenApiFormat.JSON);
        assertThat(OpenApiFormat.ofContentType("text/plain; charset=utf-8")).isEmpty();
        assertThatThrownBy(() -> OpenApiFormat.ofContentType("image/png")).hasMessageContaining("'image/png'");
    }

    private JsonNode yaml(String text) throws OpenApiReadException {
        return read(text, OpenApiFormat.YAML);
    }

    private JsonNode read(String text, OpenApiFormat format) throws OpenApiReadException {
        return reader.read("t", null, null, text.getBytes(StandardCharsets.UTF_8), format).root();
    }
}
