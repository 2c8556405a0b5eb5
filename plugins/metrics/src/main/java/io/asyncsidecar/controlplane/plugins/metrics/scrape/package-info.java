/**
 * Scraping one endpoint: the request forgery guard ({@link io.asyncsidecar.controlplane.plugins.metrics.scrape.TargetGuard})
 * and a small blocking HTTP/1.1 client ({@link io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeClient})
 * that runs on a virtual thread and streams the body into the exposition parser under a deadline and a size limit.
 */
package io.asyncsidecar.controlplane.plugins.metrics.scrape;
