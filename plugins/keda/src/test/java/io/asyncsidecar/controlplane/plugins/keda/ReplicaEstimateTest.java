package io.asyncsidecar.controlplane.plugins.keda;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica arithmetic against KEDA's and the HPA's rules, each case stated as the rule gives it: HPA
 * replica_calculator ({@code ceil(usage / target)} for AverageValue, {@code ceil(usage / target * ready pods)} for
 * Value), KEDA's milli-quantities ({@code %.3f}), its activation (scale_scaledobjects.go) and the HPA's bounds
 * ({@code max(min, 1)..max}).
 */
class ReplicaEstimateTest {

    private static final Optional<Long> NO_IDLE = Optional.empty();

    private static long desired(double value, double threshold, double activation, String type, long min, long max,
                                Optional<Long> idle, long current) {
        return ReplicaEstimate.of(value, threshold, activation, type, min, max, idle, current).desired().orElseThrow();
    }

    @Test
    void averageValueDividesTheTotalByTheTargetPerReplica() {
        // KEDA docs' example: a queue of 25 with a target of 10 per replica needs 3 replicas.
        assertThat(desired(25, 10, 0, "AverageValue", 1, 100, NO_IDLE, 1)).isEqualTo(3);
        assertThat(desired(30, 10, 0, "AverageValue", 1, 100, NO_IDLE, 7)).isEqualTo(3);
        assertThat(desired(12.5, 10, 0, "AverageValue", 1, 10, NO_IDLE, 1)).isEqualTo(2);
    }

    @Test
    void valueScalesTheCurrentCountByTheRatio() {
        assertThat(desired(25, 10, 0, "Value", 1, 100, NO_IDLE, 2)).isEqualTo(5);
        assertThat(desired(5, 10, 0, "Value", 1, 100, NO_IDLE, 4)).isEqualTo(2);
        ReplicaEstimate e = ReplicaEstimate.of(25, 10, 0, "Value", 1, 100, NO_IDLE, 2);
        assertThat(e.current()).contains(2L);
        assertThat(e.basis()).contains("current = 2 assumed");
    }

    @Test
    void theHpaBoundsClampTheCount() {
        assertThat(desired(1000, 10, 0, "AverageValue", 1, 4, NO_IDLE, 1)).isEqualTo(4);
        assertThat(desired(1, 10, 0, "AverageValue", 3, 10, NO_IDLE, 1)).isEqualTo(3);
        // minReplicaCount 0: the HPA's own minimum is still 1 while the trigger is active
        assertThat(desired(1, 10, 0, "AverageValue", 0, 10, NO_IDLE, 1)).isEqualTo(1);
        ReplicaEstimate clamped = ReplicaEstimate.of(1000, 10, 0, "AverageValue", 1, 4, NO_IDLE, 1);
        assertThat(clamped.basis()).contains("= 100").contains("clamped to 4");
    }

    @Test
    void anInactiveTriggerGoesToZeroOrIdleOnlyWhenKedaOwnsThatStep() {
        assertThat(desired(3, 1, 5, "AverageValue", 0, 10, NO_IDLE, 1)).isZero();
        assertThat(desired(5, 1, 5, "AverageValue", 0, 10, NO_IDLE, 1)).as("at the threshold: inactive").isZero();
        assertThat(desired(3, 1, 5, "AverageValue", 2, 10, Optional.of(0L), 2)).isZero();
        // minReplicaCount >= 1 without idleReplicaCount: activation is ignored and the HPA scales on the value
        assertThat(desired(3, 1, 5, "AverageValue", 1, 10, NO_IDLE, 1)).isEqualTo(3);
        assertThat(desired(0, 10, 0, "AverageValue", 2, 10, NO_IDLE, 2)).isEqualTo(2);
    }

    @Test
    void kedaHandsTheHpaMilliQuantities() {
        // %.3f: 10.0004 becomes 10.000, exactly the threshold, so one replica, not two
        assertThat(desired(10.0004, 10, 0, "AverageValue", 1, 10, NO_IDLE, 1)).isEqualTo(1);
        assertThat(desired(10.0006, 10, 0, "AverageValue", 1, 10, NO_IDLE, 1)).isEqualTo(2);
        assertThat(ReplicaEstimate.milli(0.0015)).isEqualTo(2);
        assertThat(ReplicaEstimate.milli(-3)).isZero();
        assertThat(ReplicaEstimate.milli(Double.NaN)).isZero();
        assertThat(ReplicaEstimate.milli(Double.POSITIVE_INFINITY)).isZero();
    }

    @Test
    void aThresholdThatIsNotPositiveGivesNoCount() {
        ReplicaEstimate e = ReplicaEstimate.of(5, 0, 0, "AverageValue", 1, 10, NO_IDLE, 1);
        assertThat(e.desired()).isEmpty();
        assertThat(e.basis()).contains("not above 0");
        assertThat(ReplicaEstimate.of(5, 0.0004, -1, "AverageValue", 1, 10, NO_IDLE, 1).desired())
                .as("0.0004 is 0 as a milli-quantity").isEmpty();
    }

    @Test
    void aScaledJobRunsOneJobPerThresholdUpToItsMaximum() {
        // KEDA's default ScaledJob strategy: ceil(queue length / target per job), at most maxReplicaCount
        assertThat(ReplicaEstimate.jobs(25, 10, 100).desired()).contains(3L);
        assertThat(ReplicaEstimate.jobs(250, 10, 4).desired()).contains(4L);
        assertThat(ReplicaEstimate.jobs(0, 10, 4).desired()).contains(0L);
    }
}
