package io.asyncsidecar.controlplane.plugins.metrics.exposition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.server.testing.SharedFixtures;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The OpenMetrics project's parser test suite: every folder holds {@code metrics} and a {@code test.json} whose
 * {@code shouldParse} says whether a conforming parser accepts it. The expectation is read from the suite.
 */
class OpenMetricsSuiteTest {

    static Stream<Path> cases() throws IOException {
        Path suite = SharedFixtures.path("prometheus/OpenMetrics/parsers");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(suite)) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve("test.json"))).sorted().toList();
        }
        return dirs.stream();
    }

    @Test
    void suiteHasBothKinds() throws IOException {
        List<Path> all = cases().toList();
        long good = all.stream().filter(OpenMetricsSuiteTest::shouldParse).count();
        assertThat(all).hasSizeGreaterThan(100);
        assertThat(good).isGreaterThan(20).isLessThan(all.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void followsTheSuite(Path dir) throws IOException {
        JsonObject test = read(dir);
        assertThat(test.getString("type")).isEqualTo("text");
        Path metrics = dir.resolve(test.getString("file"));
        ExpositionParser parser = ExpositionParser.of(ExpositionFormat.OPENMETRICS);
        Exposition parsed = null;
        ExpositionParseException error = null;
        try (InputStream in = Files.newInputStream(metrics)) {
            parsed = parser.parse(in);
        } catch (ExpositionParseException e) {
            error = e;
        }
        if (test.getBoolean("shouldParse")) {
            assertThat(error).as("%s must parse", dir.getFileName()).isNull();
            assertThat(parsed.violations()).as("%s must be conformant", dir.getFileName()).isEmpty();
        } else {
            // Rejected: parsing stopped, or (for the few rules Prometheus tolerates) it went on but reported the
            // violation; either way with a line and a reason.
            ExpositionParseException e = error != null ? error
                    : parsed.violations().isEmpty() ? null : parsed.violations().getFirst();
            assertThat(e).as("%s must be rejected", dir.getFileName()).isNotNull();
            assertThat(e.line()).isPositive();
            assertThat(e.reason()).isNotBlank();
        }
    }

    /** Strict, the parser decides every case as the suite does: a case that must not parse fails the parse. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void strictDecidesAsTheSuite(Path dir) throws IOException, ExpositionParseException {
        JsonObject test = read(dir);
        ExpositionParser parser = ExpositionParser.of(ExpositionFormat.OPENMETRICS).strict(true);
        try (InputStream in = Files.newInputStream(dir.resolve(test.getString("file")))) {
            if (test.getBoolean("shouldParse")) {
                assertThat(parser.parse(in).violations()).as("%s must parse", dir.getFileName()).isEmpty();
            } else {
                ExpositionParseException e = catchThrowableOfType(ExpositionParseException.class,
                        () -> parser.parse(in));
                assertThat(e).as("%s must be rejected", dir.getFileName()).isNotNull();
                assertThat(e.line()).isPositive();
                assertThat(e.reason()).isNotBlank().doesNotContain("tolerated");
            }
        }
    }

    private static boolean shouldParse(Path dir) {
        try {
            return read(dir).getBoolean("shouldParse");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject read(Path dir) throws IOException {
        try (JsonReader r = Json.createReader(Files.newBufferedReader(dir.resolve("test.json")))) {
            return r.readObject();
        }
    }
}
