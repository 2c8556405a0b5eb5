package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Checks, before a plugin's {@code init} runs, that every type its own classes name in their signatures
 * (fields, methods, constructors, supertypes) can be loaded in the plugin's class loader. An undeclared
 * dependency (a library the plugin uses but did not bundle, which the server does not share) then fails the
 * plugin at load time with the missing class named, instead of a 500 on the first request that needs it.
 *
 * <p>Only the jar holding the plugin class is read (a few dozen classes); bundled libraries may have optional
 * dependencies of their own and are not checked.
 */
final class PluginClassCheck {

    private PluginClassCheck() {
    }

    /**
     * @param pluginType the plugin class
     * @param loader     its class loader
     * @return null when every class loads, else a reason naming the class that needs the missing one
     */
    static String firstMissing(Class<?> pluginType, ClassLoader loader) {
        Path jar = jarOf(pluginType);
        if (jar == null) {
            return null;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")
                        || name.endsWith("package-info.class")) {
                    continue;
                }
                String className = name.substring(0, name.length() - 6).replace('/', '.');
                try {
                    Class<?> c = Class.forName(className, false, loader);
                    c.getDeclaredFields();
                    c.getDeclaredMethods();
                    c.getDeclaredConstructors();
                } catch (ClassNotFoundException | LinkageError | TypeNotPresentException e) {
                    return "class " + className + " needs " + missingName(e) + ", which is neither in the plugin's"
                            + " folder nor shared by the server: bundle it with the plugin";
                }
            }
        } catch (IOException e) {
            return "cannot read " + jar + ": " + e.getMessage();
        }
        return null;
    }

    private static String missingName(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? e.toString() : t.getMessage();
        return m.replace('/', '.');
    }

    private static Path jarOf(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return null;
        }
        try {
            Path p = Path.of(cs.getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
