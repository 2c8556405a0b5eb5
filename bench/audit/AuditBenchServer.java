import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * The control plane with the audit plugin from the module's class path, for the benchmarks:
 *
 * <pre>java -cp "$(cat plugins/audit/target/bench.classpath):plugins/audit/target/classes" \
 *     bench/audit/AuditBenchServer.java LOG PORT DATA_DIR</pre>
 *
 * Tokens: {@code bench-ta} (tenant tA), {@code bench-t13} (tenant t13), both with security.read. The access log is
 * off: the benchmark measures the search, not the console. {@code SCAN_THREADS} sets
 * {@code plugins.audit.scan-threads} (default: the machine's cores).
 */
public final class AuditBenchServer {

    private AuditBenchServer() {
    }

    public static void main(String[] args) {
        Path log = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path data = Path.of(args[2]).toAbsolutePath();
        Map<String, String> m = new HashMap<>();
        m.put("auth.mode", "static");
        m.put("auth.tokens-json", "{\"bench-ta\":{\"tenant_id\":\"tA\",\"subject\":\"bench\",\"scopes\":[\"security.read\"]},"
                + "\"bench-t13\":{\"tenant_id\":\"t13\",\"subject\":\"bench\",\"scopes\":[\"security.read\"]}}");
        m.put("workspace", log.getParent().toString());
        m.put("data-dir", data.toString());
        m.put("plugins.dir", data.resolve("no-plugins").toString());
        m.put("ui-dir", data.resolve("no-ui").toString());
        m.put("server.access-log.enabled", "false");
        m.put("plugins.audit.path", log.toString());
        String threads = System.getenv("SCAN_THREADS");
        if (threads != null && !threads.isBlank()) {
            m.put("plugins.audit.scan-threads", threads);
        }
        WebServerConfig.Builder builder = WebServer.builder();
        ControlPlane cp = ControlPlane.configure(builder, Config.just(ConfigSources.create(m)));
        builder.host("127.0.0.1").port(port);
        WebServer server = builder.build().start();
        cp.started(server.port());
        System.out.println("audit bench server listening on http://127.0.0.1:" + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            cp.close();
        }));
    }
}
