package io.asyncsidecar.controlplane.dist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization matrix of the packaged distribution, generated from its own {@code GET /api/plugins}: every
 * route and WebSocket of every loaded plugin (and the server's own API routes) × no token, unknown token, each
 * required scope missing, the right scopes, a foreign tenant without and with {@code tenants.admin}. A route a
 * plugin adds is covered the day it is added.
 *
 * <p>The distribution is started twice: once to read which routes and scopes exist, then with tokens made for them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {

    /** Routes the server itself serves under /api (not a plugin's), for any authenticated caller. */
    private static final List<Route> SERVER_ROUTES = List.of(new Route("GET", "/api/plugins", List.of(), false),
            new Route("GET", "/api/checks", List.of(), false));
    private static final String HOME = "tA";
    private static final String FOREIGN = "tB";
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[^}]+}");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Route> routes = new ArrayList<>();
    private final TreeSet<String> scopes = new TreeSet<>();
    private DistributionProcess server;

    @BeforeAll
    void start() throws Exception {
        try (DistributionProcess probe = DistributionProcess.start(Map.of("AUTH_TOKENS_JSON",
                "{\"probe\":{\"tenant_id\":\"" + HOME + "\",\"subject\":\"probe\",\"scopes\":[]}}"))) {
            JsonObject body = json(send(probe, "GET", "/api/plugins", "probe", null).body());
            for (JsonObject p : body.getJsonArray("plugins").getValuesAs(JsonObject.class)) {
                assertThat(p.getString("status")).as("plugin %s: %s", p.getString("id"), p).isEqualTo("active");
                for (JsonObject r : p.getJsonArray("routes").getValuesAs(JsonObject.class)) {
                    routes.add(new Route(r.getString("method"), r.getString("path"), strings(r), false));
                }
                for (JsonObject s : p.getJsonArray("sockets").getValuesAs(JsonObject.class)) {
                    routes.add(new Route("GET", s.getString("path"), strings(s), true));
                }
            }
        }
        routes.forEach(r -> scopes.addAll(r.scopes()));
        assertThat(routes).as("routes listed by /api/plugins").hasSizeGreaterThan(10);
        assertThat(scopes).as("scopes required by them").hasSizeGreaterThan(3);
        routes.addAll(SERVER_ROUTES);
        server = DistributionProcess.start(Map.of("AUTH_TOKENS_JSON", tokens()));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    List<DynamicTest> everyRouteRefusesAndAdmitsAsItsScopesSay() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route r : routes) {
            String name = (r.socket() ? "WS " : r.method() + " ") + r.path();
            tests.add(DynamicTest.dynamicTest(name + " without a token is 401", () -> {
                Answer a = call(r, null, null);
                assertThat(a.status()).as(a.text()).isEqualTo(401);
                assertThat(a.header("www-authenticate")).as(a.text()).startsWith("Bearer");
                assertProblem(a);
            }));
            tests.add(DynamicTest.dynamicTest(name + " with an unknown token is 401", () -> {
                Answer a = call(r, "not-a-token", null);
                assertThat(a.status()).as(a.text()).isEqualTo(401);
                assertProblem(a);
            }));
            for (String s : r.scopes()) {
                tests.add(DynamicTest.dynamicTest(name + " without " + s + " is 403 naming it", () -> {
                    Answer a = call(r, without(s), null);
                    assertThat(a.status()).as(a.text()).isEqualTo(403);
                    assertThat(a.problem().getString("detail")).contains(s);
                }));
            }
            tests.add(DynamicTest.dynamicTest(name + " with its scopes is admitted", () -> {
                Answer a = call(r, "m-all", null);
                assertAdmitted(a);
            }));
            tests.add(DynamicTest.dynamicTest(name + " for a foreign tenant without tenants.admin is 403", () -> {
                Answer a = call(r, "m-all", FOREIGN);
                assertThat(a.status()).as(a.text()).isEqualTo(403);
                assertThat(a.problem().getString("detail")).contains("tenants.admin");
            }));
            tests.add(DynamicTest.dynamicTest(name + " for a foreign tenant with tenants.admin is admitted", () -> {
                Answer a = call(r, "m-admin", FOREIGN);
                assertAdmitted(a);
            }));
        }
        return tests;
    }

    private static void assertAdmitted(Answer a) {
        assertThat(a.status()).as(a.text()).isNotIn(401, 403).isLessThan(500);
        if (a.status() >= 400) {
            assertProblem(a);
        }
    }

    private static void assertProblem(Answer a) {
        assertThat(a.header("content-type")).as(a.text()).startsWith("application/problem+json");
        assertThat(a.problem().getInt("status")).isEqualTo(a.status());
    }

    /** Tokens: every scope, every scope and tenants.admin, and every scope but one for each scope. */
    private String tokens() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("m-all", token(HOME, scopes));
        TreeSet<String> admin = new TreeSet<>(scopes);
        admin.add("tenants.admin");
        all.put("m-admin", token("ops", admin));
        for (String s : scopes) {
            TreeSet<String> rest = new TreeSet<>(scopes);
            rest.remove(s);
            all.put(without(s), token(HOME, rest));
        }
        StringBuilder sb = new StringBuilder("{");
        all.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return sb.append('}').toString();
    }

    private static String token(String tenant, TreeSet<String> scopes) {
        return "{\"tenant_id\":\"" + tenant + "\",\"subject\":\"matrix\",\"scopes\":\"" + String.join(",", scopes) + "\"}";
    }

    private static String without(String scope) {
        return "m-without-" + scope;
    }

    private Answer call(Route r, String token, String tenant) throws Exception {
        String path = PATH_PARAMETER.matcher(r.path()).replaceAll("matrix-probe");
        return r.socket() ? upgrade(path, token, tenant) : request(r, path, token, tenant);
    }

    private Answer request(Route r, String path, String token, String tenant) throws Exception {
        // POST bodies are a JSON array where an object is expected: past authorization it is a 400, so the matrix
        // starts no test run and posts nothing a route would act on.
        HttpResponse<String> res = send(server, r.method(), path, token,
                tenant == null ? null : Map.of("X-Tenant-ID", tenant));
        Map<String, String> headers = new LinkedHashMap<>();
        res.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        return new Answer(res.statusCode(), headers, res.body());
    }

    private HttpResponse<String> send(DistributionProcess to, String method, String path, String token,
                                      Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.baseUrl() + path)).timeout(Duration.ofSeconds(60));
        if (method.equals("GET")) {
            b.GET();
        } else {
            b.method(method, HttpRequest.BodyPublishers.ofString("[]")).header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers != null) {
            headers.forEach(b::header);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A WebSocket upgrade on a raw socket: the handshake's answer, closed right after. */
    private Answer upgrade(String path, String token, String tenant) throws IOException {
        String target = tenant == null ? path : path + (path.contains("?") ? "&" : "?") + "tenant_id=" + tenant;
        StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        if (token != null) {
            req.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        req.append("\r\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(in);
            Map<String, String> headers = headers(head);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String body = "";
            if (status != 101 && headers.containsKey("content-length")) {
                body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length").trim())),
                        StandardCharsets.UTF_8);
            }
            return new Answer(status, headers, body);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    private static List<String> strings(JsonObject o) {
        return o.getJsonArray("scopes").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private record Route(String method, String path, List<String> scopes, boolean socket) {
    }

    private record Answer(int status, Map<String, String> headers, String text) {

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        JsonObject problem() {
            assertThat(text).as("problem body of a %d", status).startsWith("{");
            JsonObject p = json(text);
            assertThat(p.get("detail")).as(text).isNotNull().isNotEqualTo(JsonValue.NULL);
            return p;
        }
    }
}
