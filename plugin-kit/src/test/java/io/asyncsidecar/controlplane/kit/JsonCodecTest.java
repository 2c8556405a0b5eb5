package io.asyncsidecar.controlplane.kit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.checks.Severity;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCodecTest {

    @Test
    void writesNestedMapsAndListsInTheMapsOwnOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 2.5);
        inner.put("a", List.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", Arrays.asList(true, null, "x", List.of(7L, Map.of())));
        m.put("c", inner);
        m.put("d", new Object[] {"arr", 3});

        assertThat(JsonCodec.write(m))
                .isEqualTo("{\"b\":1,\"a\":[true,null,\"x\",[7,{}]],\"c\":{\"z\":2.5,\"a\":[]},\"d\":[\"arr\",3]}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String text = "say \"hi\" \\ path\n\ttab \u0001 \u001f end";

        assertThat(JsonCodec.write(text))
                .isEqualTo("\"say \\\"hi\\\" \\\\ path\\n\\ttab \\u0001 \\u001f end\"");
        assertThat(JsonCodec.write(Map.of("key \"q\"", "v")))
                .isEqualTo("{\"key \\\"q\\\"\":\"v\"}");
    }

    @Test
    void writesUnicodeAsItIsAndEncodesItAsUtf8() {
        String text = "café ✓ 😀 \u2028";

        assertThat(JsonCodec.write(List.of(text))).isEqualTo("[\"" + text + "\"]");
        byte[] bytes = JsonCodec.writeBytes(List.of(text));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("[\"" + text + "\"]");
        // brackets and quotes 4, "caf" and three spaces 6, é 2, ✓ 3, the emoji 4, U+2028 3: UTF-8, not escaped
        assertThat(bytes).hasSize(4 + 6 + 2 + 3 + 4 + 3);
    }

    @Test
    void writesNonFiniteNumbersAsStrings() {
        List<Object> values = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN, 1.5);

        assertThat(JsonCodec.write(values)).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\",\"NaN\",1.5]");
        assertThat(JsonCodec.toJsonValue(values).toString()).isEqualTo(JsonCodec.write(values));
    }

    @Test
    void writesNumbersAsJsonPsOwnNumbersPrint() {
        List<Object> values = List.of(1.0E10, 1.0E-5, 0.1, 3.0, 42, -7L,
                new BigInteger("123456789012345678901234567890"), new BigDecimal("1.50"), (short) 5);

        String text = JsonCodec.write(values);

        assertThat(text).isEqualTo("[1.0E+10,0.000010,0.1,3.0,42,-7,123456789012345678901234567890,1.50,5]");
        assertThat(JsonCodec.toJsonValue(values).toString()).isEqualTo(text);
    }

    @Test
    void writesNullEnumsOptionalsAndJsonValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("none", null);
        m.put("severity", Severity.WARNING);
        m.put("empty", Optional.empty());
        m.put("present", Optional.of("x"));
        m.put("tree", JsonCodec.objectBuilder().add("k", JsonCodec.arrayBuilder().add(1).add("two")).build());
        m.put("flag", false);

        assertThat(JsonCodec.write(null)).isEqualTo("null");
        assertThat(JsonCodec.write(m)).isEqualTo(
                "{\"none\":null,\"severity\":\"warning\",\"empty\":null,\"present\":\"x\",\"tree\":{\"k\":[1,\"two\"]},"
                        + "\"flag\":false}");
    }

    @Test
    void writesOtherObjectsWithTheirText() {
        Object other = new Object() {
            @Override
            public String toString() {
                return "custom";
            }
        };

        assertThat(JsonCodec.write(List.of(other))).isEqualTo("[\"custom\"]");
    }

    @Test
    void readsWhatItWrites() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "ünïcode \"quoted\"");
        m.put("list", new ArrayList<>(Arrays.asList(1, 2.5, null, true)));
        m.put("nested", Map.of("deep", List.of("x")));

        JsonObject read = JsonCodec.read(JsonCodec.write(m)).asJsonObject();

        assertThat(read.getString("name")).isEqualTo("ünïcode \"quoted\"");
        JsonArray list = read.getJsonArray("list");
        assertThat(list.getInt(0)).isEqualTo(1);
        assertThat(list.getJsonNumber(1).doubleValue()).isEqualTo(2.5);
        assertThat(list.isNull(2)).isTrue();
        assertThat(list.getBoolean(3)).isTrue();
        assertThat(read.getJsonObject("nested").getJsonArray("deep").getString(0)).isEqualTo("x");
        assertThat((JsonValue) read).isEqualTo(JsonCodec.toJsonValue(m));
    }

    @Test
    void readsArraysAndRejectsMalformedTextWithItsPosition() {
        assertThat(JsonCodec.read("[1, \"a\"]").asJsonArray()).hasSize(2);

        assertThatThrownBy(() -> JsonCodec.read("{\"a\": }"))
                .isInstanceOf(JsonParsingException.class)
                .satisfies(e -> assertThat(((JsonParsingException) e).getLocation().getColumnNumber()).isEqualTo(7));
    }
}
