package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * A JDK WebSocket client of {@code /ws/testruns/{id}/stream} that collects the messages and the close code.
 */
final class StreamClient implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private StreamClient() {
    }

    /**
     * Connects with the token in the Authorization header.
     *
     * @param port  the server port
     * @param path  e.g. {@code /ws/testruns/<id>/stream?since=3}
     * @param token the bearer token, or null when the path carries {@code access_token}
     * @return the connected client
     */
    static StreamClient connect(int port, String path, String token) {
        StreamClient c = new StreamClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        c.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), c).join();
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try (JsonReader r = Json.createReader(new StringReader(partial.toString()))) {
                messages.add(r.readObject());
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** The next message, failing after a timeout. */
    JsonObject next() throws InterruptedException {
        JsonObject m = messages.poll(20, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 20 s");
        }
        return m;
    }

    /** Waits for the server to close the socket and returns every message received. */
    List<JsonObject> untilClosed(List<JsonObject> already) throws Exception {
        int code = closed.get(60, TimeUnit.SECONDS);
        List<JsonObject> all = new ArrayList<>(already);
        messages.drainTo(all);
        closeCode = code;
        return all;
    }

    int closeCode = -1;

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
