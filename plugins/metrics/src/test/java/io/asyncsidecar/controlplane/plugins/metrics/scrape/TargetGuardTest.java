package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request forgery guard, with a fake resolver standing in for DNS. */
class TargetGuardTest {

    private static final Map<String, String> DNS = Map.of(
            "localhost", "127.0.0.1",
            "gateway.hypergraph.svc", "10.96.4.2",
            "rebind.hypergraph.svc", "169.254.169.254",
            "evil.example", "203.0.113.9",
            "loopback.example", "127.0.0.2",
            "node.internal", "10.1.2.3");

    private final TargetGuard guard = TargetGuard.of(TargetGuard.DEFAULT_ALLOWED, List.of(), TargetGuardTest::resolve);

    @Test
    void loopbackAndClusterServicesAreAllowed() throws Exception {
        assertThat(allowed("http://127.0.0.1:9100/metrics")).isEqualTo("127.0.0.1");
        assertThat(allowed("http://[::1]:9100/metrics")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(allowed("http://localhost:8080/metrics")).isEqualTo("127.0.0.1");
        assertThat(allowed("http://gateway.hypergraph.svc:8080/metrics")).isEqualTo("10.96.4.2");
        // a name outside the patterns is fine when every address it resolves to is allowed
        assertThat(allowed("http://loopback.example/metrics")).isEqualTo("127.0.0.2");
    }

    @Test
    void linkLocalAndMetadataAreAlwaysRefused() throws Exception {
        assertThat(refused("http://169.254.169.254/latest/meta-data/")).contains("169.254.0.0/16").contains("link-local");
        assertThat(refused("http://[fe80::1]/")).contains("fe80::/10");
        assertThat(refused("http://metadata.google.internal/computeMetadata/v1/")).contains("cloud metadata");
        assertThat(refused("http://100.100.100.200/latest/meta-data/")).contains("100.100.100.200/32");
        assertThat(refused("http://0.0.0.0:9100/")).contains("0.0.0.0/8");
        // IPv4-mapped IPv6 is the IPv4 address
        assertThat(refused("http://[::ffff:169.254.169.254]/")).contains("169.254.0.0/16");
    }

    @Test
    void anAllowedNameThatResolvesToMetadataIsRefused() throws Exception {
        assertThat(refused("http://rebind.hypergraph.svc/")).contains("resolves to 169.254.169.254");
    }

    @Test
    void everythingElseIsNotOnTheAllowList() throws Exception {
        assertThat(refused("http://evil.example/metrics")).contains("203.0.113.9").contains("not on the allow list");
        assertThat(refused("http://10.1.2.3:9100/metrics")).contains("not on the allow list");
        assertThat(refused("ftp://127.0.0.1/")).contains("scheme 'ftp'");
        assertThat(refused("http://user:pw@127.0.0.1/")).contains("credentials");
    }

    @Test
    void configuredEntriesExtendTheListAndDenyWins() throws Exception {
        TargetGuard custom = TargetGuard.of(List.of("10.0.0.0/8", "*.internal"), List.of("10.96.0.0/12"),
                TargetGuardTest::resolve);
        assertThat(((TargetGuard.Allowed) custom.check(URI.create("http://10.1.2.3/"))).address().getHostAddress())
                .isEqualTo("10.1.2.3");
        assertThat(custom.check(URI.create("http://node.internal/"))).isInstanceOf(TargetGuard.Allowed.class);
        assertThat(((TargetGuard.Refused) custom.check(URI.create("http://10.96.4.2/"))).reason())
                .contains("10.96.0.0/12");
        // defaults are not implied when a list is given
        assertThat(custom.check(URI.create("http://127.0.0.1/"))).isInstanceOf(TargetGuard.Refused.class);
    }

    @Test
    void badEntriesAndUnknownHosts() {
        assertThatThrownBy(() -> TargetGuard.of(List.of("http://x"), List.of(), TargetGuardTest::resolve))
                .hasMessageContaining("'http://x'");
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> guard.check(URI.create("http://nowhere.svc/"))).isInstanceOf(UnknownHostException.class);
    }

    private String allowed(String url) throws UnknownHostException {
        TargetGuard.Decision d = guard.check(URI.create(url));
        assertThat(d).as(url).isInstanceOf(TargetGuard.Allowed.class);
        return ((TargetGuard.Allowed) d).address().getHostAddress();
    }

    private String refused(String url) throws UnknownHostException {
        TargetGuard.Decision d = guard.check(URI.create(url));
        assertThat(d).as(url).isInstanceOf(TargetGuard.Refused.class);
        return ((TargetGuard.Refused) d).reason();
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (CidrBlock.looksLikeBlock(host)) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        String ip = DNS.get(host);
        if (ip == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(ip)};
    }
}
