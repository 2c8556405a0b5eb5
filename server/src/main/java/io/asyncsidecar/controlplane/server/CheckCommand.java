package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import io.helidon.config.Config;

/**
 * {@code control-plane check}: every plugin's workspace check run once, as {@code GET /api/checks} runs them, without
 * starting the HTTP server: the same config ({@link ConfigLoader}) and plugin loading ({@link PluginLoader}), every
 * check included (a command line has all the scopes its user has on the files). For CI pipelines: a summary table
 * (coloured on a terminal only), the report in a format code scanning or a test view reads, and an exit status.
 *
 * <p>Exit status: {@value #FINDINGS} when active findings reach {@code --fail-on} (a check that could not run counts
 * as an error), {@value #USAGE} for a usage or configuration error (the message names the option or key), else
 * {@value #OK}.
 */
final class CheckCommand {

    static final int OK = 0;
    static final int FINDINGS = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: control-plane check [options]

            Runs every plugin's check of the workspace (helm, argocd, keda, karpenter, compliance, ...) as
            GET /api/checks does, without starting the server, and exits 1 when findings reach --fail-on.

            Options:
              --workspace DIR          the workspace to check (default: CP_WORKSPACE, else the config's workspace)
              --values FILE            a values file of the chart, relative to the workspace or the chart folder;
                                       repeatable (helm checks each file; keda and karpenter layer them in order)
              --kube-version V         the Kubernetes version to render for and judge APIs at, e.g. 1.31.0
              --app NAME               render the chart with this Argo CD Application's Helm values (helm)
              --format FORMAT          text (default), json, sarif or junit
              --output FILE            write the report to FILE instead of standard output; with a format other
                                       than text, the summary table still goes to standard output
              --fail-on LEVEL          error (default), warning or never: exit 1 when an active finding of that
                                       severity or worse exists, or a check could not run
              --help                   show this help

            Configuration as for the server: config/application.yaml, CP_CONFIG, CP_* and PLUGINS_* variables,
            -D system properties through CP_JAVA_OPTS (see README). Progress goes to standard error.
            Exit status: 0 below --fail-on, 1 at or above it, 2 for a usage or configuration error.
            """;

    private static final List<String> FORMATS = List.of("text", "json", "sarif", "junit");
    private static final List<String> FAIL_ON = List.of("error", "warning", "never");
    private static final Map<String, String> OPTION_OF_PARAMETER = Map.of("values", "--values",
            "kubeVersion", "--kube-version", "app", "--app");

    /**
     * The parsed command line.
     *
     * @param workspace   the workspace, or null for the config's
     * @param values      values files
     * @param kubeVersion the Kubernetes version, or null
     * @param app         the Argo CD Application, or null
     * @param format      the report format
     * @param output      the report file, or null for standard output
     * @param failOn      error, warning or never
     * @param help        whether --help was given
     */
    record Options(Path workspace, List<String> values, String kubeVersion, String app, String format, Path output,
                   String failOn, boolean help) {

        /**
         * Parses arguments.
         *
         * @param args the arguments after {@code check}
         * @return the options
         * @throws UsageException naming the bad option
         */
        static Options parse(List<String> args) {
            Path workspace = null;
            List<String> values = new ArrayList<>();
            String kubeVersion = null;
            String app = null;
            String format = "text";
            Path output = null;
            String failOn = "error";
            boolean help = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                switch (name) {
                    case "--help", "-h" -> help = true;
                    case "--workspace", "--values", "--kube-version", "--app", "--format", "--output", "--fail-on" -> {
                        if (value == null) {
                            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                                throw new UsageException(name + " needs a value");
                            }
                            value = args.get(++i);
                        }
                        if (value.isBlank()) {
                            throw new UsageException(name + " needs a value, got an empty one");
                        }
                        switch (name) {
                            case "--workspace" -> workspace = Path.of(value).toAbsolutePath().normalize();
                            case "--values" -> values.add(value);
                            case "--kube-version" -> kubeVersion = value;
                            case "--app" -> app = value;
                            case "--format" -> format = oneOf(name, value, FORMATS);
                            case "--output" -> output = Path.of(value).toAbsolutePath().normalize();
                            default -> failOn = oneOf(name, value, FAIL_ON);
                        }
                    }
                    default -> throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                            : "unexpected argument '" + arg + "'");
                }
            }
            if (workspace != null && !Files.isDirectory(workspace)) {
                throw new UsageException("--workspace: '" + workspace + "' is not a folder");
            }
            if (output != null && (output.getParent() == null || !Files.isDirectory(output.getParent()))) {
                throw new UsageException("--output: the folder of '" + output + "' does not exist");
            }
            return new Options(workspace, List.copyOf(values), kubeVersion, app, format, output, failOn, help);
        }

        private static String oneOf(String option, String value, List<String> allowed) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new UsageException(option + " must be one of " + String.join(", ", allowed) + ", got '" + value
                        + "'");
            }
            return v;
        }

        /** @return the run's parameters, named as {@code GET /api/checks} names them */
        CheckParameters parameters() {
            Map<String, List<String>> m = new LinkedHashMap<>();
            if (!values.isEmpty()) {
                m.put("values", values);
            }
            if (kubeVersion != null) {
                m.put("kubeVersion", List.of(kubeVersion));
            }
            if (app != null) {
                m.put("app", List.of(app));
            }
            return new CheckParameters(m);
        }
    }

    /** A usage error: the message names the option. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final boolean colour;

    /**
     * A command writing to these streams.
     *
     * @param out    standard output: the table, or the report
     * @param err    standard error: progress and errors
     * @param colour whether standard output is a terminal that shows colour
     */
    CheckCommand(PrintStream out, PrintStream err, boolean colour) {
        this.out = out;
        this.err = err;
        this.colour = colour;
    }

    /**
     * Runs the command.
     *
     * @param args        the arguments after {@code check}
     * @param home        the install directory
     * @param environment the process environment
     * @return the exit status
     */
    int run(List<String> args, Path home, Map<String, String> environment) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("control-plane check: " + e.getMessage());
            err.println("Run 'control-plane check --help' for the options.");
            return USAGE;
        }
        if (options.help()) {
            out.print(USAGE_TEXT);
            return OK;
        }
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (options.workspace() != null) {
            env.put("CP_WORKSPACE", options.workspace().toString());
        }
        Progress progress = new Progress(err);
        List<LoadedPlugin> plugins = List.of();
        try {
            ServerSettings settings;
            progress.phase("loading plugins");
            try {
                Config config = ConfigLoader.load(home, env);
                settings = ServerSettings.from(config);
                if (!Files.isDirectory(settings.workspace())) {
                    throw new InvalidConfigurationException(options.workspace() != null ? "--workspace"
                            : "workspace (CP_WORKSPACE)", "'" + settings.workspace() + "' is not a folder");
                }
                plugins = PluginLoader.loadAll(config, settings, new ServerAddress());
            } catch (InvalidConfigurationException e) {
                progress.stop();
                err.println("control-plane check: invalid configuration: " + e.getMessage());
                return USAGE;
            }
            for (LoadedPlugin p : plugins) {
                if (p.status() == LoadedPlugin.Status.FAILED) {
                    err.println("control-plane check: plugin " + p.id() + " failed to load: " + p.reason());
                }
            }
            WorkspaceChecks checks = new WorkspaceChecks(plugins, WorkspaceChecks.defaultParallelism());
            ChecksReport report;
            try {
                report = checks.run(options.parameters(), scope -> true, progress);
            } catch (ProblemException e) {
                progress.stop();
                String parameter = e.extensions().get("parameter") instanceof String s ? s : null;
                String option = parameter == null ? null : OPTION_OF_PARAMETER.get(parameter);
                err.println("control-plane check: " + (option == null ? "" : option + ": ") + e.detail()
                        + (e.extensions().get("plugin") instanceof String id ? " (plugin " + id + ")" : ""));
                return USAGE;
            }
            progress.stop();
            if (progress.shown()) {
                err.printf(Locale.ROOT, "control-plane check: %d checks in %.1f s%n", report.plugins().size(),
                        progress.seconds());
            }
            write(options, report, settings);
            return failed(report, options.failOn()) ? FINDINGS : OK;
        } catch (IOException e) {
            progress.stop();
            err.println("control-plane check: --output: cannot write '" + options.output() + "': " + e.getMessage());
            return USAGE;
        } finally {
            progress.stop();
            PluginLoader.releaseAll(plugins);
        }
    }

    /**
     * Whether a report reaches the failure level.
     *
     * @param report the report
     * @param failOn error, warning or never
     * @return true when the command should exit {@value #FINDINGS}
     */
    static boolean failed(ChecksReport report, String failOn) {
        return switch (failOn) {
            case "never" -> false;
            case "warning" -> report.problems() > 0 || report.count(Severity.ERROR) + report.count(Severity.WARNING) > 0;
            default -> report.problems() > 0 || report.count(Severity.ERROR) > 0;
        };
    }

    /**
     * Writes the report: text (the summary table and every active error and warning) or the format's document, to
     * {@code --output} or standard output; with a file and a format other than text, the summary table goes to
     * standard output too, for the CI log.
     */
    private void write(Options options, ChecksReport report, ServerSettings settings) throws IOException {
        Path workspace = settings.workspace();
        byte[] bytes = switch (options.format()) {
            case "json" -> JsonCodec.writeBytes(report.toJson());
            case "sarif" -> JsonCodec.writeBytes(report.toSarif());
            case "junit" -> report.toJunit(ControlPlane.version());
            default -> new CheckSummaryTable(colour && options.output() == null).render(report, workspace, true)
                    .getBytes(StandardCharsets.UTF_8);
        };
        if (options.output() == null) {
            out.write(bytes);
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                out.println();
            }
        } else {
            Files.write(options.output(), bytes);
            if (!options.format().equals("text")) {
                out.print(new CheckSummaryTable(colour).render(report, workspace, false));
            }
            out.println("report written to " + options.output());
        }
        out.flush();
    }

    /**
     * Progress on standard error for work over a second: after the first second, once a second, what is still
     * running.
     */
    static final class Progress implements WorkspaceChecks.Listener {
        private final PrintStream err;
        private final long start = System.nanoTime();
        private final Set<String> pending = ConcurrentHashMap.newKeySet();
        private volatile String phase = "";
        private volatile boolean stopped;
        private volatile boolean shown;
        private final Thread ticker;

        Progress(PrintStream err) {
            this.err = err;
            this.ticker = Thread.ofPlatform().daemon().name("check-progress").start(this::tick);
        }

        void phase(String name) {
            phase = name;
        }

        @Override
        public void started(List<String> ids) {
            pending.addAll(ids);
            phase = "checking";
        }

        @Override
        public void finished(String id, long millis) {
            pending.remove(id);
            if (shown && !stopped) {
                err.printf(Locale.ROOT, "control-plane check: %s done in %.1f s%n", id, millis / 1000.0);
            }
        }

        boolean shown() {
            return shown;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        void stop() {
            stopped = true;
            ticker.interrupt();
        }

        private void tick() {
            try {
                Thread.sleep(1000);
                while (!stopped) {
                    String what = phase.equals("checking") && !pending.isEmpty()
                            ? "checking (" + String.join(", ", new java.util.TreeSet<>(pending)) + ")" : phase;
                    err.printf(Locale.ROOT, "control-plane check: %s... %.0f s%n", what, seconds());
                    shown = true;
                    Thread.sleep(1000);
                }
            } catch (InterruptedException done) {
                // stopped
            }
        }
    }

    /** @return the finding's place for the table: {@code file:line}, or the file, or nothing */
    static String where(Finding f) {
        if (f.file() == null) {
            return "";
        }
        return f.line() > 0 ? f.file() + ":" + f.line() : f.file();
    }
}
