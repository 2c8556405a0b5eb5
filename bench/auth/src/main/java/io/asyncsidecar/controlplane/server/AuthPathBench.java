package io.asyncsidecar.controlplane.server;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.asyncsidecar.controlplane.spi.Caller;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-request cost of authentication and the scope check, as {@link RequestFilter} and {@link ScopeGuard}
 * pay it: parse the {@code Authorization} value, find the caller, check the route's scopes. {@code helidonPerRequest}
 * is the path every request took before callers were kept per token: a Helidon security context, environment and
 * provider call each time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class AuthPathBench {

    private static final String TOKENS = """
            {"demo-admin":{"tenant_id":"tA","subject":"ops-admin","scopes":["tests.read","tests.run","observability.read","deployments.read","autoscaling.read","security.read","compliance.read"]},
             "demo-viewer":{"tenant_id":"tB","subject":"viewer","scopes":"tests.read,deployments.read"},
             "demo-root":{"tenant_id":"ops","subject":"platform-root","scopes":["tests.read","tests.run","observability.read","deployments.read","autoscaling.read","security.read","compliance.read","tenants.admin"]}}
            """;

    private Authenticator authenticator;
    private String[] scopes;

    @Setup
    public void setUp() {
        authenticator = new Authenticator(Authenticator.Mode.STATIC, StaticTokens.parse(TOKENS, "bench"), "");
        scopes = ScopeGuard.sorted(Set.of("observability.read"));
    }

    @Benchmark
    public Caller authenticateAndCheckScope() {
        Caller caller = authenticator.authenticate(Authenticator.bearer("Bearer demo-admin"), null);
        ScopeGuard.check(caller, scopes, "GET /api/metrics/profiles");
        return caller;
    }

    @Benchmark
    public Caller adminReadingAnotherTenant() {
        Caller caller = authenticator.authenticate(Authenticator.bearer("Bearer demo-root"), "tB");
        ScopeGuard.check(caller, scopes, "GET /api/metrics/profiles");
        return caller;
    }

    @Benchmark
    public Caller helidonPerRequest() {
        Caller caller = authenticator.viaHelidonSecurity(Authenticator.bearer("Bearer demo-admin"));
        ScopeGuard.check(caller, scopes, "GET /api/metrics/profiles");
        return caller;
    }
}
