package io.asyncsidecar.controlplane.kit.cel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.common.primitives.UnsignedLong;
import dev.cel.common.values.NullValue;

/**
 * Plain Java values (as {@code SafeYaml} and JSON give them) to CEL's runtime values and back. CEL has one
 * integer type (64-bit) and one floating type, so every integral number becomes a Long and every other number a
 * Double; a map entry whose value is null is left out, as the API server prunes a null it does not keep, so
 * {@code has()} answers false for it.
 */
final class CelValues {

    private CelValues() {
    }

    /**
     * A value for CEL.
     *
     * @param value a plain value (Map with string keys, List, String, Number, Boolean, null)
     * @return its CEL runtime form
     */
    static Object toCel(Object value) {
        return switch (value) {
            case null -> NullValue.NULL_VALUE;
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 2));
                m.forEach((k, v) -> {
                    if (v != null) {
                        out.put(String.valueOf(k), toCel(v));
                    }
                });
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(toCel(v)));
                yield out;
            }
            case Long n -> n;
            case Integer n -> n.longValue();
            case Short n -> n.longValue();
            case Byte n -> n.longValue();
            case BigInteger n -> n.bitLength() < 64 ? (Object) n.longValue() : n.doubleValue();
            case BigDecimal n -> n.doubleValue();
            case Number n -> n.doubleValue();
            case Boolean b -> b;
            case CharSequence s -> s.toString();
            case Optional<?> o -> o;
            default -> value.toString();
        };
    }

    /**
     * A CEL result as a plain value.
     *
     * @param value what the runtime returned
     * @return Boolean, Long, Double, String, List, Map, Optional or null
     */
    static Object fromCel(Object value) {
        return switch (value) {
            case null -> null;
            case NullValue n -> null;
            case com.google.protobuf.NullValue n -> null;
            case UnsignedLong u -> u.longValue();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(fromCel(k)), fromCel(v)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(fromCel(v)));
                yield out;
            }
            case Optional<?> o -> o.map(CelValues::fromCel);
            default -> value;
        };
    }
}
