package io.asyncsidecar.controlplane.dist;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.server.testing.RawRequests;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed requests over every route of the packaged distribution, every plugin loaded on the demo workspace. The
 * routes (methods, paths, WebSocket endpoints) come from the distribution's own {@code GET /api/plugins}, so a route
 * added tomorrow is fuzzed tomorrow; {@link RequestFuzzer} makes each request (query parameters known to any route,
 * and unknown ones, with huge, control, NUL, lone-surrogate, invalid-escape and wrong-type values, duplicated;
 * bodies deep, with long numbers, binary, with wrong content types; path parameters; upgrade requests with bad
 * parameters). For every answer: no 5xx, every error a problem+json document, no stack trace, Java class or
 * absolute server path in any body. After the run the server is ready and its log holds no error and no forged
 * line.
 *
 * <p>Seeded and repeatable: {@code -Dfuzz.seed=<n>} replays a run (the seed is printed and named in every failure),
 * {@code -Dfuzz.inputs=<n>} sets the budget (default {@value #DEFAULT_INPUTS}, what CI runs),
 * {@code -Dfuzz.threads=<n>} the parallel connections (default 4), {@code -Dfuzz.port=<port>} fuzzes a distribution
 * already running on that loopback port (started with the demo config) instead of starting one. A failure lists the
 * requests that failed; all of them go to {@code target/fuzz-failures.txt}, the server's log to
 * {@code target/fuzz-server.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFuzzIT {

    static final int DEFAULT_INPUTS = 10_000;
    private static final String TOKEN = "demo-root";
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\bjava\\.[a-z]+\\.[A-Za-z]|\\bjavax?\\.[a-z]+\\.[A-Z]|[A-Za-z]Exception\\b|[A-Za-z]Error:|\\bat (io|java|jdk|org|com|sun)\\.[a-z]"
                    + "|\\.java:\\d+\\)");

    private DistributionProcess server;
    private int port;
    private final List<RequestFuzzer.Route> routes = new ArrayList<>();
    private long seed;
    private int inputs;
    private int threads;

    @BeforeAll
    void start() throws Exception {
        seed = Long.getLong("fuzz.seed", System.nanoTime());
        inputs = Integer.getInteger("fuzz.inputs", DEFAULT_INPUTS);
        threads = Integer.getInteger("fuzz.threads", 4);
        System.out.println("RequestFuzzIT: seed " + seed + " (-Dfuzz.seed=" + seed + " replays it), " + inputs
                + " inputs (-Dfuzz.inputs), " + threads + " threads");
        Integer running = Integer.getInteger("fuzz.port");
        // Inputs that happen to be valid start real test runs: keep each one small, so that the load they generate
        // does not starve the server being fuzzed (a run may otherwise last an hour at 2,000 users).
        server = running == null ? DistributionProcess.start(Map.of("PLUGINS_TESTRUNS_MAX__LOAD__DURATION", "2",
                "PLUGINS_TESTRUNS_MAX__CONCURRENCY", "2", "PLUGINS_TESTRUNS_MAX__CONCURRENT__RUNS", "1")) : null;
        port = running == null ? server.port() : running;
        System.out.println("RequestFuzzIT: " + (server == null ? "the distribution running on port " + port
                : "a distribution started on port " + port));
        String answer = RawRequests.request(port, "GET /api/plugins HTTP/1.1", "Authorization: Bearer " + TOKEN);
        assertThat(RawRequests.status(answer)).as(answer).isEqualTo(200);
        JsonObject body = Json.createReader(new StringReader(body(answer))).readObject();
        for (JsonObject p : body.getJsonArray("plugins").getValuesAs(JsonObject.class)) {
            assertThat(p.getString("status")).as("plugin %s: %s", p.getString("id"), p).isEqualTo("active");
            for (JsonObject r : p.getJsonArray("routes").getValuesAs(JsonObject.class)) {
                routes.add(new RequestFuzzer.Route(r.getString("method"), r.getString("path"), false));
            }
            for (JsonObject s : p.getJsonArray("sockets").getValuesAs(JsonObject.class)) {
                routes.add(new RequestFuzzer.Route("GET", s.getString("path"), true));
            }
        }
        routes.add(new RequestFuzzer.Route("GET", "/api/plugins", false));
        assertThat(routes).as("routes listed by /api/plugins").hasSizeGreaterThan(15);
        assertThat(routes).as("WebSocket endpoints").anyMatch(RequestFuzzer.Route::socket);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void noMalformedInputGetsA5xxAStackTraceOrAServerPath() throws Exception {
        List<String> forbiddenPaths = serverPaths();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> slowest = new ArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger[] byClass = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
            new AtomicInteger(), new AtomicInteger()};
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            workers.add(pool.submit(() -> {
                RequestFuzzer fuzzer = new RequestFuzzer(seed + worker, routes, TOKEN);
                for (int i = worker; i < inputs; i += threads) {
                    RequestFuzzer.Input input = fuzzer.next(i);
                    String answer;
                    long t0 = System.nanoTime();
                    try {
                        answer = RawRequests.raw(port, input.raw());
                    } catch (IOException e) {
                        failures.add(describe(input, "no answer: " + e.getMessage()));
                        continue;
                    }
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    synchronized (slowest) {
                        slowest.add(ms + " ms #" + input.index() + " " + input.kind() + " -> " + RawRequests.status(answer));
                        slowest.sort(java.util.Comparator.comparingLong(x -> -Long.parseLong(x.substring(0, x.indexOf(' ')))));
                        if (slowest.size() > 12) {
                            slowest.removeLast();
                        }
                    }
                    sent.incrementAndGet();
                    int status = RawRequests.status(answer);
                    byClass[Math.max(0, Math.min(5, status / 100))].incrementAndGet();
                    String problem = check(status, answer, input, forbiddenPaths);
                    if (problem != null) {
                        failures.add(describe(input, problem + "\n--- answer ---\n" + shorten(answer, 1500)));
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(60, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("RequestFuzzIT: seed " + seed + ": " + sent + " inputs over " + routes.size() + " routes in "
                + seconds + " s; 1xx " + byClass[1] + ", 2xx " + byClass[2] + ", 3xx " + byClass[3] + ", 4xx "
                + byClass[4] + ", 5xx " + byClass[5] + ", failures " + failures.size());
        System.out.println("RequestFuzzIT: slowest: " + String.join("; ", slowest));
        java.nio.file.Files.writeString(Path.of("target/fuzz-failures.txt"), String.join("\n\n", failures));
        assertThat(failures).as("seed " + seed + " (-Dfuzz.seed=" + seed + "): " + failures.size() + " failures; first:\n"
                + String.join("\n\n", failures.subList(0, Math.min(15, failures.size())))).isEmpty();
        assertThat(sent.get()).isEqualTo(inputs);

        String ready = RawRequests.request(port, "GET /health/ready HTTP/1.1");
        assertThat(RawRequests.status(ready)).as("ready after the run: " + ready).isEqualTo(200);
        String log = server == null ? "" : server.output();
        java.nio.file.Files.writeString(Path.of("target/fuzz-server.log"), log);
        for (String line : log.split("\n")) {
            assertThat(line).as("log line (seed " + seed + ")").doesNotStartWith(RequestFuzzer.FORGED)
                    .doesNotContain(" SEVERE ").doesNotContain("internal error").doesNotContain(RequestFuzzer.SECRET);
        }
    }

    private static String check(int status, String answer, RequestFuzzer.Input input, List<String> forbiddenPaths) {
        if (status < 0) {
            return "no status line";
        }
        if (status >= 500) {
            return "status " + status;
        }
        String body = body(answer);
        if (status >= 400) {
            if (!head(answer).toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json")) {
                return "error without problem+json";
            }
            try {
                JsonObject p = Json.createReader(new StringReader(body)).readObject();
                if (p.getInt("status", -1) != status || p.get("detail") == null
                        || p.get("detail").getValueType() != JsonValue.ValueType.STRING) {
                    return "problem document without its status or detail";
                }
            } catch (RuntimeException e) {
                return "problem+json that does not parse: " + e.getMessage();
            }
        }
        var trace = STACK_TRACE.matcher(body);
        if (trace.find()) {
            return "Java class or stack trace in the body: '" + trace.group() + "'";
        }
        // GET /api/plugins names each plugin's folder on purpose (its "source"), for the operator
        String withoutSources = body.replaceAll("\"source\":\"[^\"]*\"", "");
        for (String p : forbiddenPaths) {
            if (withoutSources.contains(p)) {
                return "absolute server path in the body: " + p;
            }
        }
        return null;
    }

    /** Absolute paths of the server's own folders: no answer may name them. */
    private static List<String> serverPaths() {
        Path dist = DistributionProcess.DIST;
        List<String> paths = new ArrayList<>(List.of(dist.toString(), System.getProperty("user.home") + "/",
                "/tmp/dist-data"));
        for (Path p = dist; p != null && p.getNameCount() > 1; p = p.getParent()) {
            paths.add(p.toString() + "/");
        }
        return paths;
    }

    private static String describe(RequestFuzzer.Input input, String problem) {
        return "#" + input.index() + " " + input.kind() + ": " + problem + "\n--- request ---\n"
                + shorten(input.raw(), 1200);
    }

    private static String head(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }

    /** The body as text; a chunked one keeps its size lines, which the checks do not mind. */
    private static String body(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? "" : answer.substring(end + 4);
    }

    private static String shorten(String s, int max) {
        String printable = s.replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]", "?");
        return printable.length() <= max ? printable : printable.substring(0, max) + "... (" + s.length() + " chars)";
    }
}
