package io.asyncsidecar.controlplane.dist;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes {@link RequestFuzzIT}'s malformed requests, written byte for byte as raw HTTP/1.1. Input {@code i} of seed
 * {@code s} is always the same request whatever the number of threads: each draws from a generator seeded with
 * both. A generator of our own rather than jqwik: the inputs are one budgeted stream of requests against one live
 * server over routes known only at run time, which a property per route with shrinking does not fit, and a failing
 * input is replayed from its seed and index alone.
 */
final class RequestFuzzer {

    /** Put after a line feed in query values: a log line starting with it would be forged. */
    static final String FORGED = "FORGED-LOG-LINE";
    /** Put into bodies: the log must never show it. */
    static final String SECRET = "fuzz-secret-7f3a";

    /** Query parameter names any route reads (gathered from the plugins and the README), and some no route reads. */
    private static final List<String> NAMES = List.of("format", "path", "chart", "values", "kubeVersion", "app",
            "schema", "mode", "q", "subject", "action", "resource", "since", "until", "limit", "cursor", "run", "prefix",
            "crds", "severity", "status", "project", "sync", "health", "label", "workloads", "name", "detail", "strict",
            "profile", "endpoints", "timeout_ms", "access_token", "tenant_id", "id", "page", "all", "include", "x",
            "", "format[]", "a.b", "%00", "%zz", "values%5B0%5D");
    /** JSON members the POST routes read. */
    private static final List<String> FIELDS = List.of("endpoints", "timeout_ms", "strict", "profile", "profiles",
            "scenario", "load", "concurrency", "duration_s", "target_rate", "thresholds", "orchestrator", "parameters",
            "openapi", "payload", "meta", "version", "prefix", "expect", "args", "command", "type", "name", "steps",
            "detail", "run", "tenant_id", "id", "", "base_url", "load_duration", "token_mix", "attach_rate",
            "helm_chart", "keda_template", "karpenter_file", "argocd_manifest", "audit_log", "metrics_gateway",
            "metrics_explainer", "chaos_control", "only", "skip", "auth_token_read", "auth_token_write", "tenant_a",
            "tenant_b", "nodes", "hyperedges", "incidences", "schema", "mode", "checks", "url");
    private static final List<String> PLAIN = List.of("json", "md", "sarif", "junit", "yaml", "full", "minimal",
            "true", "false", "0", "-1", "1", "2147483648", "9223372036854775808", "1e309", "NaN", "Infinity", "-0",
            "0x10", "1.31.0", "v1.31", "manifests/helm/hypergraph", "manifests/argocd", "config", "values.yaml",
            "..", ".", "~", "*", "?", "../../../../etc/passwd", "/etc/passwd", "/proc/self/environ", "C:%5Cwindows",
            "2026-13-45T99:99:99Z", "2026-01-01T00:00:00Z", "yesterday", "(a%2B)%2B%24", "%5B", "%7B%7B.%7D%7D",
            "%24%7Bjndi:ldap://x%7D", "%3Cscript%3E", "%27%20OR%201=1--", "%22", "%60id%60", "error", "warning");
    private static final List<String> NASTY = List.of("%00", "a%00b", "%0a" + FORGED + "%20SEVERE%20x",
            "%0d%0a" + FORGED, "%1b%5b31m", "%7f", "%c2%85", "%e2%80%a8", "%ed%a0%80", "%ed%b0%80", "%f0%9f", "%ff%fe",
            "%c0%af", "%e0%80%af", "%zz", "%", "%4", "%%41", "%u0041", "%e4%b8%ad%e6%96%87", "%f0%9f%98%80", "+", "%20",
            "%09", "%5C", "%2F", "%2e%2e%2f", "..%2f..%2f", "%3B", "%26", "%3D", "%23");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/json; charset=utf-16", "application/problem+json", "text/plain", "application/x-yaml",
            "application/yaml", "multipart/form-data; boundary=x", "application/octet-stream",
            "application/x-www-form-urlencoded", "application/json;;;", "*/*", "", "\u00ff\u00fe", "json",
            "application/json; boundary=\"");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /**
     * A route to fuzz.
     *
     * @param method its method
     * @param path   its path, with {@code {name}} parameters
     * @param socket whether it is a WebSocket endpoint
     */
    record Route(String method, String path, boolean socket) {
    }

    /**
     * One request.
     *
     * @param index its number in the run
     * @param kind  what it fuzzes
     * @param raw   the bytes, one char each
     */
    record Input(int index, String kind, String raw) {
    }

    private final long seed;
    private final List<Route> routes;
    private final String token;

    RequestFuzzer(long seed, List<Route> routes, String token) {
        this.seed = seed;
        this.routes = List.copyOf(routes);
        this.token = token;
    }

    /**
     * Input number {@code index} of this seed.
     *
     * @param index the number
     * @return the request
     */
    Input next(int index) {
        SplittableRandom r = new SplittableRandom(seed * GOLDEN + index);
        Route route = routes.get(r.nextInt(routes.size()));
        int kind = r.nextInt(100);
        if (route.socket()) {
            return new Input(index, "upgrade " + route.path(), upgrade(r, route));
        }
        if (kind < 45) {
            return new Input(index, "query " + route.method() + " " + route.path(),
                    request(r, route.method(), target(r, route, true), route.method().equals("POST") ? "{}" : null,
                            "application/json"));
        }
        if (kind < 80) {
            String body = body(r);
            return new Input(index, "body " + route.method() + " " + route.path(), request(r,
                    r.nextInt(4) == 0 ? route.method() : "POST", target(r, route, r.nextInt(3) == 0), body,
                    pick(r, CONTENT_TYPES)));
        }
        if (kind < 86) {
            return new Input(index, "framing " + route.method() + " " + route.path(), framing(r, route));
        }
        if (kind < 92) {
            return new Input(index, "path " + route.method() + " " + route.path(),
                    request(r, route.method(), pathOnly(r, route, true), null, null));
        }
        String method = pick(r, List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "get", "PROPFIND",
                "G-E-T", "M" + "A".repeat(100)));
        return new Input(index, "method " + method + " " + route.path(),
                request(r, method, target(r, route, true), null, null));
    }

    private String request(SplittableRandom r, String method, String target, String body, String contentType) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        b.append("Host: 127.0.0.1\r\n");
        if (r.nextInt(20) != 0) {
            b.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (r.nextInt(10) == 0) {
            b.append("X-Tenant-ID: ").append(pick(r, List.of("tB", "tA", "ops", "nobody", "", "../x", "a b", "\u00e9",
                    "x".repeat(300)))).append("\r\n");
        }
        if (r.nextInt(12) == 0) {
            b.append("Accept: ").append(pick(r, List.of("application/xml", "*/*", "text/html", "application/json;q=0",
                    "\u00ff"))).append("\r\n");
        }
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            if (contentType != null && !contentType.isEmpty()) {
                b.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (r.nextInt(8) == 0) {
                b.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
                int at = 0;
                while (at < bytes.length) {
                    int n = Math.min(bytes.length - at, 1 + r.nextInt(4096));
                    b.append(Integer.toHexString(n)).append(r.nextBoolean() ? ";ext=" + r.nextInt(9) : "").append("\r\n")
                            .append(body, at, at + n).append("\r\n");
                    at += n;
                }
                return b.append("0\r\n\r\n").toString();
            }
            b.append("Content-Length: ").append(bytes.length).append("\r\n");
            return b.append("Connection: close\r\n\r\n").append(body).toString();
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    /** A request whose framing is broken: lengths that lie, broken chunks, legal chunk extensions, odd methods. */
    private String framing(SplittableRandom r, Route route) {
        String body = "{\"" + pick(r, FIELDS) + "\":\"" + SECRET + "\"}";
        String head = (r.nextInt(8) == 0 ? pick(r, List.of("G\u00c9T", "P\u00d6ST", "\u00ff", "GET\u0085", "GE T"))
                : route.method()) + " " + pathOnly(r, route, false) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
        return switch (r.nextInt(9)) {
            case 0 -> head + "Content-Length: -1\r\nConnection: close\r\n\r\n" + body;
            case 1 -> head + "Content-Length: " + (body.length() + 1 + r.nextInt(100)) + "\r\nConnection: close\r\n\r\n"
                    + body;
            case 2 -> head + "Content-Length: " + pick(r, List.of("1e2", "0x10", " 5", "5 5", "+5", "99999999999999999999"))
                    + "\r\nConnection: close\r\n\r\n" + body;
            case 3 -> head + "Content-Length: 3\r\nContent-Length: 30\r\nConnection: close\r\n\r\n" + body;
            case 4 -> head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
            case 5 -> head + "Transfer-Encoding: " + pick(r, List.of("gzip", "chunked, gzip", "identity", "chunked, chunked"))
                    + "\r\nConnection: close\r\n\r\n" + body;
            case 6 -> head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + pick(r, List.of("zz", "-1",
                    "", " ", "1x", "fffffffff", "3a;", ";x")) + "\r\n" + body + "\r\n0\r\n\r\n";
            case 7 -> head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + "2\r\n{}\r\n" + body + "\r\n0\r\n\r\n";
            default -> head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(body.length()) + ";name=\"v;x\";other\r\n" + body + "\r\n0;last\r\n"
                    + (r.nextBoolean() ? "X-Trailer: 1\r\n" : "") + "\r\n";
        };
    }

    private String upgrade(SplittableRandom r, Route route) {
        String target = target(r, route, true);
        StringBuilder b = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        b.append("Upgrade: ").append(r.nextInt(6) == 0 ? pick(r, List.of("WebSocket", "h2c", "", "websocket, x"))
                : "websocket").append("\r\n");
        b.append("Connection: Upgrade, close\r\n");
        b.append("Sec-WebSocket-Version: ").append(r.nextInt(6) == 0 ? pick(r, List.of("8", "", "x", "13, 8")) : "13")
                .append("\r\n");
        b.append("Sec-WebSocket-Key: ").append(r.nextInt(6) == 0 ? pick(r, List.of("", "short", "%00", "=".repeat(40)))
                : "dGhlIHNhbXBsZSBub25jZQ==").append("\r\n");
        int auth = r.nextInt(5);
        if (auth == 0) {
            b.append("Sec-WebSocket-Protocol: bearer, ").append(token).append("\r\n");
        } else if (auth == 1) {
            b.append("Sec-WebSocket-Protocol: ").append(pick(r, List.of("bearer", "bearer, ", "x, y", "bearer, a, b")))
                    .append("\r\n");
        } else if (auth != 2) {
            b.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private String target(SplittableRandom r, Route route, boolean fuzzQuery) {
        StringBuilder t = new StringBuilder(pathOnly(r, route, r.nextInt(4) == 0));
        if (!fuzzQuery) {
            return t.toString();
        }
        int params = r.nextInt(6);
        for (int i = 0; i < params; i++) {
            t.append(i == 0 ? '?' : '&');
            String name = r.nextInt(10) == 0 ? pick(r, NASTY) : pick(r, NAMES);
            int form = r.nextInt(12);
            if (form == 0) {
                t.append(name);
                continue;
            }
            t.append(name).append('=').append(value(r));
            if (form == 1) {
                // the same parameter again, with another value
                t.append('&').append(name).append('=').append(value(r));
            }
        }
        return t.toString();
    }

    private String pathOnly(SplittableRandom r, Route route, boolean fuzzParameters) {
        Matcher m = PARAMETER.matcher(route.path());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = fuzzParameters ? pick(r, List.of("..", "%2e%2e", "%2F", "a%00", "x".repeat(1 + r.nextInt(3000)),
                    "%e4%b8%ad", "%ed%a0%80", "report.json", "CON", "-1", "00000000-0000-0000-0000-000000000000",
                    "%zz", "a;b", "*", "%20", "latest")) : pick(r, List.of("r-1", "nope", "20260101-000000-abc", "1"));
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0, 1, 2 -> pick(r, PLAIN);
            case 3, 4 -> pick(r, NASTY);
            case 5 -> pick(r, PLAIN) + pick(r, NASTY) + pick(r, PLAIN);
            case 6 -> "A".repeat(r.nextInt(4) == 0 ? 1 + r.nextInt(20_000) : 1 + r.nextInt(600));
            case 7 -> "9".repeat(1 + r.nextInt(2000));
            case 8 -> pick(r, List.of("%5B1,2%5D", "%7B%22a%22:1%7D", "null", "true", "1.5", "%5B%5D", "%7B%7D", ""));
            default -> randomBytesEncoded(r, 1 + r.nextInt(40));
        };
    }

    private static String randomBytesEncoded(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(256);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    /** A body, as one char per byte. */
    private String body(SplittableRandom r) {
        if (r.nextInt(14) == 0) {
            return binary(r, 1 + r.nextInt(4096));
        }
        String text = switch (r.nextInt(14)) {
            case 0 -> "";
            case 1 -> "[".repeat(257 + r.nextInt(5000)) + "1" + "]".repeat(r.nextInt(3) == 0 ? 0 : 257);
            case 2 -> "{\"" + pick(r, FIELDS) + "\":" + "{\"a\":".repeat(257 + r.nextInt(500)) + "1"
                    + "}".repeat(258) + "}";
            case 3 -> "{\"" + pick(r, FIELDS) + "\":" + "1".repeat(1001 + r.nextInt(5000)) + "}";
            case 4 -> "{\"" + pick(r, FIELDS) + "\":" + pick(r, List.of("1e999999999", "-1e-999999999", "-0", "1E400",
                    "123456789012345678901234567890", "0.0000000000000000000000001", "NaN", "Infinity", "01", "1.",
                    ".5", "+1", "0x1F")) + "}";
            case 5 -> "{\"" + pick(r, FIELDS) + "\":\"" + "\\ud800".repeat(1 + r.nextInt(3)) + "\"}";
            case 6 -> pick(r, List.of("{", "{\"a\":", "{\"a\" 1}", "{'a':1}", "{\"a\":1}}", "{\"a\":1} trailing",
                    "/* c */ {}", "\u00ef\u00bb\u00bf{}", "\u00fe\u00ff\u0000{\u0000}", "{\"a\":\"\u00ff\u00fe\"}",
                    "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\\x41\"}",
                    "null", "[]", "1", "\"s\"", "true", "{\"a\":1,\"a\":2}", "{\"\":{}}"));
            case 7 -> "openapi: 3.0.0\ninfo: {title: x, version: 1}\npaths:\n  /x: *a\n" + "a: &a [" + "*a,".repeat(50)
                    + "]";
            case 8 -> "{\"" + pick(r, FIELDS) + "\":[" + "\"x\",".repeat(r.nextInt(20_000)) + "\"x\"]}";
            case 9 -> "{\"payload\":\"" + SECRET + "\",\"x\":\"" + "y".repeat(r.nextInt(900_000)) + "\"}";
            default -> object(r, 0);
        };
        if (r.nextInt(5) == 0 && !text.contains(SECRET)) {
            text = text.isEmpty() ? SECRET : text.substring(0, text.length() / 2) + SECRET + text.substring(text.length() / 2);
        }
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private String object(SplittableRandom r, int depth) {
        StringBuilder b = new StringBuilder("{");
        int members = r.nextInt(depth == 0 ? 6 : 3);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"').append(pick(r, FIELDS)).append("\":").append(jsonValue(r, depth + 1));
        }
        return b.append('}').toString();
    }

    private String jsonValue(SplittableRandom r, int depth) {
        return switch (r.nextInt(depth > 4 ? 6 : 9)) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> pick(r, List.of("0", "-1", "1", "1.5", "2147483648", "-9223372036854775809", "1e308", "1e-308",
                    "99999999999999999999999999"));
            case 3 -> "\"" + pick(r, List.of("", "x", "http://127.0.0.1:1/metrics", "http://169.254.169.254/latest",
                    "file:///etc/passwd", "../../etc/passwd", "\\u0000", "\\ud800", "\\n" + FORGED, "e2e", "load",
                    "smoke", "x".repeat(5000), "\u00e9\u4e2d")) + "\"";
            case 4 -> "\"" + "a".repeat(r.nextInt(300)) + "\"";
            case 5 -> "[]";
            case 6 -> "[" + jsonValue(r, depth + 1) + "," + jsonValue(r, depth + 1) + "]";
            default -> object(r, depth + 1);
        };
    }

    private static String binary(SplittableRandom r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) r.nextInt(256);
        }
        return new String(c);
    }

    private static String pick(SplittableRandom r, List<String> list) {
        return list.get(r.nextInt(list.size()));
    }
}
