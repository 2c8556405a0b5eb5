package io.asyncsidecar.controlplane.plugins.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;

/**
 * A log and its rotated siblings, newest first. For {@code audit.log} the siblings are, in this order:
 * numbered ones ({@code audit.log.1}, {@code audit.log.2.gz}, also {@code audit.1.log}), lowest number first; then
 * dated ones ({@code audit.log.2026-11-30}, {@code audit.log-20261130.gz}, {@code audit-2026-11-30.log.gz}, with an
 * optional time and index), latest date first. Names are trusted over modification times, which copying changes.
 * Other files in the folder are ignored, so are other compressions than gzip, and so are siblings whose real path
 * is outside the folder (symbolic links).
 */
final class LogSet {

    private static final String DATE = "(\\d{4}-?\\d{2}-?\\d{2}(?:[T_-]?\\d{2}(?:[:-]?\\d{2}){0,2})?)";

    private LogSet() {
    }

    private record Sibling(LogFile file, int number, String date, int index) {
    }

    /**
     * Lists the files of a log.
     *
     * @param base the live file's path
     * @return the files, the live one first when it exists
     * @throws NoSuchFileException when neither the file nor any sibling exists
     * @throws IOException when the folder cannot be listed
     */
    static List<LogFile> list(Path base) throws IOException {
        Path dir = base.getParent();
        String name = base.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Pattern numbered = Pattern.compile(Pattern.quote(name) + "\\.(\\d{1,6})(\\.gz)?"
                + (ext.isEmpty() ? "" : "|" + Pattern.quote(stem) + "[.-](\\d{1,6})" + Pattern.quote(ext) + "(\\.gz)?"));
        Pattern dated = Pattern.compile(Pattern.quote(name) + "[.-]" + DATE + "(?:\\.(\\d{1,6}))?(\\.gz)?"
                + (ext.isEmpty() ? "" : "|" + Pattern.quote(stem) + "[.-]" + DATE + "(?:\\.(\\d{1,6}))?"
                + Pattern.quote(ext) + "(\\.gz)?"));
        List<LogFile> files = new ArrayList<>();
        boolean baseExists = Files.isRegularFile(base);
        if (baseExists) {
            files.add(new LogFile(base, true, false));
        }
        List<Sibling> siblings = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            // A rotated file is a file of the folder itself: a sibling linking elsewhere is not one, and reading
            // it would put whatever it points at (a workspace's log folder may come from a pull request) in
            // search results.
            WorkspaceFiles folder = WorkspaceFiles.of(dir);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.equals(name) || !folder.isFile(p)) {
                        continue;
                    }
                    Matcher m = numbered.matcher(n);
                    if (m.matches()) {
                        boolean first = m.group(1) != null;
                        String num = first ? m.group(1) : m.group(3);
                        boolean gz = (first ? m.group(2) : m.group(4)) != null;
                        siblings.add(new Sibling(new LogFile(p, false, gz), Integer.parseInt(num), null, 0));
                        continue;
                    }
                    m = dated.matcher(n);
                    if (m.matches()) {
                        boolean first = m.group(1) != null;
                        String date = first ? m.group(1) : m.group(4);
                        String index = first ? m.group(2) : m.group(5);
                        boolean gz = (first ? m.group(3) : m.group(6)) != null;
                        siblings.add(new Sibling(new LogFile(p, false, gz), -1, digits(date),
                                index == null ? 0 : Integer.parseInt(index)));
                    }
                }
            }
        }
        if (!baseExists && siblings.isEmpty()) {
            throw new NoSuchFileException(base.toString());
        }
        siblings.sort(Comparator.comparing((Sibling s) -> s.number() < 0)
                .thenComparingInt(Sibling::number)
                .thenComparing(Sibling::date, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Comparator.comparingInt(Sibling::index).reversed())
                .thenComparing(s -> s.file().gzip())
                .thenComparing(s -> s.file().name()));
        for (Sibling s : siblings) {
            files.add(s.file());
        }
        return files;
    }

    /** The date's digits, padded so that a date without a time sorts as its midnight. */
    private static String digits(String date) {
        StringBuilder d = new StringBuilder(14);
        for (int i = 0; i < date.length(); i++) {
            if (Character.isDigit(date.charAt(i))) {
                d.append(date.charAt(i));
            }
        }
        while (d.length() < 14) {
            d.append('0');
        }
        return d.toString();
    }
}
