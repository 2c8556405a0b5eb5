package io.asyncsidecar.controlplane.plugins.keda;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The replica count a ScaledObject would ask for, from one trigger's value, as KEDA and the HPA compute it.
 *
 * <ul>
 *   <li>KEDA hands the HPA the value and the threshold as milli-quantities ({@code quantityFromFloat64} in
 *       pkg/scalers/scaler.go: {@code %.3f}, NaN, infinities and negative values as 0).</li>
 *   <li>Activation (pkg/scaling/executor/scale_scaledobjects.go): the trigger is active when the value is above
 *       {@code activationThreshold}. An inactive ScaledObject goes to {@code idleReplicaCount} when set, else to 0
 *       when {@code minReplicaCount} is 0; otherwise the HPA keeps scaling on the value (KEDA: "if the minimum
 *       replicas is &gt;= 1, the scaler is always active and the activation value will be ignored").</li>
 *   <li>The HPA (replica_calculator.go): {@code AverageValue}: {@code ceil(value / threshold)};
 *       {@code Value}: {@code ceil(value / threshold * current)}, with the current replica count assumed. Then
 *       clamped to the HPA's bounds, {@code max(minReplicaCount, 1)} to {@code maxReplicaCount}. The HPA's 10%
 *       tolerance and its scale-up and scale-down rate limits are left out: the count is what it asks for, not
 *       how fast it gets there.</li>
 * </ul>
 *
 * @param desired the replica count; empty when none can be computed (see basis)
 * @param min     minReplicaCount (KEDA's default 0)
 * @param max     maxReplicaCount (KEDA's default 100)
 * @param basis   how the count came about, for people
 * @param current the current replica count assumed by a {@code Value} trigger; empty otherwise
 */
record ReplicaEstimate(Optional<Long> desired, long min, long max, String basis, Optional<Long> current) {

    /** KEDA's metric types for a trigger that is not cpu or memory. */
    static final String AVERAGE_VALUE = "AverageValue";
    static final String VALUE = "Value";

    /**
     * The estimate.
     *
     * @param value      the value KEDA read (after its ignoreNullValues handling)
     * @param threshold  the trigger's threshold
     * @param activation the trigger's activationThreshold (KEDA's default 0)
     * @param metricType {@value #AVERAGE_VALUE} or {@value #VALUE}
     * @param min        minReplicaCount
     * @param max        maxReplicaCount
     * @param idle       idleReplicaCount, when set
     * @param current    the replica count a {@code Value} trigger multiplies by
     * @return the estimate
     */
    static ReplicaEstimate of(double value, double threshold, double activation, String metricType, long min,
                              long max, Optional<Long> idle, long current) {
        long hpaMin = Math.max(min, 1);
        if (!(value > activation) && (idle.isPresent() || min == 0)) {
            long to = idle.orElse(0L);
            return new ReplicaEstimate(Optional.of(to), min, max, "value " + shown(value) + " <= activationThreshold "
                    + shown(activation) + ": the trigger is inactive and KEDA scales to "
                    + (idle.isPresent() ? "idleReplicaCount " + to : "0 (minReplicaCount 0)"), Optional.empty());
        }
        long usage = milli(value);
        long target = milli(threshold);
        if (target <= 0) {
            return new ReplicaEstimate(Optional.empty(), min, max, "threshold " + shown(threshold)
                    + " is not above 0: the HPA refuses a target that is not positive", Optional.empty());
        }
        boolean average = !VALUE.equals(metricType);
        long raw = average ? ceilDiv(usage, target) : (long) Math.ceil((double) usage / target * current);
        long desired = Math.min(Math.max(raw, hpaMin), max);
        String formula = average ? "ceil(value / threshold)" : "ceil(value / threshold * current)";
        String computed = average ? "ceil(" + shown(usage / 1000.0) + " / " + shown(target / 1000.0) + ") = " + raw
                : "ceil(" + shown(usage / 1000.0) + " / " + shown(target / 1000.0) + " * " + current + ") = " + raw;
        String basis = formula + ", clamped to " + hpaMin + ".." + max + ": " + computed
                + (raw == desired ? "" : ", clamped to " + desired)
                + (average ? "" : "; current = " + current + " assumed (the scale target's spec.replicas, within"
                + " the bounds)");
        return new ReplicaEstimate(Optional.of(desired), min, max, basis,
                average ? Optional.empty() : Optional.of(current));
    }

    /**
     * A ScaledJob's job count under its default scaling strategy: {@code ceil(value / threshold)} jobs up to
     * {@code maxReplicaCount}, less the jobs still running (unknown here, so taken as none).
     *
     * @param value     the value KEDA read
     * @param threshold the trigger's threshold (the target per job)
     * @param max       maxReplicaCount
     * @return the estimate, {@code desired} counting jobs
     */
    static ReplicaEstimate jobs(double value, double threshold, long max) {
        long usage = milli(value);
        long target = milli(threshold);
        if (target <= 0) {
            return new ReplicaEstimate(Optional.empty(), 0, max, "threshold " + shown(threshold)
                    + " is not above 0", Optional.empty());
        }
        long raw = ceilDiv(usage, target);
        long desired = Math.min(raw, max);
        return new ReplicaEstimate(Optional.of(desired), 0, max, "jobs: ceil(value / threshold) up to "
                + "maxReplicaCount, less the running ones (scalingStrategy default; none assumed running): ceil("
                + shown(usage / 1000.0) + " / " + shown(target / 1000.0) + ") = " + raw
                + (raw == desired ? "" : ", capped at " + desired), Optional.empty());
    }

    /** As KEDA's {@code resource.MustParse(fmt.Sprintf("%.3f", v)).MilliValue()}, with its zero for the rest. */
    static long milli(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0) {
            return 0;
        }
        if (v >= 9e15) {
            return Long.MAX_VALUE / 4; // past a milli-quantity's int64; the HPA then asks for its maximum anyway
        }
        return new BigDecimal(v).setScale(3, RoundingMode.HALF_EVEN).movePointRight(3).longValueExact();
    }

    private static long ceilDiv(long a, long b) {
        return Math.floorDiv(a, b) + (Math.floorMod(a, b) == 0 ? 0 : 1);
    }

    private static String shown(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }

    /** @return the {@code replicas} member of a trigger's dry run */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("desired", desired.orElse(null));
        json.put("min", min);
        json.put("max", max);
        current.ifPresent(c -> json.put("current_assumed", c));
        json.put("basis", basis);
        return json;
    }
}
