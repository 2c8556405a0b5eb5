import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.asyncsidecar.controlplane.plugins.compliance.hif.HifDocumentReader;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifReport;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifSchema;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifSchemas;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifSettings;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifValidator;
import io.asyncsidecar.controlplane.server.ControlPlane;
import io.asyncsidecar.controlplane.server.testing.TestConfigs;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * HIF validation throughput: for each SCHEMA=FILE case, MB/s of reading and validating the file (a) in process
 * (HifDocumentReader + HifValidator, as the route does) and (b) through POST /api/compliance/hif/validate of a
 * server started here on loopback. Each round repeats the file for at least a second; prints every round and
 * the median. Usage: java -cp <classpath> hif-throughput.java SCHEMA_DIR ROUNDS SCHEMA=FILE...
 */
class HifThroughput {

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Throwable t) {
            // the server's threads would keep the JVM up after main failed
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path schemaDir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String[]> cases = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            cases.add(args[i].split("=", 2));
        }
        long max = 64L * 1024 * 1024;
        HifSettings settings = new HifSettings(Optional.of(schemaDir), max, 64, 100, 100, 100, 2, 30_000);
        HifSchemas schemas = HifSchemas.load(settings.schemaDir(), System.getLogger("bench"));
        HifDocumentReader reader = new HifDocumentReader(settings);
        HifValidator validator = new HifValidator(settings);

        WebServerConfig.Builder builder = WebServer.builder();
        ControlPlane.configure(builder, TestConfigs.of(
                "auth.mode", "static",
                "auth.tokens-json", "{\"b\":{\"tenant_id\":\"t\",\"subject\":\"bench\",\"scopes\":[\"compliance.read\"]}}",
                "data-dir", System.getProperty("java.io.tmpdir") + "/hif-bench-data",
                "server.access-log.enabled", "false",
                "server.max-payload-size", Long.toString(max),
                "plugins.compliance.hif.max-bytes", Long.toString(max),
                "plugins.compliance.hif.schema-dir", schemaDir.toString()));
        WebServer server = builder.host("127.0.0.1").port(0).build().start();
        // HTTP/1.1 as browsers and curl send it here; the JDK client would otherwise try an h2c upgrade first
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        System.out.println("case\tbytes\tpath\tMB/s per round\tmedian MB/s\tvalid");
        for (String[] c : cases) {
            HifSchema schema = schemas.get(c[0]);
            byte[] bytes = Files.readAllBytes(Path.of(c[1]));
            String name = c[0] + ":" + Path.of(c[1]).getFileName();
            boolean[] valid = new boolean[1];
            Runnable inProcess = () -> {
                HifReport r = validator.validate(schema, reader.read(new ByteArrayInputStream(bytes)));
                valid[0] = r.valid();
            };
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/compliance/hif/validate?schema=" + c[0]);
            HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer b")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
            Runnable route = () -> {
                try {
                    HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (res.statusCode() != 200) {
                        throw new IllegalStateException(res.statusCode() + " " + res.body());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            report(name, bytes.length, "in-process", rounds, inProcess, valid);
            report(name, bytes.length, "http", rounds, route, valid);
        }
        server.stop();
    }

    private static void report(String name, int bytes, String path, int rounds, Runnable run, boolean[] valid) {
        measure(bytes, run, 2.0); // warm-up: the JIT compiles the parser and the validators
        double[] mbs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            mbs[r] = measure(bytes, run, 1.0);
        }
        double[] sorted = mbs.clone();
        Arrays.sort(sorted);
        StringBuilder all = new StringBuilder();
        for (double m : mbs) {
            all.append(all.isEmpty() ? "" : " ").append(String.format("%.1f", m));
        }
        System.out.printf("%s\t%d\t%s\t%s\t%.1f\t%s%n", name, bytes, path, all, sorted[rounds / 2], valid[0]);
    }

    private static double measure(int bytes, Runnable run, double seconds) {
        long start = System.nanoTime();
        long n = 0;
        double elapsed;
        do {
            run.run();
            n++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds || n < 3);
        return bytes * n / elapsed / 1e6;
    }
}
