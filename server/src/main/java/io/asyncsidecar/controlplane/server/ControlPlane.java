package io.asyncsidecar.controlplane.server;

import java.nio.file.Files;
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
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The routing core. {@link #configure(WebServerConfig.Builder, Config)} reads and checks the config, loads the
 * plugins and sets up a Helidon server: the request filter (authentication, access log, metrics), scope checks
 * before every plugin route, problem+json errors, health ({@link HealthApi}), {@code GET /api/plugins}
 * ({@link PluginsApi}), the plugins' routes and WebSocket endpoints, the static GUI and CORS.
 * {@link Main} uses it for the real server and tests use it from {@code @SetUpServer}.
 */
public final class ControlPlane {

    private static final System.Logger LOG = System.getLogger(ControlPlane.class.getName());

    private final ServerSettings settings;
    private final List<LoadedPlugin> plugins;
    private final Authenticator authenticator;
    private final AccessLog accessLog;
    private final ServerMetrics metrics;
    private final ServerAddress address;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ConnectionGuard connections;
    private final List<DeclaredRoute> routes = new ArrayList<>();
    private final List<PathMatcher> routeMatchers = new ArrayList<>();
    private volatile boolean closed;

    private ControlPlane(ServerSettings settings, List<LoadedPlugin> plugins, Authenticator authenticator,
                         AccessLog accessLog, ServerAddress address) {
        this.settings = settings;
        this.address = address;
        this.plugins = List.copyOf(plugins);
        this.authenticator = authenticator;
        this.accessLog = accessLog;
        this.metrics = new ServerMetrics(this::pluginStatus, accessLog::dropped);
        this.connections = new ConnectionGuard(settings.connection());
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
        AuthSettings auth = AuthSettings.from(config);
        auth.logAndWarn(settings.host());
        settings.logAndWarn();
        Authenticator authenticator = new Authenticator(auth.mode(), auth.tokens(), auth.unauthorizedHint());
        ServerAddress address = new ServerAddress();
        List<LoadedPlugin> plugins = PluginLoader.loadAll(config, settings, address);
        authenticator.anonymousScopes(declaredScopes(plugins));
        ControlPlane cp = new ControlPlane(settings, plugins, authenticator, new AccessLog(settings.accessLog()), address);
        server.featuresDiscoverServices(false)
                .shutdownHook(false)
                .maxPayloadSize(settings.maxPayloadSize())
                .shutdownGracePeriod(settings.shutdownGrace())
                .connectionOptions(o -> o.tcpNoDelay(true))
                .maxConcurrentRequests(settings.connection().maxConcurrentRequests())
                // the guard is the only selector, so Helidon hands it each connection at once, before any byte
                .protocolsDiscoverServices(false)
                .protocols(List.of(io.helidon.webserver.websocket.WsConfig.create()))
                .connectionSelectors(List.of(cp.connections))
                .directHandlers(directHandlers())
                .routing(cp::routing);
        WsRouting.Builder ws = WsRouting.builder();
        boolean anySocket = false;
        for (LoadedPlugin p : cp.plugins) {
            if (!p.active()) {
                continue;
            }
            for (DeclaredSocket s : p.sockets()) {
                PathMatcher matcher = SocketGuard.matcher(s);
                ws.endpoint(s.path(), () -> new SocketGuard(s, matcher, p.loader(), authenticator, cp.accessLog));
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
     * Closes every active plugin and its executor, then flushes the access log. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        PluginLoader.releaseAll(plugins);
        accessLog.close();
        connections.close();
    }

    /**
     * Tells plugins where the server listens ({@code PluginContext.serverBaseUrl()}); call once it has started.
     *
     * @param port the bound port
     */
    public void started(int port) {
        address.set(settings.host(), port);
    }

    /** @return the control plane's version, from the server jar's manifest */
    static String version() {
        String v = ControlPlane.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** @return the checked settings */
    public ServerSettings settings() {
        return settings;
    }

    private static DirectHandlers directHandlers() {
        ProblemDirectHandler handler = new ProblemDirectHandler();
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (DirectHandler.EventType type : List.of(DirectHandler.EventType.BAD_REQUEST,
                DirectHandler.EventType.PAYLOAD_TOO_LARGE, DirectHandler.EventType.FORBIDDEN,
                DirectHandler.EventType.INTERNAL_ERROR, DirectHandler.EventType.OTHER)) {
            b.addHandler(type, handler);
        }
        return b.build();
    }

    private static Set<String> declaredScopes(List<LoadedPlugin> plugins) {
        Set<String> scopes = new TreeSet<>();
        for (LoadedPlugin p : plugins) {
            if (p.active()) {
                p.routes().forEach(r -> scopes.addAll(r.scopes().scopes()));
                p.sockets().forEach(s -> scopes.addAll(s.scopes().scopes()));
                p.workspaceCheck().ifPresent(c -> scopes.addAll(c.scopes().scopes()));
            }
        }
        return scopes;
    }

    private void routing(HttpRouting.Builder routing) {
        ErrorMapper errors = new ErrorMapper();
        routing.error(Exception.class, errors);
        // A handler's stack overflow or out-of-memory error fails its request, not the connection or the server.
        routing.error(Error.class, errors);
        routing.addFilter(new RequestFilter(authenticator, metrics, accessLog, !settings.corsAllowedOrigins().isEmpty(),
                address, inFlight));
        if (!settings.corsAllowedOrigins().isEmpty()) {
            routing.any(CorsSupport.builder()
                    .allowOrigins(settings.corsAllowedOrigins().toArray(String[]::new))
                    .allowMethods("GET", "POST", "OPTIONS")
                    .allowHeaders("Authorization", "Content-Type", RequestFilter.TENANT_HEADER)
                    .build());
        }
        routing.register(new Lifecycle());
        routing.register(new HealthApi(plugins, metrics, () -> closed || inFlight.draining()));
        // The server's own routes, declared as plugins declare theirs: authenticated, listed by GET /api/plugins.
        List<DeclaredRoute> own = new ArrayList<>();
        own.add(new DeclaredRoute("server", Method.GET, "/api/checks", RequiredScopes.authenticated(),
                new ChecksApi(new WorkspaceChecks(plugins, WorkspaceChecks.defaultParallelism()), version())::checks));
        own.add(new DeclaredRoute("server", Method.GET, "/api/plugins", RequiredScopes.authenticated(),
                new PluginsApi(plugins, own)::list));
        for (DeclaredRoute r : own) {
            routing.route(r.method(), r.path(), new ScopeGuard(r, ControlPlane.class.getClassLoader()));
            remember(r);
        }
        for (LoadedPlugin p : plugins) {
            if (!p.active() || p.routes().isEmpty()) {
                continue;
            }
            for (DeclaredRoute r : p.routes()) {
                routing.route(r.method(), r.path(), new ScopeGuard(r, p.loader()));
            }
            p.routes().forEach(this::remember);
        }
        if (Files.isDirectory(settings.uiDir())) {
            routing.any(new UiLinkGuard(settings.uiDir()));
            routing.register("/", StaticContentService.builder(settings.uiDir()).welcomeFileName("index.html").build());
        } else {
            LOG.log(System.Logger.Level.WARNING, "ui-dir " + settings.uiDir() + " does not exist; no GUI served");
        }
        routing.any(this::unmatched);
    }

    private void remember(DeclaredRoute r) {
        routes.add(r);
        routeMatchers.add(PathMatchers.create(r.path()));
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

    private Map<String, String> pluginStatus() {
        Map<String, String> m = new LinkedHashMap<>();
        for (LoadedPlugin p : plugins) {
            m.putIfAbsent(p.id(), p.status().json());
        }
        return m;
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
