package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Cuts a log into ranges newest first: each file from its end backwards, 256 KB first (the newest page is
 * usually there) and four times larger each time up to a few megabytes, then the next older file. A gzip file
 * cannot be read backwards: for a page it is one forward range; for an export it is first inflated into a
 * temporary file, cut like the others and deleted at {@link #close()}.
 */
final class RangePlan implements AutoCloseable {

    private static final long FIRST_RANGE = 256 * 1024;
    private static final long MAX_RANGE = 8L * 1024 * 1024;
    private static final long MAX_EXPORT_RANGE = 4L * 1024 * 1024;

    private final List<LogFile> files;
    private final boolean export;
    private final Path temporary;
    private final BiConsumer<LogFile, String> problems;
    private final BooleanSupplier stop;
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<Path> inflated = new ArrayList<>();
    private int fileIndex;
    private long startOffset;
    private LogFile current;
    private FileChannel channel;
    private long size;
    private long end;
    private long range = FIRST_RANGE;

    /**
     * @param files       the log's files, newest first
     * @param fileIndex   the file to start in
     * @param startOffset the offset to read backwards from in that file, or -1 for its end
     * @param export      whether every match is wanted (gzip files are inflated and cut like the others)
     * @param temporary   where to inflate
     * @param problems    told about files that cannot be read
     * @param stop        true abandons an inflation under way
     */
    RangePlan(List<LogFile> files, int fileIndex, long startOffset, boolean export, Path temporary,
              BiConsumer<LogFile, String> problems, BooleanSupplier stop) {
        this.files = files;
        this.fileIndex = fileIndex;
        this.startOffset = startOffset;
        this.export = export;
        this.temporary = temporary;
        this.problems = problems;
        this.stop = stop;
    }

    /** @return the next older range, or null when the oldest line was planned */
    LogRange next() {
        while (true) {
            if (current == null) {
                if (fileIndex >= files.size()) {
                    return null;
                }
                open(files.get(fileIndex++));
                continue;
            }
            if (current.gzip() && !export) {
                LogRange r = new LogRange(current, null, 0, startOffset > 0 ? startOffset : Long.MAX_VALUE,
                        Long.MAX_VALUE, true);
                startOffset = -1;
                current = null;
                return r;
            }
            if (end <= 0) {
                current = null;
                continue;
            }
            long s = Math.max(0, end - range);
            LogRange r = new LogRange(current, channel, s, end, size, false);
            end = s;
            range = Math.min(range * 4, export ? MAX_EXPORT_RANGE : MAX_RANGE);
            return r;
        }
    }

    private void open(LogFile f) {
        current = f;
        if (f.gzip() && !export) {
            return;
        }
        try {
            Path content = f.gzip() ? inflate(f) : f.path();
            channel = FileChannel.open(content, StandardOpenOption.READ);
            channels.add(channel);
            size = channel.size();
            end = startOffset > 0 ? Math.min(startOffset, size) : size;
        } catch (NoSuchFileException e) {
            problems.accept(f, "the file went away during the search (rotated?)");
            current = null;
        } catch (IOException e) {
            problems.accept(f, LogSearch.describe(e));
            current = null;
        }
        startOffset = -1;
    }

    /** Inflates a gzip file for an export; a corrupt one is kept up to where it could be read. */
    private Path inflate(LogFile f) throws IOException {
        Files.createDirectories(temporary);
        Path t = Files.createTempFile(temporary, "inflate-", ".jsonl");
        inflated.add(t);
        try (InputStream in = f.openGzip(); OutputStream os = Files.newOutputStream(t)) {
            byte[] b = new byte[1 << 16];
            for (int n; (n = in.read(b)) > 0 && !stop.getAsBoolean(); ) {
                os.write(b, 0, n);
            }
        } catch (IOException e) {
            if (Files.size(t) == 0) {
                throw e;
            }
            problems.accept(f, LogSearch.describe(e) + " (read up to there)");
        }
        return t;
    }

    /** Closes the files and deletes the inflated copies. */
    @Override
    public void close() {
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // read-only channel
            }
        }
        for (Path p : inflated) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // removed at the next start-up
            }
        }
    }
}
