import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionFormat;
import io.asyncsidecar.controlplane.plugins.metrics.NamingLint;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricFamily;

/**
 * Parser throughput on node-exporter payloads, beside {@code promtool check metrics} on the same file in the same
 * run. The corpus is the captured payload repeated with every family renamed per copy (c0_node_..., c1_node_...),
 * so it stays one valid exposition that promtool reads to the end.
 *
 * <p>Usage: {@code java -cp plugins/metrics/target/classes bench/metrics/ParserThroughput.java PAYLOAD COPIES,... ROUNDS}
 * <p>{@code promtool check metrics} parses and then lints (promlint); so the fair peer of its wall time is our
 * parse plus our lint, printed beside our bare parse.
 */
public class ParserThroughput {

    public static void main(String[] args) throws Exception {
        Path payload = Path.of(args[0]);
        int rounds = Integer.parseInt(args[2]);
        List<String> lines = Files.readAllLines(payload, StandardCharsets.UTF_8);
        ExpositionParser parser = ExpositionParser.of(ExpositionFormat.PROMETHEUS_TEXT);
        ExpositionParser countsOnly = parser.keepHelp(false);
        Path empty = Files.write(payload.resolveSibling("empty.prom"), new byte[0]);
        System.out.printf(Locale.ROOT, "payload %s: %d bytes; %d rounds each, medians; JVM warmed 5 s per size%n",
                payload, Files.size(payload), rounds);
        System.out.println("| copies | MB | ours: parse (MB/s of CPU) | ours: parse + lint (MB/s of CPU)"
                + " | promtool check metrics (MB/s of wall) | promtool CPU minus start-up | ratio, wall | ratio, CPU |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        Timing start = median(rounds, () -> promtool(empty));
        for (String c : args[1].split(",")) {
            int copies = Integer.parseInt(c);
            Path corpus = payload.resolveSibling("corpus-" + copies + ".prom");
            byte[] data = corpus(lines, copies);
            Files.write(corpus, data);
            double mb = data.length / 1e6;
            Exposition check = parser.parse(new ByteArrayInputStream(data));
            if (check.families().size() != copies * lines.stream().filter(l -> l.startsWith("# TYPE ")).count()) {
                throw new IllegalStateException("corpus did not parse into distinct families");
            }
            long warmUntil = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                countsOnly.parse(new ByteArrayInputStream(data));
                lint(parser.parse(new ByteArrayInputStream(data)));
            }
            Timing ours = median(rounds, () -> countsOnly.parse(new ByteArrayInputStream(data)));
            Timing oursLint = median(rounds, () -> lint(parser.parse(new ByteArrayInputStream(data))));
            Timing promtool = median(rounds, () -> promtool(corpus));
            double promtoolNetCpu = promtool.cpuMs - start.cpuMs;
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f ms (CPU %.2f ms), %.0f MB/s | %.2f ms (CPU %.2f ms), %.0f MB/s"
                            + " | %.0f ms (CPU %.0f ms), %.1f MB/s | %.0f ms, %.1f MB/s | %.0fx | %.0fx |%n",
                    copies, mb, ours.wallMs, ours.cpuMs, mb / ours.cpuMs * 1e3, oursLint.wallMs, oursLint.cpuMs,
                    mb / oursLint.cpuMs * 1e3, promtool.wallMs, promtool.cpuMs, mb / promtool.wallMs * 1e3,
                    promtoolNetCpu, mb / promtoolNetCpu * 1e3, promtool.wallMs / oursLint.wallMs,
                    promtoolNetCpu / oursLint.cpuMs);
        }
        System.out.printf(Locale.ROOT, "promtool start-up (empty input): %.0f ms wall, %.0f ms CPU; machine load %s%n",
                start.wallMs, start.cpuMs, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /** What promtool does after parsing: promlint's rules on every family. */
    private static int lint(Exposition e) {
        int findings = 0;
        for (MetricFamily f : e.families()) {
            findings += NamingLint.check(f.canonicalName(e.format()), f.type(), f.help() != null, f.labelNames()).size();
        }
        return findings;
    }

    interface Work {
        void run() throws Exception;
    }

    /** Medians of wall time and CPU time (this thread's, or a child's for promtool), in milliseconds. */
    record Timing(double wallMs, double cpuMs) {
    }

    private static Timing median(int rounds, Work work) throws Exception {
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < rounds; i++) {
            long children = childrenCpuTicks();
            long self = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - t) / 1e6;
            long childTicks = childrenCpuTicks() - children;
            // a child's CPU (clock ticks of 10 ms) when the work ran promtool, else this thread's (the parse is
            // single-threaded; the JVM's garbage collection threads are not counted)
            cpu[i] = childTicks > 0 ? childTicks * 10.0 : (threads.getCurrentThreadCpuTime() - self) / 1e6;
        }
        return new Timing(median(wall), median(cpu));
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** cutime + cstime of /proc/self/stat: CPU of waited-for children. */
    private static long childrenCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    private static void promtool(Path input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "check", "metrics")
                .redirectInput(input.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int rc = p.waitFor();
        // 0 clean, 3 lint findings; 1 would mean it could not parse the corpus
        if (rc != 0 && rc != 3) {
            throw new IllegalStateException("promtool exited " + rc + " on " + input);
        }
    }

    private static byte[] corpus(List<String> lines, int copies) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < copies; c++) {
            String prefix = "c" + c + "_";
            for (String line : lines) {
                if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    out.append(line, 0, 7).append(prefix).append(line, 7, line.length());
                } else if (line.startsWith("#") || line.isBlank()) {
                    out.append(line);
                } else {
                    out.append(prefix).append(line);
                }
                out.append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
