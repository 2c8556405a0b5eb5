package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.asyncsidecar.controlplane.plugins.audit.ChunkResult.Match;
import io.asyncsidecar.controlplane.spi.ProblemException;

/**
 * Searches a log newest first. A {@link RangePlan} cuts the files into ranges from their ends backwards;
 * {@code scan-threads} ranges are scanned at once ({@link RangeScan}) on the plugin's scanning threads and their
 * results taken in order, so a full scan uses every core allowed while a page stops reading as soon as it is
 * full. Memory is bounded: a range keeps at most a page of matches (an export: the range's own), a buffer is
 * one block plus one line, and at most {@code scan-threads} ranges are in flight.
 */
final class LogSearch {

    private static final int SAMPLE_BYTES = 64 * 1024;

    /**
     * One page of a search.
     *
     * @param items      the matches, newest first
     * @param nextCursor where the next page starts, or null when the oldest line was reached
     * @param scanned    lines read for this answer
     * @param matched    matching lines among them (a range read ahead may hold more than the page took)
     * @param malformed  lines among them that are not JSON objects
     * @param files      the files read, newest first
     * @param problems   files that could not be read (to the end), with why
     */
    record Page(List<Match> items, String nextCursor, long scanned, long matched, long malformed, List<String> files,
                List<Map<String, Object>> problems) {
    }

    private record Pending(LogRange range, Future<ChunkResult> result) {
    }

    private final AuditSettings settings;
    private final ExecutorService pool;
    private final BufferPool buffers;
    private final Path temporary;

    /**
     * @param settings  the settings
     * @param pool      the scanning threads
     * @param buffers   the scanners' buffers
     * @param temporary where exports inflate gzip files
     */
    LogSearch(AuditSettings settings, ExecutorService pool, BufferPool buffers, Path temporary) {
        this.settings = settings;
        this.pool = pool;
        this.buffers = buffers;
        this.temporary = temporary;
    }

    /**
     * Reads one page.
     *
     * @param query  the query
     * @param cursor where to start, or null for the newest entry
     * @param limit  entries in the page
     * @return the page
     * @throws ProblemException 404 for a missing log, 503 for an unreadable folder, 410 for a cursor into a file that
     *                          is gone
     */
    Page page(AuditQuery query, Cursor cursor, int limit) {
        Run run = new Run(query, false, limit);
        try {
            run.start(cursor);
            run.execute(null);
            return run.page();
        } finally {
            run.close();
        }
    }

    /**
     * Streams every match as NDJSON, newest first.
     *
     * @param query  the query
     * @param cursor where to start, or null for the newest entry
     * @param opener opens the response body once the log was found, so a missing log can still be a problem
     *               document
     */
    void export(AuditQuery query, Cursor cursor, java.util.function.Supplier<OutputStream> opener) {
        Run run = new Run(query, true, Integer.MAX_VALUE);
        try {
            run.start(cursor);
            try (OutputStream out = opener.get()) {
                run.execute(out);
            } catch (IOException | UncheckedIOException gone) {
                // the client went away: nothing left to tell it
            }
        } finally {
            run.close();
        }
    }

    /** One search: its files, its plan of ranges, what it found. */
    private final class Run {

        private final AuditQuery query;
        private final boolean export;
        private final int limit;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Match> items = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();
        private final List<Map<String, Object>> problems = new ArrayList<>();
        private List<LogFile> files;
        private RangePlan plan;
        private RangeScan scan;
        private long scanned;
        private long matched;
        private long malformed;
        private long pageBytes;
        private LogFile lastFile;
        private long lastOffset;
        private boolean full;

        Run(AuditQuery query, boolean export, int limit) {
            this.query = query;
            this.export = export;
            this.limit = limit;
        }

        void start(Cursor cursor) {
            Path base = query.log().path();
            try {
                files = LogSet.list(base);
            } catch (NoSuchFileException e) {
                throw missing(base);
            } catch (IOException e) {
                throw unreadable(base, e);
            }
            if (files.stream().noneMatch(f -> Files.isReadable(f.path()))) {
                throw unreadable(base, new AccessDeniedException(base.toString()));
            }
            int fileIndex = 0;
            long startOffset = -1;
            if (cursor != null) {
                fileIndex = resume(cursor);
                startOffset = cursor.offset();
            }
            scan = new RangeScan(settings, buffers, query, query.needles(sample(files.get(fileIndex))), export,
                    stop::get);
            plan = new RangePlan(files, fileIndex, startOffset, export, temporary, this::problem, stop::get);
        }

        /** @return the index of the file the cursor points into */
        private int resume(Cursor cursor) {
            for (int i = 0; i < files.size(); i++) {
                LogFile f = files.get(i);
                try {
                    if (cursor.head().equals(f.fingerprint(cursor.headLength()))
                            && (f.gzip() || Files.size(f.path()) >= cursor.offset())) {
                        return i;
                    }
                } catch (IOException e) {
                    // not this one
                }
            }
            throw ProblemException.of(410, "Gone", "the log file this cursor points into is gone (rotated away or"
                    + " deleted); search again without 'cursor'").with("field", "cursor");
        }

        void execute(OutputStream out) {
            Deque<Pending> inflight = new ArrayDeque<>();
            // one range first: the newest page is usually in it; then as many at once as there are scan threads
            int window = 1;
            try {
                while (!full) {
                    LogRange next;
                    while (inflight.size() < window && (next = plan.next()) != null) {
                        LogRange r = next;
                        int keep = export ? Integer.MAX_VALUE : limit - items.size();
                        inflight.addLast(new Pending(r, pool.submit(() -> scan.scan(r, keep))));
                    }
                    Pending p = inflight.pollFirst();
                    if (p == null) {
                        break;
                    }
                    ChunkResult r = await(p.result());
                    window = settings.scanThreads();
                    if (!take(p.range(), r, out)) {
                        break;
                    }
                }
            } finally {
                stop.set(true);
                for (Pending p : inflight) {
                    p.result().cancel(false);
                }
            }
        }

        private boolean take(LogRange range, ChunkResult r, OutputStream out) {
            scanned += r.scanned;
            matched += r.matched;
            malformed += r.malformed;
            names.add(range.file().name());
            if (r.problem != null) {
                problem(range.file(), r.problem);
            }
            if (out != null) {
                try {
                    for (Match m : r.newestFirst()) {
                        out.write(m.ndjson());
                    }
                    out.flush();
                } catch (IOException | UncheckedIOException gone) {
                    return false;
                }
                return true;
            }
            for (Match m : r.newestFirst()) {
                if (!items.isEmpty() && pageBytes + m.length() > settings.maxPageBytes()) {
                    full = true;
                    return false;
                }
                items.add(m);
                pageBytes += m.length();
                lastFile = range.file();
                lastOffset = m.offset();
                if (items.size() == limit) {
                    full = true;
                    return false;
                }
            }
            return true;
        }

        Page page() {
            String next = full ? nextCursor() : null;
            return new Page(List.copyOf(items), next, scanned, matched, malformed, List.copyOf(names),
                    List.copyOf(problems));
        }

        /** Where the page ended: before its last item, or at the end of the next older non-empty file. */
        private String nextCursor() {
            String q = query.fingerprint();
            try {
                if (lastOffset > 0) {
                    LogFile.Head h = lastFile.head();
                    return h == null ? null : new Cursor(h.hash(), h.length(), lastOffset, q).encode();
                }
                for (int i = files.indexOf(lastFile) + 1; i < files.size(); i++) {
                    LogFile.Head h = files.get(i).head();
                    if (h != null) {
                        return new Cursor(h.hash(), h.length(), -1, q).encode();
                    }
                }
                return null;
            } catch (IOException e) {
                throw unreadable(lastFile.path(), e);
            }
        }

        private void problem(LogFile f, String detail) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", f.name());
            m.put("detail", detail);
            problems.add(m);
        }

        void close() {
            stop.set(true);
            if (plan != null) {
                plan.close();
            }
        }
    }

    /** The end of the first file read (its beginning for gzip), to tune the needles; null when unreadable. */
    private static AuditQuery.Sample sample(LogFile f) {
        byte[] b = new byte[SAMPLE_BYTES];
        int n;
        try {
            if (f.gzip()) {
                try (InputStream in = f.openGzip()) {
                    n = in.readNBytes(b, 0, b.length);
                }
            } else {
                try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                    n = LogFile.readFully(ch, ByteBuffer.wrap(b), Math.max(0, ch.size() - b.length));
                }
            }
        } catch (IOException e) {
            return null;
        }
        int[] counts = new int[256];
        for (int i = 0; i < n; i++) {
            counts[b[i] & 0xFF]++;
        }
        return new AuditQuery.Sample(b, n, counts);
    }

    private static ChunkResult await(Future<ChunkResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.of(503, "Service Unavailable", "the search was interrupted (server stopping)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static ProblemException missing(Path path) {
        return ProblemException.notFound("the audit log " + path + " does not exist (nor any rotated sibling of it);"
                + " set plugins.audit.path (PLUGINS_AUDIT_PATH) to the log the services write")
                .with("path", path.toString());
    }

    static ProblemException unreadable(Path path, IOException e) {
        return ProblemException.of(503, "Service Unavailable", "the server cannot read the audit log " + path + ": "
                + describe(e)).with("path", path.toString());
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
