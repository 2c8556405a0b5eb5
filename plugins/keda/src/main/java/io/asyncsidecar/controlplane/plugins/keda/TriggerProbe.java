package io.asyncsidecar.controlplane.plugins.keda;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.checks.Finding;

/**
 * Asks about a prometheus trigger what its manifest cannot tell: what the query returns, whether the workload
 * exports what it selects. {@link KedaScan} calls it for every prometheus trigger.
 */
@FunctionalInterface
interface TriggerProbe {

    /** Asks nothing: the manifest checks alone. */
    TriggerProbe NONE = (trigger, out) -> Map.of();

    /**
     * Probes one trigger.
     *
     * @param trigger the trigger
     * @param out     where findings go (the scaler's own, so its ignore annotations apply)
     * @return members to add to the trigger's JSON, in order
     */
    Map<String, Object> probe(PrometheusTrigger trigger, List<Finding> out);
}
