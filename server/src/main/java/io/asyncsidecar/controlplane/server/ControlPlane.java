package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.config.Config;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.cors.CorsSupport;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The routing core. {@link #configure(WebServerConfig.Builder, Config)} reads and checks the config, loads the
 * plugins and sets up a Helidon server: authentication and scope checks, problem+json errors, access log and
 * metrics, health, {@code GET /api/plugins}, the plugins' routes and WebSocket endpoints, the static GUI and CORS.
 * {@link Main} uses it for the real server and tests use it from {@code @SetUpServer}.
 */
public final class ControlPlane {

    private static final System.Logger LOG = System.getLogger(ControlPlane.class.getName());

    private final ServerSettings settings;
    private final List<LoadedPlugin> plugins;
    private final List<DeclaredRoute> routes = new ArrayList<>();
    private final List<PathMatcher> routeMatchers = new ArrayList<>();
    private final Authenticator authenticator;
    private final ServerMetrics metrics;
    private final ServerAddress address;
    private final InFlightRequests inFlight = new InFlightRequests();
    private volatile boolean closed;

    private ControlPlane(ServerSettings settings, List<LoadedPlugin> plugins, Authenticator authenticator,
                         ServerAddress address) {
        this.settings = settings;
        this.address = address;
        this.plugins = List.copyOf(plugins);
        this.authenticator = authenticator;
        this.metrics = new ServerMetrics(this::pluginStatus);
    }

    /**
     * Configures a server builder: everything but host and port, which the caller sets (tests pick a free port).
     *
     * @param server the builder
     * @param config the root config (see config/application.yaml)
     * @return the control plane, to {@link #close()} its plugins; the server also closes them when it stops
     * @throws InvalidConfigurationException for a bad config value, naming the key
     */
    public static ControlPlane configure(WebServerConfig.Builder server, Config config) {
        ServerSettings settings = ServerSettings.from(config);
        Authenticator authenticator = new Authenticator(
                Authenticator.Mode.parse(config.get("auth.mode").asString().orElse("static")), tokens(config));
        warnAboutAuth(authenticator, settings.host());
        ServerAddress address = new ServerAddress();
        List<LoadedPlugin> plugins = new PluginLoader(config, settings, new DefaultServiceRegistry(), address).load();
        ControlPlane cp = new ControlPlane(settings, plugins, authenticator, address);
        server.featuresDiscoverServices(false)
                .shutdownHook(false)
                .maxPayloadSize(settings.maxPayloadSize())
                .shutdownGracePeriod(settings.shutdownGrace())
                .connectionOptions(o -> o.tcpNoDelay(true))
                .directHandlers(DirectHandlers.builder()
                        .addHandler(DirectHandler.EventType.BAD_REQUEST, ControlPlane::directProblem)
                        .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, ControlPlane::directProblem)
                        .addHandler(DirectHandler.EventType.FORBIDDEN, ControlPlane::directProblem)
                        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, ControlPlane::directProblem)
                        .addHandler(DirectHandler.EventType.OTHER, ControlPlane::directProblem)
                        .build())
                .routing(cp::routing);
        WsRouting.Builder ws = WsRouting.builder();
        boolean anySocket = false;
        for (LoadedPlugin p : cp.plugins) {
            if (!p.active()) {
                continue;
            }
            for (DeclaredSocket s : p.sockets()) {
                PathMatcher matcher = SocketGuard.matcher(s);
                ws.endpoint(s.path(), () -> new SocketGuard(s, matcher, p.loader(), authenticator));
                anySocket = true;
            }
        }
        if (anySocket) {
            server.addRouting(ws);
        }
        return cp;
    }

    /**
     * Starts a graceful shutdown: new requests get 503 (and {@code /health/ready} turns DOWN) while those in
     * flight finish, for at most {@code server.shutdown-grace-seconds}. Call before stopping the server.
     *
     * @return true when every in-flight request finished in time
     */
    public boolean drain() {
        return inFlight.drain(settings.shutdownGrace());
    }

    /**
     * Closes every active plugin and its executor. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LoadedPlugin p : plugins.reversed()) {
            if (p.active()) {
                p.release();
            }
        }
    }

    /**
     * Tells plugins where the server listens ({@code PluginContext.serverBaseUrl()}); call once it has started.
     *
     * @param port the bound port
     */
    public void started(int port) {
        address.set(settings.host(), port);
    }

    /** @return the checked settings */
    public ServerSettings settings() {
        return settings;
    }

    private void routing(HttpRouting.Builder routing) {
        routing.error(Exception.class, new ErrorMapper());
        routing.addFilter(new RequestFilter(authenticator, metrics, !settings.corsAllowedOrigins().isEmpty(), address,
                inFlight));
        if (!settings.corsAllowedOrigins().isEmpty()) {
            routing.any(CorsSupport.builder()
                    .allowOrigins(settings.corsAllowedOrigins().toArray(String[]::new))
                    .allowMethods("GET", "POST", "OPTIONS")
                    .allowHeaders("Authorization", "Content-Type", RequestFilter.TENANT_HEADER)
                    .build());
        }
        routing.register(new Lifecycle());
        routing.get("/healthz", this::healthz)
                .get("/health/live", this::live)
                .get("/health/ready", this::ready)
                .get("/metrics", this::metrics);
        List<DeclaredRoute> all = new ArrayList<>();
        all.add(new DeclaredRoute("server", Method.GET, "/api/plugins", RequiredScopes.authenticated(), this::plugins));
        for (LoadedPlugin p : plugins) {
            if (p.active()) {
                all.addAll(p.routes());
            }
        }
        for (DeclaredRoute r : all) {
            ClassLoader loader = r.plugin().equals("server") ? ControlPlane.class.getClassLoader()
                    : plugins.stream().filter(p -> p.id().equals(r.plugin())).findFirst().orElseThrow().loader();
            routing.route(r.method(), r.path(), new ScopeGuard(r, loader));
            routes.add(r);
            routeMatchers.add(PathMatchers.create(r.path()));
        }
        if (Files.isDirectory(settings.uiDir())) {
            routing.register("/", StaticContentService.builder(settings.uiDir()).welcomeFileName("index.html").build());
        } else {
            LOG.log(System.Logger.Level.WARNING, "ui-dir " + settings.uiDir() + " does not exist; no GUI served");
        }
        routing.any(this::unmatched);
    }

    private void unmatched(ServerRequest req, ServerResponse res) {
        Set<String> allowed = new TreeSet<>();
        for (int i = 0; i < routes.size(); i++) {
            if (routeMatchers.get(i).match(req.path()).accepted()) {
                allowed.add(routes.get(i).method().text());
            }
        }
        String path = req.path().rawPath();
        if (!allowed.isEmpty()) {
            // Sent here rather than thrown: error handling would drop the Allow header.
            res.header(HeaderValues.create(HeaderNames.ALLOW, String.join(", ", allowed)));
            Problems.send(res, ProblemException.of(405, "Method Not Allowed", req.prologue().method().text()
                    + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed)), path);
            return;
        }
        throw ProblemException.notFound("no route for " + req.prologue().method().text() + " " + path);
    }

    private void healthz(ServerRequest req, ServerResponse res) {
        sendJson(res, Map.of("ok", true, "ts", Instant.now().getEpochSecond()));
    }

    private void live(ServerRequest req, ServerResponse res) {
        sendJson(res, Map.of("status", "UP"));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        List<Map<String, String>> failed = new ArrayList<>();
        int active = 0;
        for (LoadedPlugin p : plugins) {
            if (p.active()) {
                active++;
            } else if (p.status() == LoadedPlugin.Status.FAILED) {
                failed.add(Map.of("id", p.id(), "reason", p.reason()));
            }
        }
        // Plugins load before the server listens, so a server that answers is ready; failed plugins are listed
        // (and the server serves the others) rather than turning readiness off for all.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", closed ? "DOWN" : "UP");
        body.put("plugins_active", active);
        body.put("plugins_failed", failed);
        if (closed) {
            res.status(503);
        }
        sendJson(res, body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void plugins(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LoadedPlugin p : plugins) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("version", p.version());
            m.put("status", p.status().json());
            m.put("reason", p.reason());
            m.put("source", p.source());
            m.put("routes", p.routes().stream().map(r -> Map.of("method", r.method().text(), "path", r.path(),
                    "scopes", new TreeSet<>(r.scopes().scopes()))).toList());
            m.put("sockets", p.sockets().stream().map(s -> Map.of("path", s.path(),
                    "scopes", new TreeSet<>(s.scopes().scopes()))).toList());
            list.add(m);
        }
        sendJson(res, Map.of("plugins", list));
    }

    private Map<String, String> pluginStatus() {
        Map<String, String> m = new LinkedHashMap<>();
        for (LoadedPlugin p : plugins) {
            m.putIfAbsent(p.id(), p.status().json());
        }
        return m;
    }

    static void sendJson(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Problems.toJson(body).getBytes(StandardCharsets.UTF_8));
    }

    private static DirectHandler.TransportResponse directProblem(DirectHandler.TransportRequest request,
                                                                 DirectHandler.EventType type,
                                                                 io.helidon.http.Status status,
                                                                 io.helidon.http.ServerResponseHeaders headers,
                                                                 String message) {
        String body = message != null && message.startsWith("{\"type\"") ? message
                : new String(Problems.json(ProblemException.of(status.code(), status.reasonPhrase(),
                        message == null || message.isBlank() ? status.reasonPhrase() : message),
                        request.path().isEmpty() ? null : request.path()), StandardCharsets.UTF_8);
        headers.set(HeaderValues.create(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE));
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static StaticTokens tokens(Config config) {
        String json = config.get("auth.tokens-json").asString().orElse("");
        if (!json.isBlank()) {
            return StaticTokens.parse(json, "auth.tokens-json (AUTH_TOKENS_JSON)");
        }
        String file = config.get("auth.tokens-file").asString().orElse("");
        if (file.isBlank()) {
            return StaticTokens.empty();
        }
        Path home = Path.of(config.get("home").asString().orElse("")).toAbsolutePath();
        Path path = home.resolve(file);
        try {
            return StaticTokens.parse(Files.readString(path), "auth.tokens-file (AUTH_TOKENS_FILE) " + path);
        } catch (IOException e) {
            throw new InvalidConfigurationException("auth.tokens-file (AUTH_TOKENS_FILE)", "cannot read " + path + ": " + e);
        }
    }

    private static void warnAboutAuth(Authenticator authenticator, String host) {
        if (authenticator.mode() == Authenticator.Mode.NONE) {
            boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
                    || host.startsWith("127.");
            if (loopback) {
                LOG.log(System.Logger.Level.WARNING, "auth.mode=none: every caller is anonymous with all scopes in"
                        + " tenant 'default'. Use it on a laptop only.");
            } else {
                LOG.log(System.Logger.Level.WARNING, "\n" + "!".repeat(78) + "\n!! auth.mode=none on NON-LOOPBACK address "
                        + host + ": ANYONE who reaches this port has every scope.\n!! Set AUTH_MODE=static with"
                        + " AUTH_TOKENS_JSON, or CP_HOST=127.0.0.1.\n" + "!".repeat(78));
            }
        } else if (authenticator.tokenCount() == 0) {
            LOG.log(System.Logger.Level.WARNING, "auth.mode=static with no tokens: every /api request will get 401."
                    + " Set AUTH_TOKENS_JSON or AUTH_TOKENS_FILE.");
        }
    }

    /** Closes the plugins when the server stops, whoever started it. */
    private final class Lifecycle implements HttpService {
        @Override
        public void routing(HttpRules rules) {
        }

        @Override
        public void afterStop() {
            close();
        }
    }
}
