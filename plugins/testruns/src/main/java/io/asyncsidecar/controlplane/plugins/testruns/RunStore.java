package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The runs on disk, one directory each under {@code <data-dir>/testruns/runs/<id>/}: {@code record.json}
 * (replaced atomically at every state change), {@code events.jsonl} (append-only), {@code report.json},
 * {@code report.md}, {@code work/} for the orchestrator's artifacts, and while the run waits in the queue
 * {@code request.json}, its arguments with their secrets (owner-only), so that a restart can run it.
 *
 * <p>A run directory appears and disappears whole: it is assembled in {@code runs/.tmp/} and renamed into place,
 * and renamed there again before it is deleted; whatever a crash leaves in {@code .tmp/} is removed at the next
 * start. A directory whose record cannot be read is moved to {@code runs/.quarantine/} for a person to look at,
 * so it is reported once, not at every start.
 */
final class RunStore {

    /** Run ids are generated, never taken from callers as paths; this guards the directory names anyway. */
    static final Pattern RUN_ID = Pattern.compile("tr-[0-9a-f]{20}");

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path root;
    private final Path tmp;
    private final Path quarantine;

    RunStore(Path dataDirectory) {
        this.root = dataDirectory.resolve("runs");
        this.tmp = root.resolve(".tmp");
        this.quarantine = root.resolve(".quarantine");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmp, e);
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

    /**
     * Creates a run's directory with its record and the request to run it, all or nothing.
     *
     * @param id      the run id
     * @param record  its record
     * @param request its arguments with secrets ({@link RunArguments#stored()}), written owner-only
     * @throws IOException when the directory cannot be created; nothing is left behind
     */
    void create(String id, JsonObject record, JsonObject request) throws IOException {
        Path target = directory(id);
        Path staged = tmp.resolve(id);
        try {
            Files.createDirectory(staged);
            writeAtomically(staged.resolve("record.json"), record.toString());
            writePrivately(staged.resolve("request.json"), request.toString());
            Files.createFile(staged.resolve("events.jsonl"));
            move(staged, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(staged);
            throw e;
        }
    }

    void writeRecord(String id, JsonObject record) throws IOException {
        writeAtomically(directory(id).resolve("record.json"), record.toString());
    }

    /**
     * Reads the request a queued run was accepted with.
     *
     * @param id the run id
     * @return its arguments with secrets, or empty when there is none (the run started, or an older store)
     */
    Optional<JsonObject> readRequest(String id) {
        Path file = directory(id).resolve("request.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (JsonReader r = JsonCodec.reader(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            return Optional.of(r.readObject());
        } catch (IOException | JsonException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the stored request of a run that started or ended: its secrets are kept no longer than needed.
     *
     * @param id the run id
     */
    void dropRequest(String id) {
        try {
            Files.deleteIfExists(directory(id).resolve("request.json"));
        } catch (IOException e) {
            // a leftover is removed with the run's directory
        }
    }

    void writeReports(String id, JsonObject json, String markdown) throws IOException {
        writeAtomically(reportJson(id), json.toString());
        writeAtomically(reportMarkdown(id), markdown);
    }

    /**
     * Reads every run record. What a crash left half-made in {@code .tmp/} is removed; a run directory without a
     * record (left by a version that did not create runs whole) is removed too, since no run was acknowledged
     * without one; a directory whose record is unreadable is moved to {@code .quarantine/}.
     *
     * @param problems receives a message per directory removed or moved
     * @return the records
     */
    List<JsonObject> loadRecords(List<String> problems) {
        clearTmp(problems);
        List<JsonObject> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!RUN_ID.matcher(name).matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path record = dir.resolve("record.json");
                if (!Files.exists(record, LinkOption.NOFOLLOW_LINKS)) {
                    removeUnacknowledged(name, problems);
                    continue;
                }
                try (JsonReader r = JsonCodec.reader(new ByteArrayInputStream(Files.readAllBytes(record)))) {
                    JsonObject json = r.readObject();
                    if (!name.equals(json.getString("id", ""))) {
                        quarantine(dir, "its record's id does not match the directory", problems);
                        continue;
                    }
                    out.add(json);
                } catch (IOException | JsonException | ClassCastException e) {
                    quarantine(dir, "its record cannot be read (" + e.getMessage() + ")", problems);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return out;
    }

    private void clearTmp(List<String> problems) {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                deleteTree(p);
                problems.add("removed " + p.getFileName() + ", a run directory half made or half deleted when the"
                        + " server stopped");
            }
        } catch (IOException e) {
            problems.add("cannot clear " + tmp + ": " + e.getMessage());
        }
    }

    private void removeUnacknowledged(String id, List<String> problems) {
        try {
            delete(id);
            problems.add("removed " + id + ": a run directory without a record, from a run that was never"
                    + " accepted");
        } catch (IOException e) {
            problems.add("cannot remove " + id + ", a run directory without a record: " + e.getMessage());
        }
    }

    private void quarantine(Path dir, String why, List<String> problems) {
        try {
            Files.createDirectories(quarantine);
            Path to = quarantine.resolve(dir.getFileName());
            for (int n = 1; Files.exists(to, LinkOption.NOFOLLOW_LINKS); n++) {
                to = quarantine.resolve(dir.getFileName() + "-" + n);
            }
            move(dir, to);
            problems.add(dir.getFileName() + " moved to " + to + ": " + why);
        } catch (IOException e) {
            problems.add(dir.getFileName() + ": " + why + "; cannot move it aside: " + e.getMessage());
        }
    }

    /**
     * Deletes a run's directory: renamed out of the store first, so a crash midway leaves no half of it.
     *
     * @param id the run id
     * @throws IOException when it cannot be deleted
     */
    void delete(String id) throws IOException {
        Path dir = directory(id);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path doomed = tmp.resolve(id + "-deleted-" + System.nanoTime());
        move(dir, doomed);
        deleteTree(doomed);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // links are deleted, never followed
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

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Owner-only from its creation: the secrets are never readable by others, not even for a moment. */
    private static void writePrivately(Path target, String content) throws IOException {
        try {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(target);
        }
        Files.writeString(target, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
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
