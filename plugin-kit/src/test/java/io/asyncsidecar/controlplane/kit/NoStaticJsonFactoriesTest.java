package io.asyncsidecar.controlplane.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps {@link JsonCodec} the kit's only way to JSON-P: each static factory call scans for the provider. */
class NoStaticJsonFactoriesTest {

    private static final Pattern STATIC_FACTORY =
            Pattern.compile("\\bJson\\.create\\w*\\(|\\bJsonbBuilder\\.create\\(");

    @Test
    void mainCodeCallsNoStaticJsonFactory() throws IOException {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java"))
                    .filter(NoStaticJsonFactoriesTest::callsStaticFactory)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    private static boolean callsStaticFactory(Path file) {
        try {
            return STATIC_FACTORY.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
