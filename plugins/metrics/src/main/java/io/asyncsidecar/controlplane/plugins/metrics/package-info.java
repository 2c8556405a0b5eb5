/**
 * The {@code metrics} plugin: {@code POST /api/metrics/aggregate} scrapes Prometheus/OpenMetrics endpoints
 * concurrently and reports, per endpoint and in summary, which metric families each exposes, which expected
 * ones (profiles, {@code expect}) are missing, the largest families and naming lint;
 * {@code GET /api/metrics/profiles} lists the profiles. Scraping lives in {@code .scrape}, parsing in
 * {@code .exposition}.
 */
package io.asyncsidecar.controlplane.plugins.metrics;
