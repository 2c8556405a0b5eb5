package io.asyncsidecar.controlplane.plugins.testruns;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadPhaseTest {

    private static final Scenario.Expectation OK = new Scenario.Expectation(Set.of(200), Map.of(), List.of(), null,
            Map.of());

    private static LoadPhase.Request get(URI target, String path) {
        return new LoadPhase.Request(path, Http1Connection.encode(target, "GET", path, Map.of(), null), false, OK);
    }

    @Test
    void closedModelCountsEveryResponseAndErrorsByStatus() throws Exception {
        try (LoopbackTarget target = LoopbackTarget.start()) {
            URI uri = URI.create(target.baseUrl());
            List<JsonObject> seconds = new ArrayList<>();
            LoadPhase phase = new LoadPhase(uri, List.of(get(uri, "/healthz"), get(uri, "/nope")), List.of(3, 1), 4,
                    Duration.ofSeconds(1), 0, Duration.ofSeconds(5));
            LoadStats stats = phase.run(seconds::add, () -> false);

            LoadStats.Summary total = stats.total();
            assertThat(total.requests()).isGreaterThan(50);
            // the target counts what it served; the runner must have seen each of those responses
            assertThat(total.requests()).isEqualTo(target.requests());
            LoadStats.Summary healthz = stats.step(0);
            LoadStats.Summary nope = stats.step(1);
            assertThat(healthz.errors()).isZero();
            assertThat(nope.errors()).isEqualTo(nope.requests());
            assertThat(nope.byStatus()).containsOnlyKeys("404");
            // weights 3:1
            assertThat((double) healthz.requests() / nope.requests()).isBetween(2.5, 3.5);
            assertThat(seconds).isNotEmpty();
            assertThat(seconds.stream().mapToLong(s -> s.getJsonNumber("requests").longValue()).sum())
                    .isEqualTo(total.requests());
        }
    }

    @Test
    void eachSecondSaysHowManyUsersWereActiveAndCarriesTheTotalsSoFar() throws Exception {
        try (LoopbackTarget target = LoopbackTarget.start()) {
            URI uri = URI.create(target.baseUrl());
            List<JsonObject> seconds = new ArrayList<>();
            LoadPhase phase = new LoadPhase(uri, List.of(get(uri, "/healthz"), get(uri, "/nope")), List.of(3, 1), 3,
                    Duration.ofSeconds(2), 0, Duration.ofSeconds(5));
            LoadStats stats = phase.run(seconds::add, () -> false);

            assertThat(seconds).hasSizeGreaterThanOrEqualTo(2);
            long soFar = 0;
            for (JsonObject s : seconds) {
                // every user sends for the whole phase, the last (partial) second included
                assertThat(s.getInt("active_users")).isEqualTo(3);
                // closed model: never more requests awaiting a response than users (Little's law, rounded)
                assertThat(s.getJsonNumber("in_flight").doubleValue()).isGreaterThan(0).isLessThanOrEqualTo(3.01);
                JsonObject healthz = s.getJsonObject("steps").getJsonObject("/healthz");
                assertThat(healthz.getJsonNumber("p50_ms").doubleValue())
                        .isLessThanOrEqualTo(healthz.getJsonNumber("p99_ms").doubleValue())
                        .isLessThanOrEqualTo(healthz.getJsonNumber("max_ms").doubleValue());
                // cumulative: the sum of the seconds up to this one
                soFar += s.getJsonNumber("requests").longValue();
                JsonObject cumulative = s.getJsonObject("cumulative");
                assertThat(cumulative.getJsonObject("total").getJsonNumber("requests").longValue()).isEqualTo(soFar);
                // every /nope answer is an error; mid-phase the counters are read without stopping the users, so a
                // response can be counted before its status, a few per user at most, never the other way round
                JsonObject nope = cumulative.getJsonObject("steps").getJsonObject("/nope");
                long nopeRequests = nope.getJsonNumber("requests").longValue();
                assertThat(nope.getJsonNumber("errors").longValue()).isLessThanOrEqualTo(nopeRequests)
                        .isGreaterThanOrEqualTo(nopeRequests - 3 * 3);
            }
            // once every user has stopped, the last event counts each of them
            JsonObject lastNope = seconds.get(seconds.size() - 1).getJsonObject("cumulative").getJsonObject("steps")
                    .getJsonObject("/nope");
            assertThat(lastNope.getJsonNumber("error_rate").doubleValue()).isEqualTo(1.0);
            // the last event's totals are the phase's, as report.json will have them
            JsonObject last = seconds.get(seconds.size() - 1).getJsonObject("cumulative").getJsonObject("total");
            LoadStats.Summary total = stats.total();
            assertThat(last.getJsonNumber("requests").longValue()).isEqualTo(total.requests());
            assertThat(last.getJsonObject("latency_ms").getJsonNumber("p95").doubleValue())
                    .isEqualTo(total.percentileMillis(95));
            assertThat(last.getJsonNumber("rps").doubleValue()).isEqualTo(total.requestsPerSecond());
            // the timeline kept for report.json has the per-second figures only
            assertThat(stats.timeline()).hasSameSizeAs(seconds);
            assertThat(stats.timeline().get(0).containsKey("cumulative")).isFalse();
            assertThat(stats.timeline().get(0).getInt("active_users")).isEqualTo(3);
        }
    }

    @Test
    void openModelMeasuresFromTheIntendedSendTime() throws Exception {
        // one user, 20 requests/s intended, a 100 ms service: requests queue up behind each other. Measured from
        // the intended send time, latency grows far beyond the service time (coordinated omission corrected).
        try (LoopbackTarget target = LoopbackTarget.withSlowMetrics(100)) {
            URI uri = URI.create(target.baseUrl());
            LoadPhase open = new LoadPhase(uri, List.of(get(uri, "/metrics")), List.of(1), 1, Duration.ofSeconds(1),
                    20, Duration.ofSeconds(5));
            LoadStats.Summary corrected = open.run(s -> { }, () -> false).total();
            LoadPhase closed = new LoadPhase(uri, List.of(get(uri, "/metrics")), List.of(1), 1, Duration.ofSeconds(1),
                    0, Duration.ofSeconds(5));
            LoadStats.Summary naive = closed.run(s -> { }, () -> false).total();

            // closed model: about the service time
            assertThat(naive.percentileMillis(99)).isBetween(95.0, 400.0);
            // open model: the 20th request was due at 950 ms and is served at about 2000 ms
            assertThat(corrected.percentileMillis(99)).isGreaterThan(900.0);
            // the open model stops issuing at the deadline: at most 20 intended sends in 1 s
            assertThat(corrected.requests()).isLessThanOrEqualTo(20);
        }
    }

    @Test
    void cancellationStopsUsersPromptly() throws Exception {
        try (LoopbackTarget target = LoopbackTarget.withSlowMetrics(2000)) {
            URI uri = URI.create(target.baseUrl());
            LoadPhase phase = new LoadPhase(uri, List.of(get(uri, "/metrics")), List.of(1), 8, Duration.ofSeconds(30),
                    0, Duration.ofSeconds(10));
            long begin = System.nanoTime();
            long cancelAt = begin + Duration.ofMillis(300).toNanos();
            phase.run(s -> { }, () -> System.nanoTime() > cancelAt);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void interleavesWeights() {
        assertThat(LoadPhase.interleave(List.of(4, 1))).containsExactly(0, 0, 1, 0, 0);
        assertThat(LoadPhase.interleave(List.of(1, 1, 1))).containsExactly(0, 1, 2);
    }
}
