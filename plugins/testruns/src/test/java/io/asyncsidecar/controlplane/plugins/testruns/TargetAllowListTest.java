package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetAllowListTest {

    private final TargetAllowList allow = TargetAllowList.create(List.of("staging.example.org", "*.internal.test"));

    @Test
    void loopbackAndClusterLocalNames() {
        assertThat(allow.allows("127.0.0.1")).isTrue();
        assertThat(allow.allows("127.8.9.10")).isTrue();
        assertThat(allow.allows("[::1]")).isTrue();
        assertThat(allow.allows("localhost")).isTrue();
        assertThat(allow.allows("hypergraph-gateway.hypergraph.svc")).isTrue();
        assertThat(allow.allows("gw.ns.svc.cluster.local")).isTrue();
        assertThat(allow.allows("GW.NS.SVC.CLUSTER.LOCAL.")).isTrue();
    }

    @Test
    void configuredNamesAndSuffixes() {
        assertThat(allow.allows("staging.example.org")).isTrue();
        assertThat(allow.allows("a.internal.test")).isTrue();
        assertThat(allow.allows("internal.test")).as("*.x does not match x itself").isFalse();
    }

    @Test
    void everythingElseIsRefused() {
        assertThat(allow.allows("example.org")).isFalse();
        assertThat(allow.allows("localhost.evil.example")).isFalse();
        assertThat(allow.allows("svc")).isFalse();
        assertThat(allow.allows("evilsvc")).isFalse();
        assertThat(allow.allows("10.0.0.1")).isFalse();
        assertThat(allow.allows("128.0.0.1")).isFalse();
        assertThat(allow.allows("127.0.0.300")).isFalse();
        assertThat(allow.allows("[::2]")).isFalse();
    }
}
