package io.asyncsidecar.controlplane.kit.checks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.Finding;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Answers a check endpoint with its {@link CheckReport}: JSON by default, SARIF 2.1.0 ({@link SarifLog}) for
 * {@code ?format=sarif}, JUnit XML ({@link JunitReport}) for {@code ?format=junit}, and a 400 naming the value
 * and the allowed ones for any other format. Every check plugin answers through here so that the format
 * parameter, the content types and the JSON encoding are the same everywhere.
 *
 * <p>Bodies are streamed by {@link JsonCodec#writeBytes(Object)} straight from plain Java values (no JSON tree in
 * between) and sent as bytes with a Content-Length: a chunked reply of a few kilobytes can wait on the client's
 * delayed ACK. Values may be maps (their order is kept), collections, strings, numbers, booleans, enums (written
 * lower-case), JSON values, {@link Finding#toJson()} maps, or null; non-finite numbers (YAML's {@code .nan},
 * {@code .inf}) are written as strings because JSON has no such numbers. JUnit XML is written to bytes by
 * {@link JunitReport} and sent the same way.
 */
public final class CheckResponses {

    /** The query parameter that selects the format. */
    public static final String FORMAT_PARAMETER = "format";

    /** SARIF's registered media type. */
    public static final MediaType SARIF = MediaTypes.create("application", "sarif+json");

    /**
     * JUnit XML's media type: plain {@code application/xml}, as CI tools and other linters serve it (there is no
     * registered JUnit type); the document's XML declaration says UTF-8.
     */
    public static final MediaType JUNIT = MediaTypes.APPLICATION_XML;

    /** The format names, in the order a 400 lists them. */
    public static final List<String> FORMAT_NAMES = List.of("json", "sarif", "junit");

    private CheckResponses() {
    }

    /**
     * The formats a check endpoint answers in.
     */
    public enum Format {
        /** The plugin's JSON: its own members, then summary, findings, ignored. */
        JSON,
        /** A SARIF 2.1.0 log. */
        SARIF,
        /** A JUnit XML report (Ant/Surefire schema), for CI test-report views. */
        JUNIT;

        /**
         * Parses a format name, case-insensitively.
         *
         * @param name {@code json}, {@code sarif} or {@code junit}; null or blank means JSON
         * @return the format
         * @throws ProblemException 400 naming the unknown value and the allowed ones (member {@code allowed})
         */
        public static Format of(String name) {
            if (name == null || name.isBlank()) {
                return JSON;
            }
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "sarif" -> SARIF;
                case "junit" -> JUNIT;
                default -> throw ProblemException.badRequest("'" + FORMAT_PARAMETER + "' must be json, sarif or junit,"
                        + " got '" + name + "'").with("parameter", FORMAT_PARAMETER)
                        .with("allowed", FORMAT_NAMES);
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
        return Format.of(request.query().first(FORMAT_PARAMETER).orElse(null));
    }

    /**
     * Sends a report in a given format.
     *
     * @param response the response
     * @param format   the format
     * @param report   the findings and summary
     * @param extra    the plugin's own JSON members, placed before summary and findings (not in SARIF)
     * @param tool     the tool: its rules end the JSON answer (what a GUI links a finding's check id to) and
     *                 make SARIF's rule list; its name names the JUnit suite
     */
    public static void send(ServerResponse response, Format format, CheckReport report, Map<String, ?> extra,
                            CheckTool tool) {
        switch (format) {
            case SARIF -> sendSarif(response, SarifLog.of(tool, report));
            case JUNIT -> sendJunit(response, JunitReport.of(tool, report));
            case JSON -> sendReportJson(response, report.toJson(extra), tool);
        }
    }

    /**
     * Sends a check answer as JSON, ending with the tool's rules: for plugins that build the answer's members
     * themselves (several reports combined, their own summary) and still answer what every check answers.
     *
     * @param response the response
     * @param body     the answer's members (summary, findings, ...); the rules are added to it
     * @param tool     the tool
     */
    public static void sendReportJson(ServerResponse response, Map<String, Object> body, CheckTool tool) {
        body.put("rules", rules(tool));
        sendJson(response, body);
    }

    /**
     * The tool's rules as JSON: id, severity and what the rule holds to be right.
     *
     * @param tool the tool
     * @return one member map per rule, in the tool's order
     */
    public static List<Map<String, Object>> rules(CheckTool tool) {
        return tool.rules().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("severity", r.severity().json());
            m.put("description", r.description());
            return m;
        }).toList();
    }

    /**
     * Sends a JSON object made of plain Java values, as {@code application/json}.
     *
     * @param response the response
     * @param body     the members
     */
    public static void sendJson(ServerResponse response, Map<String, ?> body) {
        send(response, MediaTypes.APPLICATION_JSON, body);
    }

    /**
     * Sends a SARIF log (see {@link SarifLog}), as {@code application/sarif+json}.
     *
     * @param response the response
     * @param log      the log
     */
    public static void sendSarif(ServerResponse response, Map<String, ?> log) {
        send(response, SARIF, log);
    }

    /**
     * Sends a JUnit XML document (see {@link JunitReport}), as {@code application/xml}, with a Content-Length.
     *
     * @param response the response
     * @param xml      the document, UTF-8
     */
    public static void sendJunit(ServerResponse response, byte[] xml) {
        response.headers().contentType(JUNIT);
        response.send(xml);
    }

    private static void send(ServerResponse response, MediaType type, Map<String, ?> body) {
        byte[] bytes = JsonCodec.writeBytes(body);
        response.headers().contentType(type);
        response.send(bytes);
    }
}
