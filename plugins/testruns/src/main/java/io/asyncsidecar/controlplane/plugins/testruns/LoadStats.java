package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Measurements of a load phase. Virtual users record into per-step {@link Recorder}s (wait-free for
 * writers); one ticker thread harvests them every second into the per-second timeline and the totals, so the
 * hot path never takes a lock.
 */
final class LoadStats {

    private final List<StepMeter> meters;
    private final List<JsonObject> timeline = new ArrayList<>();
    private final Histogram secondHistogram = new Histogram(3);
    private double elapsedSeconds;

    LoadStats(List<String> stepNames) {
        List<StepMeter> m = new ArrayList<>();
        for (String name : stepNames) {
            m.add(new StepMeter(name));
        }
        this.meters = List.copyOf(m);
    }

    /**
     * The meter of a step, by index in the constructor's list.
     *
     * @param index the step index
     * @return its meter
     */
    StepMeter meter(int index) {
        return meters.get(index);
    }

    /**
     * Harvests what was recorded since the last tick as one timeline entry. Called by one thread only.
     *
     * <p>Besides counts and latencies the entry says how much concurrency the second had: {@code active_users},
     * the virtual users still sending when it began (users only ever stop, so that is the most it had), and
     * {@code in_flight}, the mean number of requests awaiting their response during it. The latter comes from
     * Little's law (summed latency over the interval's length), so the hot path counts nothing extra; in the
     * open model, where latency runs from the intended send time, it includes requests overdue for sending.
     *
     * @param second          the 1-based second of the phase this entry closes
     * @param intervalSeconds the length of the interval (1, or less for the last one)
     * @param activeUsers     virtual users alive at the start of the interval
     * @return the entry, also kept in the timeline
     */
    JsonObject tick(int second, double intervalSeconds, int activeUsers) {
        secondHistogram.reset();
        long requests = 0;
        long errors = 0;
        JsonObjectBuilder steps = JsonCodec.objectBuilder();
        for (StepMeter m : meters) {
            // counters before the histogram: a response counted as a bad status was recorded before, so it is
            // in this harvest, and errors never exceed responses
            long exceptions = m.exceptions.sum();
            long badStatus = m.badStatus.sum();
            Histogram interval = m.harvest();
            secondHistogram.add(interval);
            long stepErrors = exceptions - m.lastExceptions + badStatus - m.lastBadStatus;
            long stepRequests = interval.getTotalCount() + exceptions - m.lastExceptions;
            m.lastExceptions = exceptions;
            m.lastBadStatus = badStatus;
            requests += stepRequests;
            errors += stepErrors;
            steps.add(m.name, JsonCodec.objectBuilder()
                    .add("requests", stepRequests)
                    .add("errors", stepErrors)
                    .add("p50_ms", millis(interval.getValueAtPercentile(50), interval))
                    .add("p90_ms", millis(interval.getValueAtPercentile(90), interval))
                    .add("p95_ms", millis(interval.getValueAtPercentile(95), interval))
                    .add("p99_ms", millis(interval.getValueAtPercentile(99), interval))
                    .add("max_ms", millis(interval.getMaxValue(), interval)));
        }
        JsonObject entry = JsonCodec.objectBuilder()
                .add("second", second)
                .add("requests", requests)
                .add("errors", errors)
                .add("rps", round(requests / Math.max(intervalSeconds, 1e-3)))
                .add("p50_ms", millis(secondHistogram.getValueAtPercentile(50), secondHistogram))
                .add("p90_ms", millis(secondHistogram.getValueAtPercentile(90), secondHistogram))
                .add("p95_ms", millis(secondHistogram.getValueAtPercentile(95), secondHistogram))
                .add("p99_ms", millis(secondHistogram.getValueAtPercentile(99), secondHistogram))
                .add("max_ms", millis(secondHistogram.getMaxValue(), secondHistogram))
                .add("active_users", activeUsers)
                .add("in_flight", round(secondHistogram.getTotalCount() * secondHistogram.getMean()
                        / 1e6 / Math.max(intervalSeconds, 1e-3)))
                .add("steps", steps)
                .build();
        timeline.add(entry);
        return entry;
    }

    /**
     * A timeline entry as the stream sends it: with {@code cumulative}, the statistics of the phase so far
     * (whole phase and per step, as in report.json's {@code total} and {@code steps}), so a client can show
     * the percentiles and thresholds of the run while it is running; percentiles of separate seconds cannot
     * be combined into those. Only the stream carries them: the timeline in report.json stays per second.
     * Called by the ticker thread after {@link #tick}.
     *
     * @param entry          the entry {@link #tick} answered
     * @param elapsedSeconds time since the phase started, for requests per second
     * @return the stream's stats event body
     */
    JsonObject withCumulative(JsonObject entry, double elapsedSeconds) {
        JsonObjectBuilder steps = JsonCodec.objectBuilder();
        for (StepMeter m : meters) {
            steps.add(m.name, m.summary(elapsedSeconds).toJson());
        }
        JsonObjectBuilder event = JsonCodec.objectBuilder();
        entry.forEach(event::add);
        return event
                .add("cumulative", JsonCodec.objectBuilder()
                        .add("total", total(elapsedSeconds).toJson())
                        .add("steps", steps))
                .build();
    }

    /**
     * Sets the measured length of the phase, used for requests per second.
     *
     * @param seconds wall time from the first request to the last response
     */
    void elapsed(double seconds) {
        this.elapsedSeconds = seconds;
    }

    /**
     * The statistics of one step, as of the last {@link #tick} (after the last one: the whole phase).
     *
     * @param index the step index
     * @return its summary
     */
    Summary step(int index) {
        return meters.get(index).summary(elapsedSeconds);
    }

    /**
     * The statistics of the whole phase, as of the last {@link #tick}.
     *
     * @return all steps together
     */
    Summary total() {
        return total(elapsedSeconds);
    }

    private Summary total(double seconds) {
        Histogram all = new Histogram(3);
        long exceptions = 0;
        long badStatus = 0;
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> byException = new TreeMap<>();
        for (StepMeter m : meters) {
            all.add(m.total);
            exceptions += m.lastExceptions;
            badStatus += m.lastBadStatus;
            m.byStatus.forEach((k, v) -> byStatus.merge(String.valueOf(k), v.sum(), Long::sum));
            m.byException.forEach((k, v) -> byException.merge(k, v.sum(), Long::sum));
        }
        return new Summary(all.getTotalCount() + exceptions, badStatus + exceptions, seconds, all,
                byStatus, byException);
    }

    /**
     * The timeline harvested so far.
     *
     * @return one entry per second
     */
    List<JsonObject> timeline() {
        return List.copyOf(timeline);
    }

    /**
     * The timeline as JSON.
     *
     * @return an array of entries
     */
    JsonArrayBuilder timelineJson() {
        JsonArrayBuilder b = JsonCodec.arrayBuilder();
        timeline.forEach(b::add);
        return b;
    }

    private static double millis(long micros, Histogram h) {
        return h.getTotalCount() == 0 ? 0 : round(micros / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /** What virtual users record for one step; latencies in microseconds. */
    static final class StepMeter {
        private final String name;
        private final Recorder recorder = new Recorder(3);
        private final LongAdder exceptions = new LongAdder();
        private final LongAdder badStatus = new LongAdder();
        private final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, LongAdder> byException = new ConcurrentHashMap<>();
        private final Histogram total = new Histogram(3);
        private Histogram recycled;
        private long lastExceptions;
        private long lastBadStatus;

        private StepMeter(String name) {
            this.name = name;
        }

        /**
         * Records a response.
         *
         * @param status   its status
         * @param micros   its latency
         * @param accepted whether the status was expected
         */
        void response(int status, long micros, boolean accepted) {
            recorder.recordValue(Math.max(micros, 1));
            if (!accepted) {
                badStatus.increment();
                byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
            }
        }

        /**
         * Records a request that got no response.
         *
         * @param e what went wrong
         */
        void exception(Throwable e) {
            exceptions.increment();
            byException.computeIfAbsent(e.getClass().getSimpleName(), s -> new LongAdder()).increment();
        }

        private Histogram harvest() {
            Histogram interval = recorder.getIntervalHistogram(recycled);
            recycled = interval;
            total.add(interval);
            return interval;
        }

        private Summary summary(double seconds) {
            Map<String, Long> statuses = new TreeMap<>();
            byStatus.forEach((k, v) -> statuses.put(String.valueOf(k), v.sum()));
            Map<String, Long> errorsByException = new TreeMap<>();
            byException.forEach((k, v) -> errorsByException.put(k, v.sum()));
            long ex = lastExceptions;
            return new Summary(total.getTotalCount() + ex, lastBadStatus + ex, seconds, total.copy(), statuses,
                    errorsByException);
        }
    }

    /**
     * Load statistics of a step or of the whole phase.
     *
     * @param requests    requests sent (responses plus failures without a response)
     * @param errors      responses with an unexpected status plus failures without a response
     * @param seconds     length of the phase
     * @param histogram   latencies of the responses, in microseconds
     * @param byStatus    unexpected statuses and their counts
     * @param byException failures without a response, by exception type
     */
    record Summary(long requests, long errors, double seconds, Histogram histogram, Map<String, Long> byStatus,
                   Map<String, Long> byException) {

        double percentileMillis(double percentile) {
            return millis(histogram.getValueAtPercentile(percentile), histogram);
        }

        double meanMillis() {
            return histogram.getTotalCount() == 0 ? 0 : round(histogram.getMean() / 1000.0);
        }

        double minMillis() {
            return millis(histogram.getMinValue(), histogram);
        }

        double maxMillis() {
            return millis(histogram.getMaxValue(), histogram);
        }

        double errorRate() {
            return requests == 0 ? 0 : (double) errors / requests;
        }

        double requestsPerSecond() {
            return seconds <= 0 ? 0 : round(requests / seconds);
        }

        JsonObjectBuilder toJson() {
            JsonObjectBuilder statuses = JsonCodec.objectBuilder();
            byStatus.forEach(statuses::add);
            JsonObjectBuilder exceptions = JsonCodec.objectBuilder();
            byException.forEach(exceptions::add);
            return JsonCodec.objectBuilder()
                    .add("requests", requests)
                    .add("errors", errors)
                    .add("error_rate", round(errorRate() * 1_000) / 1_000)
                    .add("rps", requestsPerSecond())
                    .add("latency_ms", JsonCodec.objectBuilder()
                            .add("min", minMillis())
                            .add("mean", meanMillis())
                            .add("p50", percentileMillis(50))
                            .add("p90", percentileMillis(90))
                            .add("p95", percentileMillis(95))
                            .add("p99", percentileMillis(99))
                            .add("max", maxMillis()))
                    .add("errors_by_status", statuses)
                    .add("errors_by_exception", exceptions);
        }
    }
}
