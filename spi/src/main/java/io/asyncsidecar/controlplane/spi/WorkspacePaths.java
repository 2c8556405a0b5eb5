package io.asyncsidecar.controlplane.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves paths that callers name (query parameters, request fields) inside the workspace. The seed's server
 * read any file a query parameter named; here anything that leaves the workspace, by {@code ..}, an absolute
 * path or a symbolic link, is a 400.
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
}
