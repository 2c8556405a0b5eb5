package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.PluginSockets;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.SocketUpgrade;
import io.asyncsidecar.controlplane.spi.SpiVersion;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.websocket.WsListener;

/**
 * Finds, initialises and wires plugins: first those on the server's own class path (embedding, tests), then
 * one per sub-folder or jar of the plugins directory, each in its own {@link PluginClassLoader}.
 *
 * <p>Nothing a plugin does stops the server: a corrupt jar, a missing class, an exception from {@code init},
 * a route without a scope declaration or a duplicate id marks that plugin {@code failed} with the reason, and
 * loading goes on with the next.
 */
final class PluginLoader {

    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final Config root;
    private final ServerSettings settings;
    private final DefaultServiceRegistry registry;
    private final ServerAddress address;

    PluginLoader(Config root, ServerSettings settings, DefaultServiceRegistry registry, ServerAddress address) {
        this.root = root;
        this.settings = settings;
        this.registry = registry;
        this.address = address;
    }

    /** A plugin constructed but not yet initialised; {@code spi} is its manifest's SPI version, or null. */
    private record Candidate(Plugin plugin, String source, ClassLoader loader, String spi) {
        Candidate(Plugin plugin, String source, ClassLoader loader) {
            this(plugin, source, loader, null);
        }
    }

    /**
     * Loads the plugins of a config as the server and the {@code check} command both do: class-path plugins, the
     * plugins folder, the extra folder, each initialised with its config subtree and a fresh service registry.
     *
     * @param config   the root config
     * @param settings the checked server settings (folders, workspace, disabled plugins)
     * @param address  where the server listens, once known (never, for the command)
     * @return every plugin found, with its status
     */
    static List<LoadedPlugin> loadAll(Config config, ServerSettings settings, ServerAddress address) {
        return new PluginLoader(config, settings, new DefaultServiceRegistry(), address).load();
    }

    /**
     * Closes every active plugin, the last loaded first.
     *
     * @param plugins the plugins {@link #loadAll} answered
     */
    static void releaseAll(List<LoadedPlugin> plugins) {
        for (LoadedPlugin p : plugins.reversed()) {
            if (p.active()) {
                p.release();
            }
        }
    }

    /**
     * Loads every plugin and runs init, route declaration and postInit.
     *
     * @return all plugins found, in load order, with their status
     */
    List<LoadedPlugin> load() {
        List<LoadedPlugin> result = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        discoverClasspath(candidates, result);
        // The distribution's own folder first, then the site's: a site plugin with a bundled plugin's id is
        // refused (naming the bundled one), whatever the folder names.
        discoverDirectory(settings.pluginsDir(), candidates, result);
        if (settings.extraPluginsDir() != null) {
            discoverDirectory(settings.extraPluginsDir(), candidates, result);
        }
        Map<String, LoadedPlugin> byId = new LinkedHashMap<>();
        for (LoadedPlugin p : result) {
            byId.putIfAbsent(p.id(), p);
        }
        for (Candidate c : candidates) {
            LoadedPlugin loaded = initialise(c, byId);
            result.add(loaded);
            byId.putIfAbsent(loaded.id(), loaded);
        }
        for (LoadedPlugin p : result) {
            if (p.active()) {
                postInit(p);
            }
        }
        for (LoadedPlugin p : result) {
            if (p.active()) {
                askWorkspaceCheck(p);
            }
        }
        for (LoadedPlugin p : result) {
            LOG.log(p.active() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "plugin " + p.id() + " " + p.status().json() + (p.reason() == null ? "" : ": " + p.reason())
                            + " [" + p.source() + "]");
        }
        return result;
    }

    private void discoverClasspath(List<Candidate> candidates, List<LoadedPlugin> failures) {
        ClassLoader serverLoader = PluginLoader.class.getClassLoader();
        try {
            for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class, serverLoader).stream().toList()) {
                try {
                    candidates.add(new Candidate(provider.get(), "classpath:" + location(provider.type()), serverLoader));
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    failures.add(LoadedPlugin.failed(provider.type().getSimpleName(), "classpath", describe(e)));
                }
            }
        } catch (ServiceConfigurationError e) {
            failures.add(LoadedPlugin.failed("classpath", "classpath", describe(e)));
        }
    }

    private void discoverDirectory(Path dir, List<Candidate> candidates, List<LoadedPlugin> failures) {
        if (!Files.isDirectory(dir)) {
            LOG.log(System.Logger.Level.INFO, "plugins directory " + dir + " does not exist; only class-path plugins load");
            return;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            failures.add(LoadedPlugin.failed("plugins-dir", dir.toString(), "cannot list plugins directory: " + e));
            return;
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            boolean jar = name.endsWith(".jar") && Files.isRegularFile(entry);
            if (!jar && !Files.isDirectory(entry)) {
                continue;
            }
            String folderId = jar ? name.substring(0, name.length() - 4) : name;
            if (isDisabled(folderId)) {
                // Not even a class loader for a disabled plugin: its code never runs.
                failures.add(LoadedPlugin.disabled(folderId, entry.toString(), "disabled by configuration"));
                continue;
            }
            List<URL> urls;
            try {
                urls = jar ? List.of(entry.toUri().toURL()) : jarsIn(entry);
            } catch (IOException e) {
                failures.add(LoadedPlugin.failed(folderId, entry.toString(), "cannot read plugin folder: " + e));
                continue;
            }
            if (urls.isEmpty()) {
                failures.add(LoadedPlugin.failed(folderId, entry.toString(), "no jar files in plugin folder"));
                continue;
            }
            String corrupt = firstUnreadableJar(urls);
            if (corrupt != null) {
                failures.add(LoadedPlugin.failed(folderId, entry.toString(), corrupt));
                continue;
            }
            PluginClassLoader loader = new PluginClassLoader(folderId, urls, PluginLoader.class.getClassLoader());
            int found = 0;
            try {
                for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class, loader).stream().toList()) {
                    if (provider.type().getClassLoader() != loader) {
                        continue; // a class-path plugin seen through the parent loader: already discovered
                    }
                    found++;
                    // before any of the plugin's code runs: a plugin for another SPI major is refused unconstructed
                    String spi = builtAgainst(provider.type());
                    String incompatible = spiProblem(spi);
                    if (incompatible != null) {
                        failures.add(LoadedPlugin.failed(folderId, entry.toString(), incompatible).builtAgainst(spi));
                        continue;
                    }
                    String missing = PluginClassCheck.firstMissing(provider.type(), loader);
                    if (missing != null) {
                        failures.add(LoadedPlugin.failed(folderId, entry.toString(), missing).builtAgainst(spi));
                        continue;
                    }
                    try {
                        candidates.add(new Candidate(provider.get(), entry.toString(), loader, spi));
                    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                        failures.add(LoadedPlugin.failed(folderId, entry.toString(), describe(e)));
                    }
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures.add(LoadedPlugin.failed(folderId, entry.toString(), describe(e)));
                closeQuietly(loader);
                continue;
            }
            if (found == 0) {
                failures.add(LoadedPlugin.failed(folderId, entry.toString(), "no " + Plugin.class.getName()
                        + " service in META-INF/services (corrupt or not a plugin jar?)"));
                closeQuietly(loader);
            }
        }
    }

    private LoadedPlugin initialise(Candidate c, Map<String, LoadedPlugin> byId) {
        String id;
        try {
            id = c.plugin().id();
        } catch (RuntimeException | LinkageError e) {
            return LoadedPlugin.failed(c.plugin().getClass().getName(), c.source(), "id() failed: " + describe(e));
        }
        if (id == null || !ID.matcher(id).matches()) {
            return LoadedPlugin.failed(String.valueOf(id), c.source(),
                    "invalid plugin id '" + id + "': expected lower-case letters, digits and '-', starting with a letter");
        }
        LoadedPlugin existing = byId.get(id);
        if (existing != null && existing.status() != LoadedPlugin.Status.DISABLED) {
            return LoadedPlugin.failed(id, c.source(), "duplicate plugin id '" + id + "': already loaded from "
                    + existing.source() + "; this one is refused");
        }
        if (isDisabled(id)) {
            return LoadedPlugin.disabled(id, c.source(), "disabled by configuration");
        }
        LoadedPlugin loaded = new LoadedPlugin(id, c.source(), c.plugin(), c.loader(), LoadedPlugin.Status.ACTIVE, null)
                .builtAgainst(c.spi());
        var executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("plugin-" + id + "-", 0).factory());
        loaded.executor(executor);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(c.loader());
        try {
            Path data = settings.dataDir().resolve(id);
            Files.createDirectories(data);
            c.plugin().init(new DefaultPluginContext(root.get("plugins").get(id), settings.workspace(), data,
                    System.getLogger("io.asyncsidecar.controlplane.plugins." + id), executor, registry.viewFor(id), address));
            c.plugin().routes(new RouteCollector(loaded));
            c.plugin().sockets(new SocketCollector(loaded));
        } catch (Exception | LinkageError e) {
            fail(loaded, "init failed: " + describe(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return loaded;
    }

    private void postInit(LoadedPlugin p) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(p.loader());
        try {
            p.plugin().postInit(registry.viewFor(p.id()));
        } catch (Exception | LinkageError e) {
            fail(p, "postInit failed: " + describe(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** A plugin whose {@code workspaceCheck()} throws keeps serving its routes; the combined report names it. */
    private void askWorkspaceCheck(LoadedPlugin p) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(p.loader());
        try {
            WorkspaceCheck check = p.plugin().workspaceCheck().orElse(null);
            if (check != null && check.scopes() == null) {
                throw new IllegalArgumentException("the workspace check declares no scopes; use RequiredScopes.of(..)"
                        + " or RequiredScopes.authenticated()");
            }
            p.workspaceCheck(check, null);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "plugin " + p.id() + ": workspaceCheck() failed: " + describe(e));
            p.workspaceCheck(null, "workspaceCheck() failed: " + describe(e));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void fail(LoadedPlugin p, String why) {
        p.fail(why);
        registry.withdraw(p.id());
        p.release();
    }

    private boolean isDisabled(String id) {
        return settings.disabledPlugins().contains(id)
                || !root.get("plugins").get(id).get("enabled").asBoolean().orElse(true);
    }

    private static List<URL> jarsIn(Path folder) throws IOException {
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.sorted().toList()) {
                if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                    urls.add(p.toUri().toURL());
                }
            }
        }
        return urls;
    }

    private static String firstUnreadableJar(List<URL> urls) {
        for (URL u : urls) {
            try (var jar = new java.util.jar.JarFile(Path.of(java.net.URI.create(u.toString())).toFile())) {
                jar.size();
            } catch (IOException | RuntimeException e) {
                return "corrupt jar " + u.getPath() + ": " + e.getMessage();
            }
        }
        return null;
    }

    /**
     * The {@value SpiVersion#MANIFEST_ATTRIBUTE} of the jar a plugin class comes from.
     *
     * @return the attribute as written, or null when the jar has none (or the class is not in a jar)
     */
    private static String builtAgainst(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null || !cs.getLocation().getPath().endsWith(".jar")) {
            return null;
        }
        try (JarFile jar = new JarFile(Path.of(cs.getLocation().toURI()).toFile())) {
            Manifest mf = jar.getManifest();
            return mf == null ? null : mf.getMainAttributes().getValue(SpiVersion.MANIFEST_ATTRIBUTE);
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Why a plugin built against {@code declared} cannot load on this server's SPI, or null when it can. A plugin
     * without the attribute (built by hand, or before SPI versions existed) loads: its classes are still checked
     * for links the server cannot satisfy, and {@code GET /api/plugins} shows {@code spi_version: null}.
     */
    static String spiProblem(String declared) {
        if (declared == null) {
            return null;
        }
        SpiVersion built;
        try {
            built = SpiVersion.parse(declared);
        } catch (IllegalArgumentException e) {
            return "unreadable " + SpiVersion.MANIFEST_ATTRIBUTE + " in the plugin's manifest: " + e.getMessage();
        }
        SpiVersion server = SpiVersion.CURRENT;
        if (built.major() != server.major()) {
            return "built for SPI " + built + ", but this server provides SPI " + server + ": incompatible major version;"
                    + " rebuild the plugin against SPI " + server.major() + ".x";
        }
        if (!server.runs(built)) {
            return "built for SPI " + built + ", newer than this server's SPI " + server
                    + ": it may call methods this server lacks; upgrade the server or build against SPI " + server;
        }
        return null;
    }

    private static String location(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? type.getName() : cs.getLocation().getPath();
    }

    static String describe(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder();
        Set<Throwable> seen = new HashSet<>();
        while (t != null && seen.add(t) && sb.length() < 500) {
            if (!sb.isEmpty()) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            t = t.getCause();
        }
        return sb.toString();
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing was loaded from it
        }
    }

    /** Collects a plugin's routes, checking each declaration. */
    private static final class RouteCollector implements PluginRoutes {
        private final LoadedPlugin plugin;

        RouteCollector(LoadedPlugin plugin) {
            this.plugin = plugin;
        }

        @Override
        public PluginRoutes route(Method method, String path, RequiredScopes scopes, Handler handler) {
            String full = fullPath("/api/", plugin.id(), path);
            if (method == null || handler == null) {
                throw new IllegalArgumentException("route " + full + " needs a method and a handler");
            }
            if (scopes == null) {
                throw new IllegalArgumentException("route " + method.text() + " " + full
                        + " declares no scopes; use RequiredScopes.of(..) or RequiredScopes.authenticated()");
            }
            plugin.routes().add(new DeclaredRoute(plugin.id(), method, full, scopes, handler));
            return this;
        }
    }

    /** Collects a plugin's WebSocket endpoints, checking each declaration. */
    private static final class SocketCollector implements PluginSockets {
        private final LoadedPlugin plugin;

        SocketCollector(LoadedPlugin plugin) {
            this.plugin = plugin;
        }

        @Override
        public PluginSockets endpoint(String path, RequiredScopes scopes, Function<SocketUpgrade, WsListener> listener) {
            String full = fullPath("/ws/", plugin.id(), path);
            if (scopes == null) {
                throw new IllegalArgumentException("WebSocket endpoint " + full + " declares no scopes");
            }
            if (listener == null) {
                throw new IllegalArgumentException("WebSocket endpoint " + full + " needs a listener factory");
            }
            plugin.sockets().add(new DeclaredSocket(plugin.id(), full, scopes, listener));
            return this;
        }
    }

    static String fullPath(String prefix, String id, String relative) {
        String r = relative == null ? "" : relative.strip();
        if (r.equals("/")) {
            r = "";
        }
        if (!r.isEmpty() && !r.startsWith("/")) {
            r = "/" + r;
        }
        String full = prefix + id + r;
        PathMatchers.create(full); // fails early on a malformed pattern
        return full;
    }
}
