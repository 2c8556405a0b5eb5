package io.asyncsidecar.controlplane.plugins.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.kit.JsonRequests;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeClient;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeOutcome;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeStatus;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The plugin's HTTP surface: {@code POST /aggregate} scrapes every endpoint of the request at once, one
 * virtual thread each, so the call takes about as long as the slowest endpoint; {@code GET /profiles} lists
 * the configured profiles. Both need {@code observability.read}.
 */
final class MetricsApi {

    static final RequiredScopes SCOPE = RequiredScopes.of("observability.read");
    /** Time granted beyond the scrape timeout for a scrape to report before it is cancelled. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final MetricsSettings settings;
    private final ScrapeClient client;
    private final ExecutorService executor;
    private final Semaphore slots;
    private final byte[] profilesBody;

    MetricsApi(MetricsSettings settings, ScrapeClient client, ExecutorService executor) {
        this.settings = settings;
        this.client = client;
        this.executor = executor;
        this.slots = new Semaphore(settings.maxConcurrentScrapes());
        this.profilesBody = profilesBody(settings);
    }

    void routes(PluginRoutes routes) {
        routes.post("/aggregate", SCOPE, this::aggregate)
                .get("/profiles", SCOPE, this::profiles);
    }

    private void aggregate(ServerRequest req, ServerResponse res) {
        AggregateRequest request = AggregateRequest.parse(JsonRequests.object(req), settings,
                req.query().first("detail").orElse(null));
        send(res, aggregate(request));
    }

    /** Runs a checked request: scrapes everything concurrently and renders the report. */
    JsonObject aggregate(AggregateRequest request) {
        Aggregation aggregation = new Aggregation(request, settings);
        var interner = aggregation.interner();
        ScrapeClient.ParserFactory parsers = format -> ExpositionParser.of(format)
                .keepHelp(request.detail())
                .maxLineBytes(settings.maxLineBytes())
                .names(interner)
                .strict(request.strict());
        long deadline = System.nanoTime() + request.timeout().toNanos() + GRACE.toNanos();
        List<Future<?>> futures = new ArrayList<>(request.endpoints().size());
        for (int i = 0; i < request.endpoints().size(); i++) {
            int index = i;
            AggregateRequest.Endpoint endpoint = request.endpoints().get(i);
            futures.add(executor.submit(() -> {
                aggregation.accept(index, scrape(endpoint, request.timeout(), parsers));
                return null;
            }));
        }
        for (int i = 0; i < futures.size(); i++) {
            Future<?> f = futures.get(i);
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // record the timeout first: the first outcome wins, so the interrupted scrape cannot overwrite it
                aggregation.accept(i, new ScrapeOutcome(ScrapeStatus.TIMEOUT, 0, "no result within "
                        + request.timeout().toMillis() + " ms (cancelled)", request.timeout().toMillis(), 0, null, null));
                f.cancel(true);
            } catch (ExecutionException e) {
                aggregation.accept(i, new ScrapeOutcome(ScrapeStatus.DOWN, 0, "scrape failed: " + e.getCause(),
                        0, 0, null, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                break;
            }
        }
        for (int i = 0; i < futures.size(); i++) {
            if (!aggregation.has(i)) {
                aggregation.accept(i, new ScrapeOutcome(ScrapeStatus.TIMEOUT, 0, "request interrupted", 0, 0, null, null));
            }
        }
        return aggregation.toJson();
    }

    private ScrapeOutcome scrape(AggregateRequest.Endpoint endpoint, Duration timeout, ScrapeClient.ParserFactory parsers)
            throws InterruptedException {
        if (!slots.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return new ScrapeOutcome(ScrapeStatus.TIMEOUT, 0, "all " + settings.maxConcurrentScrapes()
                    + " scrape slots stayed busy (plugins.metrics.max-concurrent-scrapes)", timeout.toMillis(), 0,
                    null, null);
        }
        try {
            return client.scrape(endpoint.url(), timeout, parsers);
        } finally {
            slots.release();
        }
    }

    private void profiles(ServerRequest req, ServerResponse res) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(profilesBody);
    }

    /** The profiles are fixed at start-up, so their answer is encoded once. */
    private static byte[] profilesBody(MetricsSettings settings) {
        JsonArrayBuilder list = JsonCodec.arrayBuilder();
        settings.profiles().forEach((name, families) -> {
            JsonArrayBuilder names = JsonCodec.arrayBuilder();
            families.forEach(names::add);
            list.add(JsonCodec.objectBuilder().add("name", name).add("families", names));
        });
        JsonObjectBuilder body = JsonCodec.objectBuilder()
                .add("profiles", list)
                .add("matching", "a family matches by its PromQL name; a counter also matches with or without _total");
        return JsonCodec.writeBytes(body.build());
    }

    /** Sends JSON with a Content-Length: a chunked reply of a few kilobytes can wait on the client's delayed ACK. */
    private static void send(ServerResponse res, JsonObject body) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(JsonCodec.writeBytes(body));
    }
}
