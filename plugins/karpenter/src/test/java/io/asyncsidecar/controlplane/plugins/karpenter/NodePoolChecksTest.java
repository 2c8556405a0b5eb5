package io.asyncsidecar.controlplane.plugins.karpenter;

import java.util.List;

import io.asyncsidecar.controlplane.kit.checks.SafeYaml;
import io.asyncsidecar.controlplane.spi.checks.Finding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NodePoolChecks} on one pool at a time, without a server: consolidateAfter against the defaults and CEL
 * rules of the karpenter.sh_nodepools CRD (v1 defaults it to 0s; v1beta1 ties it to consolidationPolicy).
 */
class NodePoolChecksTest {

    private static List<Finding> consolidation(String api, String disruption) {
        String yaml = """
                apiVersion: karpenter.sh/%s
                kind: NodePool
                metadata: {name: pool}
                spec:
                  template:
                    spec:
                      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: nodes}
                      requirements:
                        - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c]}
                  disruption: %s
                """.formatted(api, disruption);
        NodePool pool = NodePool.of(SafeYaml.create().parse(yaml, "pools.yaml", 1).documents().getFirst()).orElseThrow();
        return NodePoolChecks.check(pool, List.of()).stream()
                .filter(f -> f.checkId().equals(KarpenterRules.CONSOLIDATION)).toList();
    }

    @Test
    void v1DefaultsConsolidateAfterSoADisruptionBlockNeedNotSetIt() {
        assertThat(consolidation("v1", "{consolidationPolicy: WhenEmpty}")).isEmpty();
        assertThat(consolidation("v1", "{consolidationPolicy: WhenEmptyOrUnderutilized, budgets: [{nodes: \"10%\"}]}"))
                .isEmpty();
        assertThat(consolidation("v1", "{budgets: [{nodes: \"1\"}]}")).isEmpty();
        // v1 has no CEL rule tying consolidateAfter to the policy
        assertThat(consolidation("v1", "{consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 1m}"))
                .isEmpty();
    }

    @Test
    void v1StillChecksTheConsolidateAfterPattern() {
        List<Finding> findings = consolidation("v1", "{consolidationPolicy: WhenEmpty, consolidateAfter: 5 minutes}");
        assertThat(findings).extracting(Finding::message)
                .containsExactly("NodePool/pool: consolidateAfter '5 minutes' is not a duration (e.g. 30s, 5m, 1h) or"
                        + " Never");
        assertThat(findings.getFirst().line()).isEqualTo(10);
        assertThat(consolidation("v1", "{consolidateAfter: Never}")).isEmpty();
    }

    @Test
    void v1beta1ForbidsConsolidateAfterWithWhenUnderutilizedUnlessNever() {
        assertThat(consolidation("v1beta1", "{consolidationPolicy: WhenUnderutilized, consolidateAfter: 30s}"))
                .extracting(Finding::message).containsExactly("NodePool/pool: consolidateAfter cannot be combined with"
                        + " consolidationPolicy=WhenUnderutilized (consolidateAfter '30s')");
        // the policy defaults to WhenUnderutilized before the CEL rule runs
        assertThat(consolidation("v1beta1", "{consolidateAfter: 30s}")).extracting(Finding::message)
                .containsExactly("NodePool/pool: consolidateAfter cannot be combined with"
                        + " consolidationPolicy=WhenUnderutilized (consolidateAfter '30s', consolidationPolicy defaults"
                        + " to WhenUnderutilized)");
        assertThat(consolidation("v1beta1", "{consolidationPolicy: WhenUnderutilized, consolidateAfter: Never}"))
                .isEmpty();
        assertThat(consolidation("v1beta1", "{consolidationPolicy: WhenUnderutilized}")).isEmpty();
    }

    @Test
    void v1beta1RequiresConsolidateAfterWithWhenEmpty() {
        assertThat(consolidation("v1beta1", "{consolidationPolicy: WhenEmpty}")).extracting(Finding::message)
                .containsExactly("NodePool/pool: consolidateAfter must be specified with consolidationPolicy=WhenEmpty");
        assertThat(consolidation("v1beta1", "{consolidationPolicy: WhenEmpty, consolidateAfter: 30s}")).isEmpty();
    }
}
