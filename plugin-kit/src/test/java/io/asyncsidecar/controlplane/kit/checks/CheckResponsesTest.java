package io.asyncsidecar.controlplane.kit.checks;

import io.asyncsidecar.controlplane.spi.ProblemException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckResponsesTest {

    @Test
    void formatNamesAreCaseInsensitiveAndDefaultToJson() {
        assertThat(CheckResponses.Format.of(null)).isEqualTo(CheckResponses.Format.JSON);
        assertThat(CheckResponses.Format.of(" ")).isEqualTo(CheckResponses.Format.JSON);
        assertThat(CheckResponses.Format.of("json")).isEqualTo(CheckResponses.Format.JSON);
        assertThat(CheckResponses.Format.of(" SARIF ")).isEqualTo(CheckResponses.Format.SARIF);
        assertThat(CheckResponses.Format.of("JUnit")).isEqualTo(CheckResponses.Format.JUNIT);
    }

    @Test
    void anUnknownFormatIsA400NamingTheValue() {
        assertThatThrownBy(() -> CheckResponses.Format.of("xml"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("'format' must be json, sarif or junit, got 'xml'");
                    assertThat(e.extensions()).containsEntry("parameter", "format")
                            .containsEntry("allowed", java.util.List.of("json", "sarif", "junit"));
                });
    }

    @Test
    void sarifHasItsRegisteredMediaType() {
        assertThat(CheckResponses.SARIF.text()).isEqualTo("application/sarif+json");
        assertThat(CheckResponses.JUNIT.text()).isEqualTo("application/xml");
    }
}
