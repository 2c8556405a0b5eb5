package io.asyncsidecar.controlplane.plugins.helm;

import io.asyncsidecar.controlplane.server.testing.TestConfigs;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code plugins.helm.allowed-registries}, {@code required-labels} and {@code required-annotations}: read as
 * comma-separated text or numbered entries, empty by default, and a bad value pattern refused naming its key.
 */
class PodSpecSettingsTest {

    private static Config helm(String... keyValues) {
        return TestConfigs.of(keyValues).get("plugins.helm");
    }

    @Test
    void everyListIsEmptyByDefault() {
        assertThat(PodSpecChecks.Settings.from(helm())).isEqualTo(PodSpecChecks.Settings.DEFAULTS);
        assertThat(PodSpecChecks.Settings.DEFAULTS.allowedRegistries()).isEmpty();
    }

    @Test
    void listsAreReadFromCommaSeparatedTextAndFromNumberedEntries() {
        PodSpecChecks.Settings s = PodSpecChecks.Settings.from(helm(
                "plugins.helm.allowed-registries", " ghcr.io/acme , registry.k8s.io,",
                "plugins.helm.required-labels.0", "owner",
                "plugins.helm.required-labels.1", "tier=(web|batch)",
                "plugins.helm.required-annotations", "email=.+@.+"));
        assertThat(s.allowedRegistries()).containsExactly("ghcr.io/acme", "registry.k8s.io");
        assertThat(s.requiredLabels()).extracting(PodSpecChecks.RequiredKey::key).containsExactly("owner", "tier");
        assertThat(s.requiredLabels().get(0).value()).isNull();
        assertThat(s.requiredLabels().get(1).value().matcher("batch").matches()).isTrue();
        assertThat(s.requiredAnnotations().getFirst().shown()).isEqualTo("email matching .+@.+");
    }

    @Test
    void aBadPatternOrAMissingKeyIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> PodSpecChecks.Settings.from(helm("plugins.helm.required-labels", "owner=(")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugins.helm.required-labels").hasMessageContaining("'owner=('");
        assertThatThrownBy(() -> PodSpecChecks.Settings.from(helm("plugins.helm.required-annotations", "=x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plugins.helm.required-annotations").hasMessageContaining("names no key");
    }

    @Test
    void imageReferencesNameTheirRegistryDockerHubWhenNone() {
        assertThat(PodSpecImages.registry("nginx:1.27")).isEqualTo("docker.io");
        assertThat(PodSpecImages.repository("nginx:1.27")).isEqualTo("library/nginx");
        assertThat(PodSpecImages.registry("bitnami/redis:7")).isEqualTo("docker.io");
        assertThat(PodSpecImages.registry("index.docker.io/bitnami/redis:7")).isEqualTo("docker.io");
        assertThat(PodSpecImages.repository("index.docker.io/bitnami/redis:7")).isEqualTo("bitnami/redis");
        assertThat(PodSpecImages.registry("localhost:5000/app")).isEqualTo("localhost:5000");
        assertThat(PodSpecImages.registry("ghcr.io/acme/app@sha256:ab")).isEqualTo("ghcr.io");
        assertThat(PodSpecImages.repository("ghcr.io/acme/app:1.0@sha256:ab")).isEqualTo("acme/app");
    }

    @Test
    void slashSeparatedSysctlNamesAreTheDottedOnes() {
        assertThat(PodSpecSecurity.canonicalSysctl("kernel/shm_rmid_forced")).isEqualTo("kernel.shm_rmid_forced");
        assertThat(PodSpecSecurity.canonicalSysctl("net/ipv4/conf/eth0.100/forwarding"))
                .isEqualTo("net.ipv4.conf.eth0/100.forwarding");
        assertThat(PodSpecSecurity.canonicalSysctl("net.ipv4.tcp_syncookies")).isEqualTo("net.ipv4.tcp_syncookies");
    }
}
