package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.spi.checks.RenderedChart;

/**
 * The last few charts rendered, keyed by what was rendered (chart, values files, {@code --set} values, Kubernetes
 * version, release and namespace), so that the helm check and the plugins reading its render through
 * {@code RenderedManifests} (keda, karpenter) share one render per {@code GET /api/checks} or
 * {@code control-plane check}, and repeated requests on an unchanged chart do not render again.
 *
 * <p>An entry holds while the fingerprint of the chart's files and of the values files (path, size and
 * modification time of each) is unchanged; the checks are not cached, only the rendering, so a changed policy or
 * schema file still shows on the next request. Callers asking for a render already under way wait for it instead
 * of starting their own. At most {@code capacity} entries are kept, the least recently used dropped first.
 */
final class RenderCache {

    /** Entries kept by default: a chart with a few values files and versions, as one CI job or GUI session asks. */
    static final int DEFAULT_CAPACITY = 8;

    /** One rendering kept, and the view of it other plugins get: made once, so they see the same instance. */
    private static final class Kept {
        final String fingerprint;
        final CompletableFuture<ChartRenderer.Rendering> rendering = new CompletableFuture<>();
        private RenderedChart published;

        Kept(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        synchronized RenderedChart published(ChartRenderer.Rendering done) {
            if (published == null) {
                published = done.toRenderedChart();
            }
            return published;
        }
    }

    private final ChartRenderer renderer;
    private final int capacity;
    private final Map<ChartRenderer.Job, Kept> entries;

    /**
     * A cache in front of a renderer.
     *
     * @param renderer the renderer
     * @param capacity the most entries kept, at least 1
     */
    RenderCache(ChartRenderer renderer, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("render cache capacity must be at least 1, got " + capacity);
        }
        this.renderer = renderer;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ChartRenderer.Job, Kept> eldest) {
                return size() > RenderCache.this.capacity;
            }
        };
    }

    /**
     * The chart rendered for a job: the cached rendering while its files are unchanged, else a new one.
     *
     * @param job what to render
     * @return the rendering
     */
    ChartRenderer.Rendering rendering(ChartRenderer.Job job) {
        return await(kept(job));
    }

    /**
     * The chart rendered for a job as other plugins see it ({@link ChartRenderer.Rendering#toRenderedChart()}): the
     * same instance while the rendering is kept.
     *
     * @param job what to render
     * @return the rendered chart
     */
    RenderedChart published(ChartRenderer.Job job) {
        Kept kept = kept(job);
        return kept.published(await(kept));
    }

    private Kept kept(ChartRenderer.Job job) {
        String now = fingerprint(job);
        Kept entry;
        boolean mine = false;
        synchronized (entries) {
            entry = entries.get(job);
            if (entry == null || !entry.fingerprint.equals(now)) {
                entry = new Kept(now);
                entries.put(job, entry);
                mine = true;
            }
        }
        if (mine) {
            try {
                entry.rendering.complete(renderer.rendering(job));
            } catch (RuntimeException | Error e) {
                entry.rendering.completeExceptionally(e);
                synchronized (entries) {
                    entries.remove(job, entry);
                }
                throw e;
            }
        }
        return entry;
    }

    private static ChartRenderer.Rendering await(Kept entry) {
        try {
            return entry.rendering.join();
        } catch (CompletionException e) {
            // another caller's render failed; fail this one the same way
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Renders and checks a job, the rendering taken from the cache.
     *
     * @param job what to render
     * @return the outcome
     */
    ChartRenderer.Outcome render(ChartRenderer.Job job) {
        return renderer.check(job, rendering(job));
    }

    /** @return how many renderings are kept now */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Paths, sizes and modification times of every file of the chart and of each values file. */
    static String fingerprint(ChartRenderer.Job job) {
        StringBuilder sb = new StringBuilder();
        tree(job.chartDir(), sb);
        for (Path values : job.valuesFiles()) {
            file(values, sb);
        }
        return sb.toString();
    }

    private static void tree(Path dir, StringBuilder sb) {
        if (!Files.isDirectory(dir)) {
            sb.append(dir).append("|absent\n");
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted().forEach(p -> file(p, sb));
        } catch (IOException | RuntimeException e) {
            // an unreadable chart is never taken from the cache
            sb.append("unreadable|").append(System.nanoTime()).append('\n');
        }
    }

    private static void file(Path p, StringBuilder sb) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            sb.append(p).append('|').append(a.size()).append('|').append(a.lastModifiedTime().toInstant())
                    .append('\n');
        } catch (IOException e) {
            sb.append(p).append("|?\n");
        }
    }
}
