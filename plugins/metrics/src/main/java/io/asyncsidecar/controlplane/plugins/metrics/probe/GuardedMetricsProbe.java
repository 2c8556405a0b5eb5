package io.asyncsidecar.controlplane.plugins.metrics.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionFormat;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParseException;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricFamily;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeClient;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeOutcome;
import io.asyncsidecar.controlplane.plugins.metrics.scrape.ScrapeStatus;
import io.asyncsidecar.controlplane.spi.metrics.ExposedMetrics;
import io.asyncsidecar.controlplane.spi.metrics.MetricNames;
import io.asyncsidecar.controlplane.spi.metrics.MetricsProbe;
import io.asyncsidecar.controlplane.spi.metrics.QueryResult;

/**
 * The {@link MetricsProbe} the metrics plugin publishes: its guarded {@link ScrapeClient} and
 * {@link ExpositionParser} for expositions, {@link PrometheusApiClient} for a Prometheus. Every address goes
 * through the plugin's request forgery guard ({@code plugins.metrics.ssrf}), its timeout and size limits.
 */
public final class GuardedMetricsProbe implements MetricsProbe {

    private static final String EOF = "# EOF";

    private final ScrapeClient client;
    private final PrometheusApiClient prometheus;
    private final Duration timeout;
    private final long maxBytes;
    private final int maxLineBytes;

    /**
     * A probe.
     *
     * @param client       the guarded client
     * @param timeout      budget of one scrape or API request ({@code plugins.metrics.timeout-ms})
     * @param maxBytes     largest exposition or API answer ({@code plugins.metrics.max-bytes})
     * @param maxLineBytes longest exposition line ({@code plugins.metrics.max-line-bytes})
     */
    public GuardedMetricsProbe(ScrapeClient client, Duration timeout, long maxBytes, int maxLineBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBytes = maxBytes;
        this.maxLineBytes = maxLineBytes;
        this.prometheus = new PrometheusApiClient(client, timeout);
    }

    @Override
    public ExposedMetrics scrape(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        ScrapeOutcome outcome = client.scrape(endpoint, timeout, this::parser);
        if (outcome.status() != ScrapeStatus.UP) {
            String prefix = outcome.status() == ScrapeStatus.REFUSED
                    ? "refused by the metrics plugin's target rules (plugins.metrics.ssrf): "
                    : outcome.status().wireName() + ": ";
            return new ExposedMetrics(endpoint.toString(), Optional.of(prefix + outcome.error()), Set.of());
        }
        return new ExposedMetrics(endpoint.toString(), Optional.empty(), names(outcome.exposition()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The format is OpenMetrics when the text ends with OpenMetrics' {@code # EOF} line, else the Prometheus text
     * format (a recording does not keep the response's content type).
     */
    @Override
    public ExposedMetrics parse(String source, String text) {
        Objects.requireNonNull(source, "source");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            return new ExposedMetrics(source, Optional.of("the exposition is " + bytes.length
                    + " bytes, over the limit of " + maxBytes + " (plugins.metrics.max-bytes)"), Set.of());
        }
        ExpositionFormat format = text.stripTrailing().endsWith("\n" + EOF) || text.strip().equals(EOF)
                ? ExpositionFormat.OPENMETRICS : ExpositionFormat.PROMETHEUS_TEXT;
        try {
            return new ExposedMetrics(source, Optional.empty(),
                    names(parser(format).parse(new ByteArrayInputStream(bytes))));
        } catch (ExpositionParseException e) {
            return new ExposedMetrics(source, Optional.of("not a valid " + format.id() + " exposition: "
                    + e.getMessage()), Set.of());
        } catch (IOException e) {
            return new ExposedMetrics(source, Optional.of(e.getMessage()), Set.of());
        }
    }

    @Override
    public QueryResult instantQuery(URI prometheusUrl, String query) {
        return prometheus.instantQuery(prometheusUrl, query);
    }

    @Override
    public MetricNames metricNames(URI prometheusUrl) {
        return prometheus.metricNames(prometheusUrl);
    }

    private ExpositionParser parser(ExpositionFormat format) {
        return ExpositionParser.of(format).keepHelp(false).maxLineBytes(maxLineBytes);
    }

    /**
     * The sample names each family's type owns, in order of appearance: the names a query can select. A histogram's
     * or an OpenMetrics counter's bare family name is not one (Prometheus stores no series under it), so a query
     * for it must not pass as exposed.
     */
    private static Set<String> names(Exposition exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (MetricFamily f : exposition.families()) {
            names.addAll(f.sampleNames(exposition.format()));
        }
        return names;
    }
}
