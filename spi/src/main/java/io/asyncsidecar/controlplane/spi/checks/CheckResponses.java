package io.asyncsidecar.controlplane.spi.checks;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Answers a check endpoint with its {@link CheckReport}: JSON by default, SARIF 2.1.0 for {@code ?format=sarif},
 * and a 400 naming the value for any other format. Every check plugin answers through here so that the format
 * parameter, the content types and the JSON encoding are the same everywhere.
 *
 * <p>Bodies are written as bytes with a Content-Length (see STACK.md on chunked responses and delayed ACKs).
 * Values may be maps, collections, arrays, strings, numbers, booleans, {@link JsonValue}s, records' maps from
 * {@link Finding#toJson()}, or null; other objects are written with {@code toString()}. Non-finite numbers
 * (YAML's {@code .nan}, {@code .inf}) are written as strings because JSON has no such numbers.
 */
public final class CheckResponses {

    /** The query parameter that selects the format. */
    public static final String FORMAT_PARAMETER = "format";

    /** SARIF's registered media type. */
    public static final MediaType SARIF = MediaTypes.create("application", "sarif+json");

    private CheckResponses() {
    }

    /**
     * The formats a check endpoint answers in.
     */
    public enum Format {
        /** The plugin's JSON: its own members, then summary, findings, ignored. */
        JSON,
        /** A SARIF 2.1.0 log. */
        SARIF;

        /**
         * Parses a format name, case-insensitively.
         *
         * @param name {@code json} or {@code sarif}; null or blank means JSON
         * @return the format
         * @throws ProblemException 400 naming the unknown value
         */
        public static Format of(String name) {
            if (name == null || name.isBlank()) {
                return JSON;
            }
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "sarif" -> SARIF;
                default -> throw ProblemException.badRequest("'" + FORMAT_PARAMETER + "' must be json or sarif, got '"
                        + name + "'").with("parameter", FORMAT_PARAMETER);
            };
        }
    }

    /**
     * The format a request asks for. Call it before doing the work, so a bad value fails fast.
     *
     * @param request the request
     * @return the format, JSON when the parameter is absent
     * @throws ProblemException 400 for an unknown format
     */
    public static Format format(ServerRequest request) {
        Optional<String> value = request.query().first(FORMAT_PARAMETER).asOptional();
        return Format.of(value.orElse(null));
    }

    /**
     * Sends a report in the request's format.
     *
     * @param request     the request (its {@code format} parameter is read)
     * @param response    the response
     * @param report      the findings and summary
     * @param extra       the plugin's own JSON members, placed before summary and findings (ignored for SARIF)
     * @param toolName    SARIF tool name, e.g. {@code control-plane-keda}
     * @param toolVersion SARIF tool version
     * @param rules       the checks the tool knows, for SARIF's rule list
     * @throws ProblemException 400 for an unknown format
     */
    public static void send(ServerRequest request, ServerResponse response, CheckReport report, Map<String, ?> extra,
                            String toolName, String toolVersion, Collection<CheckRule> rules) {
        send(response, format(request), report, extra, toolName, toolVersion, rules);
    }

    /**
     * Sends a report in a given format.
     *
     * @param response    the response
     * @param format      the format
     * @param report      the findings and summary
     * @param extra       the plugin's own JSON members (ignored for SARIF)
     * @param toolName    SARIF tool name
     * @param toolVersion SARIF tool version
     * @param rules       the checks the tool knows
     */
    public static void send(ServerResponse response, Format format, CheckReport report, Map<String, ?> extra,
                            String toolName, String toolVersion, Collection<CheckRule> rules) {
        if (format == Format.SARIF) {
            write(response, SARIF, report.toSarif(toolName, toolVersion, rules));
        } else {
            write(response, MediaTypes.APPLICATION_JSON, report.toJson(extra));
        }
    }

    /**
     * Sends a JSON object built from plain Java values.
     *
     * @param response the response
     * @param body     the members
     */
    public static void sendJson(ServerResponse response, Map<String, ?> body) {
        write(response, MediaTypes.APPLICATION_JSON, body);
    }

    /**
     * Encodes plain Java values as JSON text (maps keep their order).
     *
     * @param value a map, collection, scalar or null
     * @return the JSON text
     */
    public static String toJsonText(Object value) {
        return json(value).toString();
    }

    private static void write(ServerResponse response, MediaType type, Map<String, ?> body) {
        byte[] bytes = toJsonText(body).getBytes(StandardCharsets.UTF_8);
        response.headers().contentType(type);
        response.send(bytes);
    }

    private static JsonValue json(Object value) {
        return switch (value) {
            case null -> JsonValue.NULL;
            case JsonValue v -> v;
            case String s -> Json.createValue(s);
            case Boolean b -> b ? JsonValue.TRUE : JsonValue.FALSE;
            case Integer i -> Json.createValue(i);
            case Long l -> Json.createValue(l);
            case BigInteger b -> Json.createValue(b);
            case BigDecimal b -> Json.createValue(b);
            case Double d -> finite(d) ? Json.createValue(d) : Json.createValue(d.toString());
            case Float f -> finite(f) ? Json.createValue(f.doubleValue()) : Json.createValue(f.toString());
            case Number n -> Json.createValue(n.longValue());
            case Enum<?> e -> Json.createValue(e.name().toLowerCase(Locale.ROOT));
            case Map<?, ?> m -> {
                JsonObjectBuilder b = Json.createObjectBuilder();
                m.forEach((k, v) -> b.add(String.valueOf(k), json(v)));
                yield b.build();
            }
            case Collection<?> c -> {
                JsonArrayBuilder b = Json.createArrayBuilder();
                c.forEach(v -> b.add(json(v)));
                yield b.build();
            }
            case Object[] a -> {
                JsonArrayBuilder b = Json.createArrayBuilder();
                for (Object v : a) {
                    b.add(json(v));
                }
                yield b.build();
            }
            case Optional<?> o -> json(o.orElse(null));
            default -> Json.createValue(value.toString());
        };
    }

    private static boolean finite(double d) {
        return !Double.isNaN(d) && !Double.isInfinite(d);
    }
}
