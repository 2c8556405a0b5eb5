package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.server.testing.SharedFixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real Spectral CLI ({@code @stoplight/spectral-cli}, installed by {@code .ci/run} with {@code npm ci} in
 * {@code .ci/spectral}) with the ruleset there. Tests that compare with it skip with a message when it is not
 * installed, and fail in CI, where it must be.
 */
final class Spectral {

    /**
     * One Spectral result.
     *
     * @param code   the rule
     * @param path   the JSON path segments
     * @param source the file, absolute
     * @param line   1-based line
     */
    record Result(String code, List<String> path, Path source, int line) {

        /** @return the path as an RFC 6901 pointer */
        String pointer() {
            StringBuilder sb = new StringBuilder();
            for (String s : path) {
                sb.append('/').append(OpenApiNode.escape(s));
            }
            return sb.toString();
        }
    }

    private Spectral() {
    }

    /** @return the repository's {@code .ci/spectral} folder */
    static Path folder() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/spectral/package.json"))) {
                return p.resolve(".ci/spectral");
            }
        }
        throw new AssertionError(".ci/spectral/package.json not found above " + Path.of("").toAbsolutePath());
    }

    /** @return the CLI, or a skipped test when it is not installed (a failure in CI) */
    static Path binary() {
        String configured = System.getenv("SPECTRAL_BINARY");
        Path bin = configured != null && !configured.isBlank() ? Path.of(configured)
                : folder().resolve("node_modules/.bin/spectral");
        boolean present = Files.isExecutable(bin);
        String hint = "spectral is not installed at " + bin + "; run `npm ci` in " + folder()
                + " (.ci/run does) or set SPECTRAL_BINARY";
        if (!present && SharedFixtures.required()) {
            throw new AssertionError("spectral is required in CI (CI=true or -Dfixtures.required=true): " + hint);
        }
        Assumptions.assumeTrue(present, hint + ", skipping");
        return bin;
    }

    /**
     * Lints files with the ruleset of {@code .ci/spectral/ruleset.yaml} ({@code spectral:oas}, all rules).
     *
     * @param files the specs
     * @return every result
     */
    static List<Result> lint(List<Path> files) throws IOException, InterruptedException {
        Path out = Files.createTempFile("spectral", ".json");
        try {
            List<String> command = new ArrayList<>(List.of(binary().toString(), "lint", "-r",
                    folder().resolve("ruleset.yaml").toString(), "-f", "json", "-q", "-o", out.toString()));
            files.forEach(f -> command.add(f.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("spectral did not finish in 10 minutes");
            }
            // Exit code 1 means "found errors"; only the output tells whether it ran.
            String json = Files.readString(out, StandardCharsets.UTF_8);
            if (json.isBlank()) {
                throw new AssertionError("spectral wrote nothing (exit " + p.exitValue() + "): " + command);
            }
            List<Result> results = new ArrayList<>();
            for (JsonNode r : new ObjectMapper().readTree(json)) {
                List<String> path = new ArrayList<>();
                r.path("path").forEach(s -> path.add(s.asText()));
                results.add(new Result(r.path("code").asText(), path, Path.of(r.path("source").asText()),
                        r.path("range").path("start").path("line").asInt() + 1));
            }
            return results;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
