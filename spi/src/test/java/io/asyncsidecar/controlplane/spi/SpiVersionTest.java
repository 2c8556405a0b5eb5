package io.asyncsidecar.controlplane.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and the compatibility rule of {@link SpiVersion}; the current version is the root pom's property. */
class SpiVersionTest {

    @Test
    void currentIsTheVersionTheBuildDeclares() throws IOException {
        Matcher m = Pattern.compile("<controlplane\\.spi\\.version>([^<]+)</controlplane\\.spi\\.version>")
                .matcher(Files.readString(Path.of("../pom.xml")));
        assertThat(m.find()).as("controlplane.spi.version in the root pom").isTrue();
        assertThat(SpiVersion.CURRENT).isEqualTo(SpiVersion.parse(m.group(1)));
    }

    @Test
    void parsesMajorMinorAndIgnoresAPatch() {
        assertThat(SpiVersion.parse("1.2")).isEqualTo(new SpiVersion(1, 2));
        assertThat(SpiVersion.parse(" 3.0.7 ")).isEqualTo(new SpiVersion(3, 0));
        assertThat(SpiVersion.parse("10.11").toString()).isEqualTo("10.11");
    }

    @Test
    void refusesWhatIsNotMajorMinorNamingIt() {
        for (String bad : new String[] {"1", "1.x", "-1.0", "v1.0", "", "1.2.3.4"}) {
            assertThatThrownBy(() -> SpiVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> SpiVersion.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runsTheSameMajorUpToItsOwnMinor() {
        SpiVersion server = new SpiVersion(2, 3);
        assertThat(server.runs(new SpiVersion(2, 0))).isTrue();
        assertThat(server.runs(new SpiVersion(2, 3))).isTrue();
        assertThat(server.runs(new SpiVersion(2, 4))).isFalse();
        assertThat(server.runs(new SpiVersion(1, 9))).isFalse();
        assertThat(server.runs(new SpiVersion(3, 0))).isFalse();
    }
}
