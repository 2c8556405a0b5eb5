package io.asyncsidecar.controlplane.server;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The base URL the server listens on, for plugins that call the server itself. Known once the server has
 * started: {@link Main} sets it from the bound port; servers started elsewhere (tests) learn it from the local
 * address of the first request.
 */
final class ServerAddress {

    private final AtomicReference<String> baseUrl = new AtomicReference<>("");

    String baseUrl() {
        return baseUrl.get();
    }

    void set(String host, int port) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1"; // listening everywhere: loopback reaches it
        }
        baseUrl.set("http://" + h + ":" + port);
    }

    void learn(String host, int port) {
        if (baseUrl.get().isEmpty()) {
            set(host, port);
        }
    }
}
