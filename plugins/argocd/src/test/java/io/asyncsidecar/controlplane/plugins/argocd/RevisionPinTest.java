package io.asyncsidecar.controlplane.plugins.argocd;

import java.util.Map;

import io.asyncsidecar.controlplane.spi.ProblemException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Revision classification and label selectors, the two small parsers of the argocd plugin.
 */
class RevisionPinTest {

    @ParameterizedTest
    @CsvSource({
            "HEAD, false, HEAD",
            "'', false, HEAD",
            "main, false, BRANCH",
            "release/1.8, false, BRANCH",
            "v1.8.2, false, VERSION",
            "1.8.2-rc.1, false, VERSION",
            "1f3c2b9d8e7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e, false, COMMIT",
            "1f3c2b9, false, COMMIT",
            "deadbeef, false, BRANCH",
            "0.45.27, true, VERSION",
            "2.*, true, RANGE",
            "'>=1.0.0 <2.0.0', true, RANGE",
            "'{{ .head_sha }}', false, TEMPLATED"
    })
    void classifies(String revision, boolean helmRepo, RevisionPin expected) {
        assertThat(RevisionPin.of(revision, helmRepo)).isEqualTo(expected);
    }

    @Test
    void labelSelectorsFollowKubernetesSemantics() {
        Map<String, String> labels = Map.of("team", "ml", "track", "canary");
        assertThat(LabelSelector.parse("label", "team=ml,track!=stable").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("label", "team==ml,!legacy").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("label", "track in (blue, canary)").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("label", "track notin (canary)").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("label", "env notin (prod)").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("label", "env").matches(labels)).isFalse();
        assertThatThrownBy(() -> LabelSelector.parse("label", "team=ml,=x"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("cannot read '=x'");
    }
}
