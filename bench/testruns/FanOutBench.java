import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * WebSocket fan-out of one test run: N subscribers on /ws/testruns/{id}/stream of a running run; for every
 * event stamped after the last subscriber connected, lag = receive time - the event's ts (set when the run
 * appended it). Prints one JSON line.
 * Run: java -cp "$CP" bench/testruns/FanOutBench.java <control-plane-url> <target-url> <subscribers> <seconds>
 *      [<users> <requests/s>]   (the run's load: default 8 users at 2000 requests/s, open model)
 */
public final class FanOutBench {

    private FanOutBench() {
    }

    public static void main(String[] args) throws Exception {
        String cp = args[0];
        String target = args[1];
        int subscribers = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int users = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int rate = args.length > 5 ? Integer.parseInt(args[5]) : 2000;
        HttpClient http = HttpClient.newHttpClient();
        // a modest load so the machine has room for the stream
        String body = "{\"base_url\":\"" + target + "\",\"load_duration\":" + seconds
                + ",\"concurrency\":" + users + ",\"target_rate\":" + rate
                + ",\"scenario\":\"tests/e2e/scenarios/bench.yaml\"}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(cp + "/api/testruns"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = json(created.body()).getString("id");

        Histogram lag = new ConcurrentHistogram(3);
        // only events stamped once every subscriber is connected count: connecting 500 sockets takes seconds
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        java.util.Map<String, Histogram> byType = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicLong events = new AtomicLong();
        List<CompletableFuture<Integer>> closes = new ArrayList<>();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(HttpClient.newHttpClient());
        }
        String ws = cp.replace("http://", "ws://") + "/ws/testruns/" + id + "/stream";
        long connectStart = System.nanoTime();
        for (int i = 0; i < subscribers; i++) {
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            closes.add(closed);
            clients.get(i % clients.size()).newWebSocketBuilder().buildAsync(URI.create(ws), new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket s, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        long now = System.currentTimeMillis();
                        // fields found by hand rather than parsed: the client shares the CPU with the server
                        String m = partial.toString();
                        partial.setLength(0);
                        String type = field(m, "\"type\":\"", '"');
                        if (!type.equals("state")) {
                            long sent = Math.round(Double.parseDouble(field(m, "\"ts\":", ',')) * 1000);
                            if (sent >= measureFrom.get()) {
                                lag.recordValue(Math.max(0, now - sent));
                                events.incrementAndGet();
                                byType.computeIfAbsent(type + "@" + field(m, "\"seq\":", ','),
                                        k -> new ConcurrentHistogram(3)).recordValue(Math.max(0, now - sent));
                            }
                        }
                    }
                    s.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket s, int code, String reason) {
                    closed.complete(code);
                    return null;
                }

                @Override
                public void onError(WebSocket s, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).join();
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        measureFrom.set(System.currentTimeMillis());
        int normal = 0;
        int other = 0;
        for (CompletableFuture<Integer> c : closes) {
            try {
                if (c.get(seconds + 60, TimeUnit.SECONDS) == 1000) {
                    normal++;
                } else {
                    other++;
                }
            } catch (Exception e) {
                other++;
            }
        }
        JsonObject run = json(http.send(HttpRequest.newBuilder(URI.create(cp + "/api/testruns/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        if (Boolean.getBoolean("verbose")) {
            byType.forEach((k, h) -> System.out.println(k + " n=" + h.getTotalCount() + " min=" + h.getMinValue()
                    + " p50=" + h.getValueAtPercentile(50) + " max=" + h.getMaxValue()));
        }
        System.out.println(Json.createObjectBuilder()
                .add("run", id)
                .add("run_status", run.getString("status"))
                .add("subscribers", subscribers)
                .add("connect_s", Math.round(connectSeconds * 100) / 100.0)
                .add("closed_normally", normal)
                .add("closed_otherwise", other)
                .add("events_delivered", events.get())
                .add("lag_ms_p50", lag.getValueAtPercentile(50))
                .add("lag_ms_p99", lag.getValueAtPercentile(99))
                .add("lag_ms_max", lag.getMaxValue())
                .build());
    }

    private static String field(String message, String key, char end) {
        int from = message.indexOf(key) + key.length();
        int to = message.indexOf(end, from);
        return message.substring(from, to < 0 ? message.indexOf('}', from) : to);
    }

    private static JsonObject json(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }
}
