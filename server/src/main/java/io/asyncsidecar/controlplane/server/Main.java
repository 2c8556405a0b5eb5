package io.asyncsidecar.controlplane.server;

import java.io.Console;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * Starts the control plane: {@code java -Dcp.home=<install dir> -cp 'lib/*' io.asyncsidecar.controlplane.server.Main},
 * or with {@code check [options]} runs the workspace checks once without a server ({@link CheckCommand}). A bad
 * configuration prints the key and the problem and exits with status 2.
 */
public final class Main {

    private Main() {
    }

    /**
     * Entry point: no arguments start the server; {@code check ...} runs every plugin's workspace check without it
     * ({@link CheckCommand}) and exits with its status.
     *
     * @param args none for the server, or {@code check} and its options; configuration comes from the environment
     *             and config/application.yaml either way
     */
    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("cp.home", "")).toAbsolutePath().normalize();
        if (args.length > 0 && args[0].equals("check")) {
            quietLogging();
            int status = new CheckCommand(System.out, System.err, stdoutIsTerminal())
                    .run(List.of(args).subList(1, args.length), home, System.getenv());
            System.out.flush();
            System.exit(status);
            return;
        }
        if (args.length > 0) {
            boolean help = args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help");
            (help ? System.out : System.err).println((help ? "" : "control-plane: unknown command '" + args[0]
                    + "'\n") + "Usage: control-plane              start the server (see README)\n"
                    + "       control-plane check ...    check the workspace without the server"
                    + " (control-plane check --help)");
            System.exit(help ? 0 : 2);
            return;
        }
        LogConfig.configureRuntime();
        WebServer server;
        ControlPlane controlPlane;
        try {
            Config config = ConfigLoader.load(home, System.getenv());
            WebServerConfig.Builder builder = WebServer.builder();
            controlPlane = ControlPlane.configure(builder, config);
            builder.host(controlPlane.settings().host()).port(controlPlane.settings().port());
            server = builder.build().start();
            controlPlane.started(server.port());
        } catch (InvalidConfigurationException e) {
            System.err.println("control-plane: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.Logger log = System.getLogger(Main.class.getName());
        log.log(System.Logger.Level.INFO, "control plane listening on http://" + controlPlane.settings().host() + ":"
                + server.port() + " (workspace " + controlPlane.settings().workspace() + ")");
        WebServer running = server;
        ControlPlane cp = controlPlane;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: refuse new requests, let in-flight ones finish (shutdown grace period), stop, close plugins.
            if (!cp.drain()) {
                log.log(System.Logger.Level.WARNING, "requests still running after the shutdown grace period");
            }
            running.stop();
            cp.close();
        }, "control-plane-shutdown"));
    }

    /**
     * The command's standard output carries the report: log records go to standard error, warnings and worse only
     * (plugins log every load at INFO, which is noise in a CI log).
     */
    private static void quietLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.WARNING);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
    }

    /**
     * Whether standard output is a terminal: the launcher's {@code cp.stdout.tty} (it asks {@code [ -t 1 ]}), else
     * the JVM's console, which JDK 22 and later return even when output is redirected (then asked isTerminal()).
     * {@code NO_COLOR} in the environment turns colour off whatever the terminal.
     */
    private static boolean stdoutIsTerminal() {
        String noColour = System.getenv("NO_COLOR");
        if (noColour != null && !noColour.isEmpty()) {
            return false;
        }
        String told = System.getProperty("cp.stdout.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException olderJdk) {
            return true; // before JDK 22 a console exists only on a terminal
        }
    }
}
