import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times {@code POST /api/metrics/aggregate} with N distinct loopback endpoints against a running control plane
 * and reads the server's memory from /proc after each run.
 *
 * <p>Usage: {@code java bench/metrics/FanoutBench.java SERVER_URL TARGETS_URL N RUNS SERVER_PID [WARMUP]}
 * (WARMUP runs first, untimed, so the server's JIT has compiled the scrape path.)
 */
public class FanoutBench {

    private static final Pattern SUMMARY = Pattern.compile("\"summary\":\\{\"endpoints\":(\\d+),\"up\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String server = args[0];
        String targets = args[1];
        int n = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        String pid = args[4];
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        StringBuilder body = new StringBuilder("{\"endpoints\":[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append('"').append(targets).append("/m/").append(i).append('"');
        }
        body.append("]}");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + "/api/metrics/aggregate"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + System.getenv().getOrDefault("BENCH_TOKEN", "none"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(Duration.ofSeconds(60))
                .build();
        for (int r = 0; r < warmup; r++) {
            long t = System.nanoTime();
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "warm-up %d: HTTP %d in %.0f ms%n", r + 1, res.statusCode(),
                    (System.nanoTime() - t) / 1e6);
        }
        List<Double> walls = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long cpu0 = cpuTicks(pid);
            long t = System.nanoTime();
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - t) / 1e6;
            Matcher m = SUMMARY.matcher(res.body());
            if (res.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("HTTP " + res.statusCode() + ": " + res.body().substring(0,
                        Math.min(500, res.body().length())));
            }
            double cpuMs = (cpuTicks(pid) - cpu0) * 10.0;
            long kb = status(pid, "VmRSS");
            walls.add(ms);
            cpus.add(cpuMs);
            System.out.printf(Locale.ROOT, "run %d: %.0f ms, %s of %s endpoints up, response %d bytes, server CPU %.0f ms,"
                    + " server RSS %d MB, machine load %s%n", r + 1, ms, m.group(2), m.group(1), res.body().length(), cpuMs,
                    kb / 1024, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            Thread.sleep(500);
        }
        double[] w = walls.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] c = cpus.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "median wall %.0f ms (min %.0f, max %.0f) over %d runs of %d endpoints;"
                + " median server CPU %.0f ms per run; server RSS now %d MB, peak %d MB%n", median(w), w[0],
                w[w.length - 1], runs, n, median(c), status(pid, "VmRSS") / 1024, status(pid, "VmHWM") / 1024);
    }

    private static double median(double[] sorted) {
        int k = sorted.length;
        return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    }

    /** User plus system CPU time of a process, in clock ticks (1/100 s). */
    private static long cpuTicks(String pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long status(String pid, String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
