package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import io.asyncsidecar.controlplane.kit.JsonCodec;

/**
 * Writes audit logs for tests: entries as JSON lines, plain or gzip files, appends.
 */
final class LogFiles {

    private LogFiles() {
    }

    /** A fresh folder under target/. */
    static Path folder(String name) {
        Path p = Path.of("target/test-logs/" + name + "-" + System.nanoTime()).toAbsolutePath();
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** An entry with the usual fields, then pairs of extra ones. */
    static String entry(String id, String ts, String tenant, String subject, String action, String resource,
                        Object... extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        if (ts != null) {
            m.put("ts", ts);
        }
        m.put("tenant_id", tenant);
        m.put("subject", subject);
        m.put("action", action);
        m.put("resource", resource);
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return JsonCodec.write(m);
    }

    /** Any JSON object from pairs. */
    static String object(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return JsonCodec.write(m);
    }

    static void write(Path file, List<String> lines) {
        write(file, String.join("\n", lines) + "\n");
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void append(Path file, List<String> lines) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void gzip(Path file, List<String> lines) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compresses a file next to itself as NAME.gz and removes it, as logrotate's compress does. */
    static void compress(Path file, Path target) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            Files.copy(file, out);
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
