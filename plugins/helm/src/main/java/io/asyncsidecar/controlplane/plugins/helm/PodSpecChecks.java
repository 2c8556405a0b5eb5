package io.asyncsidecar.controlplane.plugins.helm;

import java.util.List;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.helidon.config.Config;

/**
 * The checks on one workload's pod spec and its containers: security context, host access, resources, images,
 * service account and secrets.
 */
final class PodSpecChecks {

    /** The rules of this group. */
    static final List<CheckRule> RULES = List.of();

    /**
     * What the pod-spec checks are configured with.
     */
    record Settings() {

        /** The defaults. */
        static final Settings DEFAULTS = new Settings();

        /**
         * Reads the settings.
         *
         * @param config the {@code plugins.helm} subtree (may be missing)
         * @return the settings
         */
        static Settings from(Config config) {
            return DEFAULTS;
        }
    }

    private final WorkloadChecks owner;
    private final Settings settings;

    PodSpecChecks(WorkloadChecks owner, Settings settings) {
        this.owner = owner;
        this.settings = settings;
    }

    void check(List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects, List<Finding> findings) {
    }
}
