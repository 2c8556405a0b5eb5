package io.asyncsidecar.controlplane.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.asyncsidecar.controlplane.spi.ProblemException;

/**
 * Resolves paths that callers name (query parameters, request fields) inside the workspace. A caller may read
 * the workspace and nothing else: a path that leaves it, by {@code ..}, an absolute path or a symbolic link, is
 * a 400.
 */
public final class WorkspacePaths {

    private WorkspacePaths() {
    }

    /**
     * Resolves {@code relative} against {@code root} and checks it stays inside.
     *
     * @param root      the workspace root (absolute)
     * @param parameter the name of the request parameter, for the error message
     * @param relative  the caller's path; absolute paths are accepted only when inside the root
     * @return the absolute, normalised path (it may not exist)
     * @throws ProblemException 400 when the path is malformed or outside the workspace
     */
    public static Path resolve(Path root, String parameter, String relative) {
        if (relative == null || relative.isBlank()) {
            throw ProblemException.badRequest("'" + parameter + "' is empty");
        }
        if (relative.indexOf('\0') >= 0) {
            throw ProblemException.badRequest("'" + parameter + "' contains a NUL character");
        }
        Path base = root.toAbsolutePath().normalize();
        Path candidate;
        try {
            candidate = base.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw ProblemException.badRequest("'" + parameter + "' is not a valid path: " + e.getReason());
        }
        if (!candidate.startsWith(base)) {
            throw ProblemException.badRequest("'" + parameter + "' must name a path inside the workspace, got '"
                    + relative + "'").with("parameter", parameter);
        }
        // A symbolic link inside the workspace may still point out of it: check the real path when it exists.
        if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Path real = candidate.toRealPath();
                if (!real.startsWith(base.toRealPath())) {
                    throw ProblemException.badRequest("'" + parameter + "' resolves outside the workspace through a"
                            + " symbolic link: '" + relative + "'").with("parameter", parameter);
                }
            } catch (IOException e) {
                throw ProblemException.badRequest("'" + parameter + "' cannot be read: " + e.getMessage());
            }
        }
        return candidate;
    }

    /**
     * Shows a path relative to the workspace root, for reports; falls back to the file name when outside.
     *
     * @param root the workspace root
     * @param path a path
     * @return a relative path with forward slashes
     */
    public static String display(Path root, Path path) {
        Path base = root.toAbsolutePath().normalize();
        Path abs = path.toAbsolutePath().normalize();
        Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
        return shown.toString().replace('\\', '/');
    }

    /**
     * Warns, at start-up, about configured workspace paths that do not exist: pointed at a checkout with another
     * layout, every check would otherwise answer "missing" with no hint why. The warning names the key and the
     * environment variable that sets it.
     *
     * @param context the plugin's context (its workspace and logger)
     * @param key     the full config key, e.g. {@code plugins.helm.chart}
     * @param values  the configured paths, relative to the workspace; blank ones are skipped
     */
    public static void warnIfMissing(io.asyncsidecar.controlplane.spi.PluginContext context, String key,
                                     java.util.Collection<String> values) {
        for (String v : values) {
            if (v == null || v.isBlank()) {
                continue;
            }
            Path p = context.workspace().resolve(v).normalize();
            if (!Files.exists(p)) {
                String env = key.toUpperCase(java.util.Locale.ROOT).replace("-", "__").replace('.', '_');
                context.logger().log(System.Logger.Level.WARNING, key + " names " + v + ", which does not exist in the"
                        + " workspace " + context.workspace() + "; set " + env + " (or " + key + ") to the path in"
                        + " your checkout");
            }
        }
    }

    /**
     * {@link #warnIfMissing(io.asyncsidecar.controlplane.spi.PluginContext, String, java.util.Collection)} for one path.
     *
     * @param context the plugin's context
     * @param key     the full config key
     * @param value   the configured path
     */
    public static void warnIfMissing(io.asyncsidecar.controlplane.spi.PluginContext context, String key, String value) {
        warnIfMissing(context, key, java.util.Collections.singletonList(value));
    }
}
