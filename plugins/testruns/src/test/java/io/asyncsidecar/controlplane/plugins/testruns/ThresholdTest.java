package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThresholdTest {

    /** 100 responses of 1..100 ms, 5 of them with an unexpected status, over 2 seconds. */
    private static LoadStats.Summary stats() {
        Histogram h = new Histogram(3);
        for (int ms = 1; ms <= 100; ms++) {
            h.recordValue(ms * 1000L);
        }
        return new LoadStats.Summary(100, 5, 2.0, h, Map.of("500", 5L), Map.of());
    }

    @Test
    void percentileThresholdsInK6Syntax() {
        Threshold p95 = Threshold.parse("p95<500");
        Threshold p99 = Threshold.parse("p(99) <= 98");
        assertThat(p95.metric()).isEqualTo("p95");
        assertThat(p95.valueIn(stats())).isCloseTo(95.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(p95.holds(p95.valueIn(stats()))).isTrue();
        assertThat(p99.metric()).isEqualTo("p99");
        assertThat(p99.holds(p99.valueIn(stats()))).as("p99 is 99 ms").isFalse();
    }

    @Test
    void rateAndCountMetrics() {
        assertThat(Threshold.parse("error_rate<0.01").valueIn(stats())).isEqualTo(0.05);
        assertThat(Threshold.parse("error_rate<0.01").holds(0.05)).isFalse();
        assertThat(Threshold.parse("rps>=50").valueIn(stats())).isEqualTo(50.0);
        assertThat(Threshold.parse("rps>=50").holds(50.0)).isTrue();
        assertThat(Threshold.parse("avg<60").valueIn(stats())).isBetween(50.0, 51.0);
        assertThat(Threshold.parse("max<100ms").holds(Threshold.parse("max<100ms").valueIn(stats()))).isFalse();
        assertThat(Threshold.parse("errors==5").holds(5)).isTrue();
    }

    @Test
    void rejectsWhatK6WouldReject() {
        assertThatThrownBy(() -> Threshold.parse("p95")).hasMessageContaining("is not a threshold");
        assertThatThrownBy(() -> Threshold.parse("latency<5")).hasMessageContaining("unknown metric 'latency'");
        assertThatThrownBy(() -> Threshold.parse("p100<5")).hasMessageContaining("is not a threshold");
        assertThatThrownBy(() -> Threshold.parse("p0<5")).hasMessageContaining("percentile must be between");
    }
}
