package io.asyncsidecar.controlplane.spi.metrics;

import java.net.URI;

/**
 * Published by the {@code metrics} plugin through the {@link io.asyncsidecar.controlplane.spi.ServiceRegistry}: its
 * guarded scraper, exposition parser and Prometheus HTTP API client. Every address goes through the metrics
 * plugin's target rules; an address they refuse is answered as a failure naming the rule, never fetched.
 *
 * <p>Consumers must cope with the service being absent (the metrics plugin disabled or failed): look it up when
 * needed and report the work as skipped.
 */
public interface MetricsProbe {

    /**
     * Scrapes a Prometheus or OpenMetrics text endpoint.
     *
     * @param endpoint the {@code /metrics} URL
     * @return the names it exposes, or why it could not be read
     */
    ExposedMetrics scrape(URI endpoint);

    /**
     * Parses a recorded exposition, e.g. a file saved from a workload's {@code /metrics}.
     *
     * @param source   what the text is, for messages (a workspace path)
     * @param text     the exposition text
     * @return the names it exposes, or why it does not parse
     */
    ExposedMetrics parse(String source, String text);

    /**
     * Runs an instant query: {@code GET <prometheus>/api/v1/query?query=...}.
     *
     * @param prometheus the Prometheus base URL, e.g. {@code http://127.0.0.1:9090}
     * @param query      the PromQL expression
     * @return the samples, or why the query failed
     */
    QueryResult instantQuery(URI prometheus, String query);

    /**
     * Every metric name the Prometheus knows: {@code GET <prometheus>/api/v1/label/__name__/values}.
     *
     * @param prometheus the Prometheus base URL
     * @return the names, or why they could not be read
     */
    MetricNames metricNames(URI prometheus);
}
