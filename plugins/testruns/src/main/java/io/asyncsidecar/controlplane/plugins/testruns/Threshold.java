package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail criterion of the load phase, written as k6 writes them: {@code p95<500}, {@code p(99)<=800},
 * {@code avg<200}, {@code med<100}, {@code max<2000}, {@code error_rate<0.01}, {@code rps>=100}. Latencies are
 * in milliseconds; {@code error_rate} is a fraction (0..1) of requests; {@code rps} is requests per second;
 * {@code requests} and {@code errors} are counts.
 *
 * @param expression the text as written
 * @param metric     the metric name, normalised ({@code p95}, {@code p99.9}, {@code avg}, ...)
 * @param percentile the percentile for {@code pNN} metrics, else NaN
 * @param operator   one of {@code < <= > >= == !=}
 * @param limit      the value compared against
 */
record Threshold(String expression, String metric, double percentile, String operator, double limit) {

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*([a-z_]+|p\\(?\\d{1,2}(?:\\.\\d+)?\\)?)\\s*(<=|>=|==|!=|<|>)\\s*(-?\\d+(?:\\.\\d+)?)\\s*(ms)?\\s*");
    private static final Pattern PERCENTILE = Pattern.compile("p\\(?(\\d{1,2}(?:\\.\\d+)?)\\)?");
    private static final java.util.Set<String> NAMED = java.util.Set.of("avg", "min", "med", "max", "error_rate",
            "rps", "requests", "errors");

    /**
     * Parses one threshold.
     *
     * @param expression e.g. {@code p95<500}
     * @return the threshold
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Threshold parse(String expression) {
        Matcher m = SYNTAX.matcher(expression.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + expression + "' is not a threshold; write e.g. p95<500, "
                    + "avg<200, error_rate<0.01, rps>100");
        }
        String metric = m.group(1);
        double percentile = Double.NaN;
        Matcher p = PERCENTILE.matcher(metric);
        if (p.matches()) {
            percentile = Double.parseDouble(p.group(1));
            if (percentile <= 0 || percentile >= 100) {
                throw new IllegalArgumentException("'" + expression + "': percentile must be between 0 and 100");
            }
            metric = "p" + p.group(1);
        } else if (!NAMED.contains(metric)) {
            throw new IllegalArgumentException("'" + expression + "': unknown metric '" + metric + "'; use pNN, avg, "
                    + "min, med, max, error_rate, rps, requests or errors");
        }
        return new Threshold(expression.trim(), metric, percentile, m.group(2), Double.parseDouble(m.group(3)));
    }

    /**
     * The metric's value in a set of load statistics.
     *
     * @param stats the statistics (whole run or one step)
     * @return the value in the threshold's unit
     */
    public double valueIn(LoadStats.Summary stats) {
        if (!Double.isNaN(percentile)) {
            return stats.percentileMillis(percentile);
        }
        return switch (metric) {
            case "avg" -> stats.meanMillis();
            case "min" -> stats.minMillis();
            case "med" -> stats.percentileMillis(50);
            case "max" -> stats.maxMillis();
            case "error_rate" -> stats.errorRate();
            case "rps" -> stats.requestsPerSecond();
            case "requests" -> stats.requests();
            case "errors" -> stats.errors();
            default -> throw new IllegalStateException(metric);
        };
    }

    /**
     * Whether a value satisfies the threshold.
     *
     * @param value the measured value
     * @return true when it holds
     */
    public boolean holds(double value) {
        return switch (operator) {
            case "<" -> value < limit;
            case "<=" -> value <= limit;
            case ">" -> value > limit;
            case ">=" -> value >= limit;
            case "==" -> value == limit;
            case "!=" -> value != limit;
            default -> throw new IllegalStateException(operator);
        };
    }
}
