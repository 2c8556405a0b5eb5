package io.asyncsidecar.controlplane.server;

import java.nio.file.Path;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * Starts the control plane: {@code java -Dcp.home=<install dir> -cp 'lib/*' io.asyncsidecar.controlplane.server.Main}.
 * A bad configuration prints the key and the problem and exits with status 2.
 */
public final class Main {

    private Main() {
    }

    /**
     * Entry point.
     *
     * @param args ignored; configuration comes from the environment and config/application.yaml
     */
    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Path home = Path.of(System.getProperty("cp.home", "")).toAbsolutePath().normalize();
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
}
