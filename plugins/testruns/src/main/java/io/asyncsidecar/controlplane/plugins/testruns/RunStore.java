package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The runs on disk, one directory each under {@code <data-dir>/testruns/runs/<id>/}: {@code record.json}
 * (replaced atomically at every state change), {@code events.jsonl} (append-only), {@code report.json},
 * {@code report.md}, and {@code work/} for the orchestrator's artifacts.
 */
final class RunStore {

    /** Run ids are generated, never taken from callers as paths; this guards the directory names anyway. */
    static final Pattern RUN_ID = Pattern.compile("tr-[0-9a-f]{20}");

    private final Path root;

    RunStore(Path dataDirectory) {
        this.root = dataDirectory.resolve("runs");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
    }

    Path directory(String id) {
        if (!RUN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a run id: " + id);
        }
        return root.resolve(id);
    }

    Path events(String id) {
        return directory(id).resolve("events.jsonl");
    }

    Path reportJson(String id) {
        return directory(id).resolve("report.json");
    }

    Path reportMarkdown(String id) {
        return directory(id).resolve("report.md");
    }

    Path work(String id) throws IOException {
        return Files.createDirectories(directory(id).resolve("work"));
    }

    void create(String id) throws IOException {
        Files.createDirectories(directory(id));
    }

    void writeRecord(String id, JsonObject record) throws IOException {
        writeAtomically(directory(id).resolve("record.json"), record.toString());
    }

    void writeReports(String id, JsonObject json, String markdown) throws IOException {
        writeAtomically(reportJson(id), json.toString());
        writeAtomically(reportMarkdown(id), markdown);
    }

    /**
     * Reads every run record; unreadable ones are reported and skipped (the directory is kept for a person
     * to look at).
     *
     * @param problems receives a message per skipped directory
     * @return the records
     */
    List<JsonObject> loadRecords(List<String> problems) {
        List<JsonObject> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!RUN_ID.matcher(name).matches() || !Files.isDirectory(dir)) {
                    continue;
                }
                Path record = dir.resolve("record.json");
                try (JsonReader r = JsonCodec.reader(new ByteArrayInputStream(Files.readAllBytes(record)))) {
                    JsonObject json = r.readObject();
                    if (!name.equals(json.getString("id", ""))) {
                        problems.add(dir + ": record id does not match the directory");
                        continue;
                    }
                    out.add(json);
                } catch (IOException | JsonException | ClassCastException e) {
                    problems.add(record + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    void delete(String id) throws IOException {
        Path dir = directory(id);
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
