import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Writes a synthetic audit log (JSONL, one entry a line) for the audit benchmarks:
 *
 * <pre>java bench/audit/GenerateAuditLog.java OUT [BYTES=1073741824] [NEEDLES=16]</pre>
 *
 * Entries look like the hypergraph gateway's: {@code ts} (RFC 3339, increasing), {@code tenant_id},
 * {@code subject}, {@code action}, {@code resource}, {@code outcome}, {@code request_id}, {@code source_ip},
 * {@code user_agent} and a nested {@code detail}. Tenants: tA 20 %, tB 20 %, ops 10 %, t01..t25 2 % each.
 * {@code NEEDLES} entries, spread evenly over the file and over tenants, carry the rare word {@code 7f3kq9zx} in
 * their request id (the benchmark's rare {@code q}); one line in 100,000 is malformed. The same arguments always
 * write the same bytes (fixed seed).
 */
public final class GenerateAuditLog {

    static final String NEEDLE = "7f3kq9zx";
    private static final String[] ACTIONS = {"helm.checks.read", "argocd.apps.read", "keda.scalers.read",
            "karpenter.nodepools.read", "metrics.aggregate", "testruns.create", "testruns.read", "testruns.cancel",
            "reports.export", "audit.search", "auth.login", "auth.token.refresh"};
    private static final String[] RESOURCES = {"chart/hypergraph", "app/hypergraph-prod", "app/hypergraph-staging",
            "scaledobject/explainer", "nodepool/gpu-a10g", "nodepool/cpu-general", "run/r-20261130-0042",
            "report/latest", "endpoint/gateway:9090", "endpoint/explainer:9091"};
    private static final String[] SUBJECTS = {"ops-admin", "svc-deployer", "ci-bot", "alice", "bob", "carol",
            "dave", "svc-explainer", "grafana", "oncall"};
    private static final String[] OUTCOMES = {"allowed", "allowed", "allowed", "allowed", "denied", "error"};
    private static final String[] AGENTS = {"curl/8.5.0", "control-plane-gui/0.1", "python-requests/2.31",
            "argocd-notifications/2.9", "Go-http-client/1.1"};

    private GenerateAuditLog() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java GenerateAuditLog.java OUT [BYTES] [NEEDLES]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        long bytes = args.length > 1 ? Long.parseLong(args[1]) : 1L << 30;
        int needles = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Files.createDirectories(out.toAbsolutePath().getParent());
        SplittableRandom rnd = new SplittableRandom(20261130);
        long millis = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
        long written = 0;
        long lines = 0;
        long needleEvery = bytes / Math.max(1, needles);
        long nextNeedle = needleEvery / 2;
        int planted = 0;
        StringBuilder sb = new StringBuilder(512);
        DateTimeFormatter fmt = DateTimeFormatter.ISO_INSTANT;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            while (written < bytes) {
                sb.setLength(0);
                millis += 1 + rnd.nextInt(40);
                lines++;
                if (lines % 100_000 == 0) {
                    sb.append("{\"ts\":\"").append(fmt.format(Instant.ofEpochMilli(millis)))
                            .append("\",\"tenant_id\":\"tA\",\"subject\":\"trunc");
                } else {
                    int t = rnd.nextInt(100);
                    String tenant = t < 20 ? "tA" : t < 40 ? "tB" : t < 50 ? "ops"
                            : String.format("t%02d", 1 + (t - 50) / 2);
                    boolean needle = written >= nextNeedle && planted < needles;
                    if (needle) {
                        planted++;
                        nextNeedle += needleEvery;
                    }
                    sb.append("{\"ts\":\"").append(fmt.format(Instant.ofEpochMilli(millis)))
                            .append("\",\"tenant_id\":\"").append(tenant)
                            .append("\",\"subject\":\"").append(SUBJECTS[rnd.nextInt(SUBJECTS.length)])
                            .append("\",\"action\":\"").append(ACTIONS[rnd.nextInt(ACTIONS.length)])
                            .append("\",\"resource\":\"").append(RESOURCES[rnd.nextInt(RESOURCES.length)])
                            .append("\",\"outcome\":\"").append(OUTCOMES[rnd.nextInt(OUTCOMES.length)])
                            .append("\",\"request_id\":\"")
                            .append(needle ? "req-" + NEEDLE + "-" + planted : String.format("req-%016x", rnd.nextLong()))
                            .append("\",\"source_ip\":\"10.").append(rnd.nextInt(256)).append('.')
                            .append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256))
                            .append("\",\"user_agent\":\"").append(AGENTS[rnd.nextInt(AGENTS.length)])
                            .append("\",\"detail\":{\"status\":").append(200 + 100 * rnd.nextInt(4))
                            .append(",\"duration_ms\":").append(rnd.nextInt(2000)).append("}}");
                }
                sb.append('\n');
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                os.write(b);
                written += b.length;
            }
        }
        System.out.printf("wrote %s: %,d bytes, %,d lines, %d lines with %s%n", out, written, lines, planted, NEEDLE);
    }
}
