package io.asyncsidecar.controlplane.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared third-party fixtures ({@code ../shared/fixtures} beside the repository, or the
 * {@code shared.dir} system property). Tests that need them skip with a clear message when they are absent,
 * except in CI (environment {@code CI=true}, or {@code -Dfixtures.required=true}), where absence is a failure.
 */
public final class SharedFixtures {

    private SharedFixtures() {
    }

    /**
     * The fixtures folder, or a skipped test (a failure when fixtures are required).
     *
     * @return {@code <shared>/fixtures}
     */
    public static Path root() {
        Path dir = sharedDir().resolve("fixtures");
        boolean present = Files.isDirectory(dir);
        if (!present && required()) {
            throw new AssertionError("shared fixtures are required in CI (CI=true or -Dfixtures.required=true) but"
                    + " absent: " + dir);
        }
        Assumptions.assumeTrue(present, "shared fixtures absent, skipping: " + dir
                + " (set -Dshared.dir=/path/to/shared)");
        return dir;
    }

    /**
     * A path inside the fixtures folder, or a skipped test when the fixtures are absent.
     *
     * @param relative path below fixtures/, e.g. {@code helm/kedacore-charts/keda}
     * @return the absolute path
     */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) {
            throw new AssertionError("fixture missing: " + p);
        }
        return p;
    }

    /**
     * Whether missing external test prerequisites (fixtures, node exporter, helm binary) fail instead of skip.
     *
     * @return true in CI
     */
    public static boolean required() {
        return Boolean.getBoolean("fixtures.required") || "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static Path sharedDir() {
        String configured = System.getProperty("shared.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // Walk up from the module directory to the folder that holds the repository, then its shared/.
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared"))) {
                return p.resolve("shared");
            }
            if (Files.exists(p.resolve(".git")) && p.getParent() != null) {
                return p.getParent().resolve("shared");
            }
        }
        return dir.resolve("../shared").normalize();
    }
}
