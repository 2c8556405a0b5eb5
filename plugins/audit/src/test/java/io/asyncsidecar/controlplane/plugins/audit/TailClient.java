package io.asyncsidecar.controlplane.plugins.audit;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * A JDK WebSocket client of {@code /ws/audit/tail} that collects messages and the close code, and can stop
 * reading (it then asks for no more frames, so the server's writes back up) to play a slow subscriber.
 */
final class TailClient implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final AtomicInteger received = new AtomicInteger();
    private volatile boolean paused;
    private volatile String closeReason;
    private WebSocket socket;

    private TailClient() {
    }

    /**
     * Connects with the token in the Authorization header.
     *
     * @param port    the server port
     * @param path    e.g. {@code /ws/audit/tail?action=auth.*}
     * @param token   the bearer token
     * @param headers extra header pairs
     * @return the connected client
     */
    static TailClient connect(int port, String path, String token, String... headers) {
        TailClient c = new TailClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
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
            received.incrementAndGet();
            partial.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** Stops asking for frames after the one being received. */
    void pause() {
        paused = true;
    }

    /** Reads again, as fast as frames come. */
    void resume() {
        paused = false;
        socket.request(Long.MAX_VALUE);
    }

    /** The next message, failing after a timeout. */
    JsonObject next() throws InterruptedException {
        JsonObject m = messages.poll(20, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 20 s");
        }
        return m;
    }

    /** The id of the next message, which must be an entry. */
    String nextEntryId() throws InterruptedException {
        JsonObject m = next();
        if (!"entry".equals(m.getString("type"))) {
            throw new AssertionError("expected an entry, got " + m);
        }
        return m.getJsonObject("entry").getString("id");
    }

    int received() {
        return received.get();
    }

    /** Waits for the server to close and returns the code. */
    int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
