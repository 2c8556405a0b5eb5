package io.asyncsidecar.controlplane.plugins.testruns;

import java.nio.file.Path;
import java.util.Map;

import io.asyncsidecar.controlplane.server.ControlPlane;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * A control plane in a JVM of its own, over a data directory, for tests that kill it: prints {@code port <n>}
 * once it listens, then serves until it is killed.
 */
final class ChildServer {

    private ChildServer() {
    }

    /**
     * Starts the server.
     *
     * @param args the data directory
     */
    public static void main(String[] args) throws InterruptedException {
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(0);
        ControlPlane.configure(builder, TestRunsApiTest.config(Path.of(args[0]), Map.of()));
        WebServer server = builder.build().start();
        System.out.println("port " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
