package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.plugins.audit.AuditSettings.LogRef;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * Follows one log for its tail subscribers: every {@code tail.poll-millis} it reads what was appended, parses and
 * scrubs each new entry once into a {@link TailBuffer}, and checks the subscribers' lag. It runs while the log has
 * subscribers and starts at the end of the file (only new entries are sent).
 *
 * <p>Rotation is followed both ways logrotate does it. Rename and new file: the file's identity (inode) changes;
 * the old file, still open, is read to its end first (a producer may still be writing to it), then the new one
 * from its start. Copy and truncate: the file shrinks, or its first bytes change; what was appended between the
 * last poll and the copy is read from the copy (the sibling whose beginning matches), then the file from its
 * start. Lines written between the copy and the truncation are lost to every reader; that is copytruncate's.
 */
final class LogWatcher {

    private static final System.Logger LOG = System.getLogger(LogWatcher.class.getName());

    private final LogRef log;
    private final AuditSettings settings;
    private final ExecutorService executor;
    private final TailBuffer buffer;
    private final Set<TailSubscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final LineScanner scanner;
    private boolean running;
    private volatile boolean closed;

    // the file followed (touched by the watcher's thread only)
    private FileChannel channel;
    private Object fileKey;
    private String headHash;
    private int headLength;
    private boolean fromStart;

    LogWatcher(LogRef log, AuditSettings settings, ExecutorService executor) {
        this.log = log;
        this.settings = settings;
        this.executor = executor;
        this.buffer = new TailBuffer(settings.tailBufferBytes());
        int maxLine = settings.maxLineBytes();
        this.scanner = new LineScanner(ByteBuffer.allocate(maxLine + LineScanner.BLOCK).order(ByteOrder.LITTLE_ENDIAN),
                null, maxLine, new Sink());
    }

    TailBuffer buffer() {
        return buffer;
    }

    LogRef log() {
        return log;
    }

    /**
     * Adds a subscriber, starting the watcher when it is the first.
     *
     * @param s the subscriber
     * @return the sequence number of the last entry before it joined
     */
    synchronized long subscribe(TailSubscriber s) {
        subscribers.add(s);
        if (!running && !closed) {
            running = true;
            executor.execute(this::run);
        }
        return buffer.lastSeq();
    }

    void unsubscribe(TailSubscriber s) {
        subscribers.remove(s);
    }

    private void run() {
        try {
            while (true) {
                openAtEnd();
                try {
                    follow();
                } finally {
                    closeChannel();
                }
                synchronized (this) {
                    // a subscriber may have come since follow() saw none: then start over
                    if (closed || subscribers.isEmpty()) {
                        running = false;
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (this) {
                running = false;
            }
        }
    }

    private void follow() throws InterruptedException {
        while (!closed && !subscribers.isEmpty()) {
            try {
                poll();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "audit tail of " + log.path() + ": " + LogSearch.describe(e));
            }
            long head = buffer.lastSeq();
            for (TailSubscriber s : subscribers) {
                s.checkLag(head, settings.tailMaxLag(), settings.tailCloseTimeout());
            }
            Thread.sleep(settings.tailPollInterval().toMillis());
        }
    }

    /** The first file is read from its end; a file appearing later is new, and read from its start. */
    private void openAtEnd() {
        try {
            channel = FileChannel.open(log.path(), StandardOpenOption.READ);
            fileKey = Files.readAttributes(log.path(), BasicFileAttributes.class).fileKey();
            long size = channel.size();
            rememberHead();
            scanner.start(size == 0 ? 0 : size - 1, size > 0, Long.MAX_VALUE);
            // skip what is there: only the byte before the end is read, to find where the next line starts
            scanner.feed(this::readChannel, () -> false);
        } catch (IOException e) {
            closeChannel();
            fromStart = true;
        }
    }

    private void poll() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(log.path(), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            // between the rename and the new file: keep reading the old one, a producer may still write to it
            if (channel != null) {
                scanner.feed(this::readChannel, () -> false);
            }
            return;
        }
        if (channel == null) {
            open(attrs, fromStart);
            fromStart = true;
            if (channel == null) {
                return;
            }
        } else if (!Objects.equals(attrs.fileKey(), fileKey)) {
            scanner.feed(this::readChannel, () -> false);
            scanner.finish();
            closeChannel();
            notice("renamed");
            open(attrs, true);
            if (channel == null) {
                return;
            }
        } else if (attrs.size() < scanner.position() || headChanged(attrs.size())) {
            recoverFromCopy();
            notice("truncated");
            scanner.start(0, false, Long.MAX_VALUE);
            rememberHead();
        }
        if (headLength < LogFile.HEAD_BYTES && attrs.size() > headLength) {
            rememberHead();
        }
        scanner.feed(this::readChannel, () -> false);
    }

    private void open(BasicFileAttributes attrs, boolean atStart) throws IOException {
        try {
            channel = FileChannel.open(log.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return;
        }
        fileKey = attrs.fileKey();
        rememberHead();
        long size = channel.size();
        if (atStart || size == 0) {
            scanner.start(0, false, Long.MAX_VALUE);
        } else {
            scanner.start(size - 1, true, Long.MAX_VALUE);
        }
    }

    private int readChannel(ByteBuffer dst) throws IOException {
        return channel == null ? -1 : channel.read(dst, scanner.position());
    }

    private void rememberHead() throws IOException {
        int n = (int) Math.min(LogFile.HEAD_BYTES, channel.size());
        headLength = n;
        headHash = n == 0 ? null : head(n);
    }

    private String head(int n) throws IOException {
        byte[] b = new byte[n];
        int read = LogFile.readFully(channel, ByteBuffer.wrap(b), 0);
        return read < n ? null : LogFile.digest(b, n);
    }

    private boolean headChanged(long size) throws IOException {
        if (headLength == 0) {
            return false;
        }
        return size < headLength || !Objects.equals(headHash, head(headLength));
    }

    /** After a copytruncate: reads the rest of what we had from the copy, found by its first bytes. */
    private void recoverFromCopy() {
        if (headLength == 0) {
            return;
        }
        long from = scanner.position();
        try {
            List<LogFile> files = LogSet.list(log.path());
            for (LogFile f : files) {
                if (f.live() || !headHash.equals(f.fingerprint(headLength))) {
                    continue;
                }
                if (f.gzip()) {
                    try (InputStream in = f.openGzip()) {
                        in.skipNBytes(from);
                        scanner.feed(dst -> {
                            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                            if (n > 0) {
                                dst.position(dst.position() + n);
                            }
                            return n;
                        }, () -> false);
                    }
                } else {
                    try (FileChannel copy = FileChannel.open(f.path(), StandardOpenOption.READ)) {
                        scanner.feed(dst -> copy.read(dst, scanner.position()), () -> false);
                    }
                }
                scanner.finish();
                return;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "audit tail of " + log.path() + ": cannot read the rotated copy: "
                    + LogSearch.describe(e));
        }
    }

    private void notice(String how) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "rotated");
        m.put("how", how);
        m.put("file", log.path().getFileName().toString());
        buffer.append(null, null, JsonCodec.write(m), 0);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
            channel = null;
        }
    }

    /** Stops following the log and closes its subscribers ("going away"). */
    void close() {
        closed = true;
        for (TailSubscriber s : subscribers) {
            s.goingAway();
        }
    }

    /** Parses each new line once; the subscribers only filter. */
    private final class Sink implements LineScanner.Sink {

        @Override
        public void line(ByteBuffer b, int from, int to, long offset, boolean candidate) {
            entry(b, from, to, false);
        }

        @Override
        public void unterminated(ByteBuffer b, int from, int to, long offset, boolean candidate) {
            entry(b, from, to, true);
        }

        @Override
        public void plain(int count) {
            // only a scanner with a needle reports these; the watcher's has none
        }

        @Override
        public void oversized(long offset) {
            // not an entry any filter could show
        }

        private void entry(ByteBuffer b, int from, int to, boolean unterminated) {
            int s = from;
            int e = to;
            while (s < e && b.get(s) <= ' ') {
                s++;
            }
            while (e > s && b.get(e - 1) <= ' ') {
                e--;
            }
            if (e - s < 2 || b.get(s) != '{' || b.get(e - 1) != '}') {
                return;
            }
            byte[] copy = new byte[e - s];
            b.get(s, copy);
            JsonObject raw;
            try (JsonReader r = JsonCodec.provider().createReader(new StringReader(
                    new String(copy, StandardCharsets.UTF_8)))) {
                raw = r.readObject();
            } catch (RuntimeException malformed) {
                return;
            }
            if (settings.fields().tenantOf(raw) == null) {
                return;
            }
            JsonObject shown = Scrubber.scrub(raw);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "entry");
            m.put("entry", shown);
            buffer.append(raw, shown, JsonCodec.write(m), copy.length);
        }
    }
}
