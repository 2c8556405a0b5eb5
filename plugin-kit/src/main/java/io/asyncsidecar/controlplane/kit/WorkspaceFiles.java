package io.asyncsidecar.controlplane.kit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one way plugins read files of the workspace, which is untrusted input (a pull request's checkout). A file
 * is read only when its real path, every symbolic link resolved, lies inside the boundary (the workspace, or a
 * folder of it such as a chart, see {@link #within}), when it is a regular file (not a FIFO or a device, which
 * would block or never end) and when it is no larger than the size limit; it is then opened by its real path
 * without following links. A folder walk checks every entry the same way, does not descend into linked folders,
 * and stops after a number of entries. Whatever is refused is named by its workspace-relative path, never by
 * its target or an absolute path, so an answer cannot leak the server's layout.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class WorkspaceFiles {

    /** Largest file read by default: 32 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 32L * 1024 * 1024;
    /** Most entries (files and folders) one walk visits by default. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    /** Why a path was not read. */
    public enum Reason {
        /** The path, or a symbolic link on its way, resolves outside the boundary. */
        OUTSIDE,
        /** The path does not exist (or is a dangling link). */
        MISSING,
        /** The path is a folder, a FIFO, a socket or a device. */
        NOT_A_FILE,
        /** The file is larger than the limit. */
        TOO_LARGE,
        /** The file is not valid UTF-8 where text was asked for. */
        NOT_TEXT,
        /** Any other input/output failure (permissions, I/O errors). */
        UNREADABLE
    }

    /**
     * A path that was not read. The message is plain and names the path relative to the workspace, so it may
     * be put in an answer as it is.
     */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final Reason reason;
        private final String path;

        Refused(Reason reason, String path, String message) {
            super(message);
            this.reason = reason;
            this.path = path;
        }

        /** @return why the path was not read */
        public Reason reason() {
            return reason;
        }

        /** @return the path, relative to the workspace */
        public String path() {
            return path;
        }
    }

    /**
     * A plain message for a failed read, fit for an answer: a {@link Refused}'s own message, else one naming the
     * path as shown, never the exception's text (which holds absolute paths) or its class.
     *
     * @param e     what went wrong
     * @param shown the path as the caller may see it (workspace-relative, or as configured)
     * @return the message
     */
    public static String describe(IOException e, String shown) {
        if (e instanceof Refused r) {
            return r.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return "'" + shown + "' does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "'" + shown + "' cannot be read (permission denied)";
        }
        return "'" + shown + "' cannot be read";
    }

    /**
     * What a folder walk found.
     *
     * @param files     the regular files inside the boundary that the filter accepts, in path order (a link to a
     *                  file inside the boundary is listed under the link's path)
     * @param refused   the entries the filter accepts that were not listed: links leading outside the boundary
     *                  and special files
     * @param truncated true when the walk stopped at the entry limit
     */
    public record Listing(List<Path> files, List<Refused> refused, boolean truncated) {
        /** Copies the lists. */
        public Listing {
            files = List.copyOf(files);
            refused = List.copyOf(refused);
        }
    }

    private final Path workspace;
    private final Path boundary;
    private final long maxFileBytes;
    private final int maxEntries;

    private WorkspaceFiles(Path workspace, Path boundary, long maxFileBytes, int maxEntries) {
        if (maxFileBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("WorkspaceFiles limits must be positive: max-file-bytes="
                    + maxFileBytes + " max-entries=" + maxEntries);
        }
        this.workspace = workspace.toAbsolutePath().normalize();
        this.boundary = boundary.toAbsolutePath().normalize();
        this.maxFileBytes = maxFileBytes;
        this.maxEntries = maxEntries;
    }

    /**
     * A reader of the workspace with the default limits.
     *
     * @param workspace the workspace root
     * @return the reader
     */
    public static WorkspaceFiles of(Path workspace) {
        return of(workspace, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_ENTRIES);
    }

    /**
     * A reader of the workspace with other limits.
     *
     * @param workspace    the workspace root
     * @param maxFileBytes largest file read
     * @param maxEntries   most entries one walk visits
     * @return the reader
     * @throws IllegalArgumentException when a limit is not positive
     */
    public static WorkspaceFiles of(Path workspace, long maxFileBytes, int maxEntries) {
        return new WorkspaceFiles(workspace, workspace, maxFileBytes, maxEntries);
    }

    /**
     * The same reader with a narrower boundary: a folder of the workspace (a chart), so that a link from it to
     * a sibling folder is refused too. Paths are still shown relative to the workspace.
     *
     * @param folder a folder inside the current boundary
     * @return the narrower reader
     * @throws IllegalArgumentException when the folder is outside the current boundary
     */
    public WorkspaceFiles within(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        if (!f.startsWith(boundary)) {
            throw new IllegalArgumentException("'" + display(f) + "' is not inside '" + display(boundary) + "'");
        }
        return new WorkspaceFiles(workspace, f, maxFileBytes, maxEntries);
    }

    /** @return the workspace root (absolute, normalised) */
    public Path workspace() {
        return workspace;
    }

    /** @return the folder no file may resolve outside of (absolute, normalised) */
    public Path boundary() {
        return boundary;
    }

    /** @return the largest file read */
    public long maxFileBytes() {
        return maxFileBytes;
    }

    /**
     * A path as answers show it: relative to the workspace with forward slashes; a path outside the workspace
     * shows only its file name.
     *
     * @param path a path
     * @return the display path
     */
    public String display(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.startsWith(workspace)) {
            return workspace.relativize(abs).toString().replace('\\', '/');
        }
        Path name = abs.getFileName();
        return name == null ? "" : name.toString();
    }

    /**
     * Checks that a path resolves inside the boundary.
     *
     * @param path the path
     * @return its real path
     * @throws Refused {@link Reason#OUTSIDE}, {@link Reason#MISSING} or {@link Reason#UNREADABLE}
     */
    public Path realPath(Path path) throws Refused {
        Path abs = path.toAbsolutePath().normalize();
        String shown = display(abs);
        if (!abs.startsWith(boundary)) {
            throw outside(shown);
        }
        Path real;
        try {
            real = abs.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(Reason.MISSING, shown, "'" + shown + "' does not exist");
        } catch (IOException e) {
            throw new Refused(Reason.UNREADABLE, shown, "'" + shown + "' cannot be read");
        }
        if (!real.startsWith(realBoundary())) {
            throw outside(shown);
        }
        return real;
    }

    /**
     * Whether a path is a regular file, inside the boundary once links are resolved.
     *
     * @param path the path
     * @return true when {@link #readBytes} may read it (size aside)
     */
    public boolean isFile(Path path) {
        try {
            return Files.readAttributes(realPath(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a file whole.
     *
     * @param file the file
     * @return its bytes
     * @throws Refused when it is outside the boundary, missing, not a regular file, over the size limit or
     *                 unreadable
     */
    public byte[] readBytes(Path file) throws Refused {
        return read(file, maxFileBytes, true);
    }

    /**
     * Reads a file whole, with a tighter size limit than the reader's.
     *
     * @param file     the file
     * @param maxBytes the largest file this caller reads; the reader's own limit applies when it is smaller
     * @return its bytes
     * @throws Refused as {@link #readBytes(Path)}
     */
    public byte[] readBytes(Path file, long maxBytes) throws Refused {
        return read(file, Math.min(maxBytes, maxFileBytes), true);
    }

    /**
     * Reads a UTF-8 text file whole.
     *
     * @param file the file
     * @return its text
     * @throws Refused as {@link #readBytes}, and {@link Reason#NOT_TEXT} for malformed UTF-8
     */
    public String readString(Path file) throws Refused {
        return readString(file, maxFileBytes);
    }

    /**
     * Reads a UTF-8 text file whole, with a tighter size limit than the reader's.
     *
     * @param file     the file
     * @param maxBytes the largest file this caller reads
     * @return its text
     * @throws Refused as {@link #readString(Path)}
     */
    public String readString(Path file, long maxBytes) throws Refused {
        byte[] bytes = readBytes(file, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            String shown = display(file);
            throw new Refused(Reason.NOT_TEXT, shown, "'" + shown + "' is not valid UTF-8");
        }
    }

    /**
     * The first characters of a text file, for excerpts in answers: reads no more than it needs and replaces
     * malformed UTF-8 rather than failing.
     *
     * @param file     the file
     * @param maxChars how many characters at most
     * @return the text, or an empty string when the file is refused or cannot be read
     */
    public String excerpt(Path file, int maxChars) {
        if (maxChars <= 0) {
            return "";
        }
        // 4 bytes per character at most in UTF-8.
        long limit = Math.min((long) maxChars * 4, Integer.MAX_VALUE - 8);
        try {
            byte[] bytes = read(file, limit, false);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.length() > maxChars ? text.substring(0, maxChars) : text;
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Walks a folder recursively, without following links to folders.
     *
     * @param dir    the folder (inside the boundary)
     * @param filter which entries to look at; a folder it rejects is not descended into
     * @return the regular files, the refused entries, and whether the entry limit cut the walk short
     * @throws Refused when the folder itself is outside the boundary, missing or unreadable
     */
    public Listing walk(Path dir, Predicate<Path> filter) throws Refused {
        return walk(dir, filter, Integer.MAX_VALUE);
    }

    /**
     * Walks a folder down to a depth (1 lists its entries).
     *
     * @param dir      the folder
     * @param filter   which entries to look at
     * @param maxDepth how deep to go
     * @return as {@link #walk(Path, Predicate)}
     * @throws Refused as {@link #walk(Path, Predicate)}
     */
    public Listing walk(Path dir, Predicate<Path> filter, int maxDepth) throws Refused {
        Path real = realPath(dir);
        Path abs = dir.toAbsolutePath().normalize();
        // A linked folder (inside the boundary) is walked where it really is, so the walk itself cannot be led out.
        Path start = Files.isSymbolicLink(abs) ? real : abs;
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            String shown = display(abs);
            throw new Refused(Reason.NOT_A_FILE, shown, "'" + shown + "' is not a folder");
        }
        Walker walker = new Walker(start, filter);
        try {
            Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), maxDepth, walker);
        } catch (IOException e) {
            String shown = display(abs);
            throw new Refused(Reason.UNREADABLE, shown, "'" + shown + "' cannot be listed");
        }
        List<Path> files = new ArrayList<>(walker.files);
        files.sort(Comparator.comparing(p -> start.relativize(p).toString()));
        return new Listing(files, walker.refused, walker.truncated);
    }

    private byte[] read(Path file, long limit, boolean failOverLimit) throws Refused {
        Path real = realPath(file);
        String shown = display(file);
        try {
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw new Refused(Reason.NOT_A_FILE, shown, "'" + shown + "' is not a regular file");
            }
            if (failOverLimit && a.size() > limit) {
                throw tooLarge(shown, a.size(), limit);
            }
            // Opened by its real path without following links: a link swapped in after the check is not followed.
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                // Files such as /proc entries report size 0, so the read itself is bounded too.
                byte[] bytes = in.readNBytes((int) Math.min(limit + (failOverLimit ? 1 : 0), Integer.MAX_VALUE - 8));
                if (failOverLimit && bytes.length > limit) {
                    throw tooLarge(shown, bytes.length, limit);
                }
                return bytes;
            }
        } catch (Refused r) {
            throw r;
        } catch (NoSuchFileException e) {
            throw new Refused(Reason.MISSING, shown, "'" + shown + "' does not exist");
        } catch (IOException e) {
            throw new Refused(Reason.UNREADABLE, shown, "'" + shown + "' cannot be read");
        }
    }

    private static Refused tooLarge(String shown, long size, long limit) {
        return new Refused(Reason.TOO_LARGE, shown, "'" + shown + "' is larger than the limit of " + limit
                + " bytes (" + size + " bytes or more); not read");
    }

    private Refused outside(String shown) {
        return new Refused(Reason.OUTSIDE, shown, "'" + shown + "' resolves outside "
                + (boundary.equals(workspace) ? "the workspace" : "'" + display(boundary) + "'")
                + " through a symbolic link; not read");
    }

    private Path realBoundary() throws Refused {
        try {
            return boundary.toRealPath();
        } catch (IOException e) {
            String shown = display(boundary);
            throw new Refused(Reason.MISSING, shown, "'" + shown + "' does not exist");
        }
    }

    /** Collects the walk's files and refusals, counting entries. */
    private final class Walker implements FileVisitor<Path> {
        private final Path start;
        private final Predicate<Path> filter;
        private final List<Path> files = new ArrayList<>();
        private final List<Refused> refused = new ArrayList<>();
        private int entries;
        private boolean truncated;

        Walker(Path start, Predicate<Path> filter) {
            this.start = start;
            this.filter = filter;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(start)) {
                return FileVisitResult.CONTINUE;
            }
            if (!count()) {
                return FileVisitResult.TERMINATE;
            }
            return filter.test(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!count()) {
                return FileVisitResult.TERMINATE;
            }
            if (!filter.test(file)) {
                return FileVisitResult.CONTINUE;
            }
            if (attrs.isRegularFile()) {
                files.add(file);
            } else if (attrs.isSymbolicLink()) {
                link(file);
            } else if (attrs.isOther()) {
                String shown = display(file);
                refused.add(new Refused(Reason.NOT_A_FILE, shown, "'" + shown + "' is not a regular file; not read"));
            }
            return FileVisitResult.CONTINUE;
        }

        private void link(Path file) {
            try {
                Path real = realPath(file);
                BasicFileAttributes target = Files.readAttributes(real, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (target.isRegularFile()) {
                    files.add(file);
                }
                // A link to a folder inside the boundary is not descended into, as a plain walk does not.
            } catch (Refused r) {
                if (r.reason() != Reason.MISSING) {
                    refused.add(r);
                }
            } catch (IOException e) {
                // vanished between listing and looking: nothing to read
            }
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            // an entry that cannot be looked at (permissions, vanished) is not read: nothing to report
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            return FileVisitResult.CONTINUE;
        }

        private boolean count() {
            if (++entries > maxEntries) {
                truncated = true;
                return false;
            }
            return true;
        }
    }
}
