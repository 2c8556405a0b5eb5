package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin folder, modelled on Trino's PluginClassLoader: the SPI, Helidon, JSON-P/JSON-B
 * and JDK packages come from the server (so types match across plugins and the server), everything else only
 * from the plugin's own jars, so two plugins may bundle different versions of one library. There is no fallback
 * to the server's class path: a library the plugin did not bundle is missing even when the server happens to
 * have it, so a plugin that works in one distribution works in any.
 */
final class PluginClassLoader extends URLClassLoader {

    /**
     * Packages always taken from the server. JDK classes come from the platform loader (asked before the plugin's
     * jars); listing JDK package prefixes here instead would also catch libraries such as JNA ({@code com.sun.jna}).
     */
    private static final List<String> SHARED_PREFIXES = List.of(
            "io.asyncsidecar.controlplane.spi.",
            "io.helidon.",
            "jakarta.json.", "org.eclipse.parsson.", "org.eclipse.yasson.");

    /** Resources the server owns (the SPI's service files and Helidon's metadata) are parent-first too. */
    private static final List<String> SHARED_RESOURCE_PREFIXES = List.of(
            "io/asyncsidecar/controlplane/spi/", "io/helidon/", "jakarta/json/",
            "META-INF/services/io.helidon.", "META-INF/services/jakarta.json.", "META-INF/helidon/");

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final String pluginName;

    PluginClassLoader(String pluginName, List<URL> urls, ClassLoader serverLoader) {
        super("plugin-" + pluginName, urls.toArray(URL[]::new), serverLoader);
        this.pluginName = pluginName;
    }

    String pluginName() {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (isShared(name)) {
                    c = getParent().loadClass(name);
                } else {
                    c = platformClass(name);
                    if (c == null) {
                        try {
                            c = findClass(name);
                        } catch (ClassNotFoundException e) {
                            throw new ClassNotFoundException(name + " is not in plugin " + pluginName
                                    + "'s folder, and the server shares only the SPI, Helidon, JSON-P and JSON-B", e);
                        }
                    }
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return getParent().getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : PLATFORM.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        if (isSharedResource(name)) {
            all.addAll(Collections.list(getParent().getResources(name)));
        } else {
            all.addAll(Collections.list(findResources(name)));
            all.addAll(Collections.list(PLATFORM.getResources(name)));
        }
        return Collections.enumeration(all);
    }

    private static Class<?> platformClass(String name) {
        try {
            return PLATFORM.loadClass(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static boolean isShared(String className) {
        for (String p : SHARED_PREFIXES) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSharedResource(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        for (String p : SHARED_RESOURCE_PREFIXES) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
