package io.asyncsidecar.controlplane.kit;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * The one way this project makes and reads JSON: a JSON-P provider looked up once, and its factories.
 *
 * <p>Every static {@code jakarta.json.Json.create*} call runs {@link JsonProvider#provider()}, a
 * {@link java.util.ServiceLoader} scan through the thread's context class loader; under a plugin class loader
 * that scan reads jars and costs about 25 µs a call, against tens of nanoseconds through the cached factories
 * here. A build test (NoStaticJsonLookupTest in the distribution module) fails when main code of any module
 * calls a static {@code Json.create*} again.
 *
 * <p>{@link #write(Object)} streams plain Java values (maps keep their order, collections, arrays, strings,
 * numbers, booleans, enums, optionals, {@link JsonValue}s, null) straight to text without building a tree.
 * Non-finite numbers (YAML's {@code .nan}, {@code .inf}) are written as strings because JSON has none.
 */
public final class JsonCodec {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
    private static final JsonGeneratorFactory GENERATORS = PROVIDER.createGeneratorFactory(Map.of());

    private JsonCodec() {
    }

    /** @return the cached provider, for the rare call the helpers here do not cover */
    public static JsonProvider provider() {
        return PROVIDER;
    }

    /** @return a new object builder */
    public static JsonObjectBuilder objectBuilder() {
        return BUILDERS.createObjectBuilder();
    }

    /** @return a new array builder */
    public static JsonArrayBuilder arrayBuilder() {
        return BUILDERS.createArrayBuilder();
    }

    /**
     * @param value the text
     * @return a JSON string
     */
    public static JsonString value(String value) {
        return PROVIDER.createValue(value);
    }

    /**
     * @param value the number
     * @return a JSON number
     */
    public static JsonNumber value(long value) {
        return PROVIDER.createValue(value);
    }

    /**
     * @param value the number; must be finite
     * @return a JSON number
     */
    public static JsonNumber value(double value) {
        return PROVIDER.createValue(value);
    }

    /**
     * @param in UTF-8 (or BOM-marked) JSON text
     * @return a reader; close it
     */
    public static JsonReader reader(InputStream in) {
        return READERS.createReader(in);
    }

    /**
     * Parses JSON text.
     *
     * @param text the text
     * @return the object or array
     * @throws jakarta.json.JsonException when malformed
     */
    public static JsonStructure read(String text) {
        try (JsonReader r = reader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            return r.read();
        }
    }

    /**
     * @param out where to write
     * @return a generator; close it
     */
    public static JsonGenerator generator(Writer out) {
        return GENERATORS.createGenerator(out);
    }

    /**
     * Turns plain Java values into a JSON value (a tree), for code that keeps or edits them.
     *
     * @param value a map, collection, scalar or null
     * @return the JSON value
     */
    public static JsonValue toJsonValue(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue v -> v;
            case String s -> PROVIDER.createValue(s);
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> PROVIDER.createValue(i.longValue());
            case Long l -> PROVIDER.createValue(l);
            case BigInteger b -> PROVIDER.createValue(b);
            case BigDecimal b -> PROVIDER.createValue(b);
            case Double d -> finite(d) ? PROVIDER.createValue(d) : PROVIDER.createValue(d.toString());
            case Float f -> finite(f) ? PROVIDER.createValue(f.doubleValue()) : PROVIDER.createValue(f.toString());
            case Number n -> PROVIDER.createValue(n.longValue());
            case Enum<?> e -> PROVIDER.createValue(e.name().toLowerCase(Locale.ROOT));
            case Map<?, ?> m -> {
                JsonObjectBuilder b = objectBuilder();
                m.forEach((k, v) -> b.add(String.valueOf(k), toJsonValue(v)));
                yield b.build();
            }
            case Collection<?> c -> {
                JsonArrayBuilder b = arrayBuilder();
                c.forEach(v -> b.add(toJsonValue(v)));
                yield b.build();
            }
            case Object[] a -> {
                JsonArrayBuilder b = arrayBuilder();
                for (Object v : a) {
                    b.add(toJsonValue(v));
                }
                yield b.build();
            }
            case Optional<?> o -> toJsonValue(o.orElse(null));
            default -> PROVIDER.createValue(value.toString());
        };
    }

    /**
     * Writes plain Java values as JSON text.
     *
     * @param value a map, collection, scalar or null
     * @return the JSON text
     */
    public static String write(Object value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            writeValue(g, value);
        }
        return out.toString();
    }

    /**
     * Writes plain Java values as UTF-8 JSON bytes, ready to send with a Content-Length.
     *
     * @param value a map, collection, scalar or null
     * @return the bytes
     */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes one value (with its members) to a generator that is positioned where a value may stand.
     *
     * @param g     the generator
     * @param value the value
     */
    public static void writeValue(JsonGenerator g, Object value) {
        switch (value) {
            case null -> g.writeNull();
            case JsonValue v -> g.write(v);
            case String s -> g.write(s);
            case Boolean b -> g.write(b);
            case Integer i -> g.write(i);
            case Long l -> g.write(l);
            case BigInteger b -> g.write(b);
            case BigDecimal b -> g.write(b);
            // Through BigDecimal, as JSON-P's own numbers print (1.0E+10, not 1.0E10): write(x) and
            // toJsonValue(x).toString() then give the same text.
            case Double d -> {
                if (finite(d)) {
                    g.write(BigDecimal.valueOf(d));
                } else {
                    g.write(d.toString());
                }
            }
            case Float f -> {
                if (finite(f)) {
                    g.write(BigDecimal.valueOf(f.doubleValue()));
                } else {
                    g.write(f.toString());
                }
            }
            case Number n -> g.write(n.longValue());
            case Enum<?> e -> g.write(e.name().toLowerCase(Locale.ROOT));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeKey(String.valueOf(e.getKey()));
                    writeValue(g, e.getValue());
                }
                g.writeEnd();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object v : c) {
                    writeValue(g, v);
                }
                g.writeEnd();
            }
            case Object[] a -> {
                g.writeStartArray();
                for (Object v : a) {
                    writeValue(g, v);
                }
                g.writeEnd();
            }
            case Optional<?> o -> writeValue(g, o.orElse(null));
            default -> g.write(value.toString());
        }
    }

    private static boolean finite(double d) {
        return !Double.isNaN(d) && !Double.isInfinite(d);
    }
}
