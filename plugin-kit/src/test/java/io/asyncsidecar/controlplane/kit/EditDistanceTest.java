package io.asyncsidecar.controlplane.kit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EditDistanceTest {

    @Test
    void countsInsertionsDeletionsAndSubstitutions() {
        assertThat(EditDistance.bounded("replicas", "replicas", 3)).isZero();
        assertThat(EditDistance.bounded("replcas", "replicas", 3)).isEqualTo(1);
        assertThat(EditDistance.bounded("kitten", "sitting", 5)).isEqualTo(3);
        assertThat(EditDistance.bounded("", "abc", 5)).isEqualTo(3);
    }

    @Test
    void stopsAtItsBound() {
        assertThat(EditDistance.bounded("kitten", "sitting", 2)).isEqualTo(2);
        assertThat(EditDistance.bounded("a", "a-very-long-name", 3)).isEqualTo(3);
        assertThat(EditDistance.bounded("hypergraph_backlog_seconds", "explainer_queue_lag_seconds", 4)).isEqualTo(4);
    }
}
