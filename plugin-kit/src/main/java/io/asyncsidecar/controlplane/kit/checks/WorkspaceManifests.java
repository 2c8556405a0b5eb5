package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.asyncsidecar.controlplane.spi.checks.YamlDocument;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;


/**
 * The YAML manifests a check reads from the workspace: one file, or every {@code *.yaml} / {@code *.yml} file
 * under a folder (read whole, recursively, in path order, hidden entries skipped). Paths go through
 * {@link WorkspacePaths}, so a path outside the workspace is a 400; files are read through {@link WorkspaceFiles},
 * so a folder entry whose real path leaves the workspace (a symbolic link) is not read but a {@value #LINK}
 * finding naming the entry; each file goes through {@link SafeYaml}, so a parse error is a {@code yaml.parse}
 * finding with file:line and the documents before it are still checked.
 * A path that does not exist is not an exception either: it is a {@value #MISSING} finding and no documents,
 * and {@link #exists()} lets a plugin answer 404 instead when the caller named the path.
 */
public final class WorkspaceManifests {

    /** Check id of a configured or requested path that does not exist. */
    public static final String MISSING = "workspace.missing";
    /** Check id of a folder with more YAML files than the loader reads. */
    public static final String TOO_MANY_FILES = "workspace.limit";
    /** Check id of a folder entry that is not read: a link resolving outside the workspace, or a special file. */
    public static final String LINK = "workspace.link";
    /** Most YAML files read from one folder. */
    public static final int MAX_FILES = 1000;

    /**
     * The rules of reading the workspace, for a plugin's rule list.
     *
     * @return missing path, folder limit, refused entry, YAML parse error and YAML limit
     */
    public static List<CheckRule> readingRules() {
        return List.of(
                new CheckRule(MISSING, Severity.ERROR, "the configured paths exist"),
                new CheckRule(TOO_MANY_FILES, Severity.WARNING, "a folder holds no more YAML files than are read"),
                new CheckRule(LINK, Severity.ERROR, "no file read from the workspace is a link out of it"),
                new CheckRule(SafeYaml.PARSE_ERROR, Severity.ERROR, "manifests are valid YAML"),
                new CheckRule(SafeYaml.LIMIT, Severity.ERROR, "manifests stay within the YAML loader's safety limits"));
    }

    /**
     * A plugin's rules followed by {@link #readingRules()}.
     *
     * @param own the plugin's own rules
     * @return both, own first
     */
    public static List<CheckRule> withReadingRules(List<CheckRule> own) {
        List<CheckRule> all = new ArrayList<>(own);
        all.addAll(readingRules());
        return List.copyOf(all);
    }

    private final WorkspaceFiles reader;
    private final String path;
    private final Path location;
    private final boolean exists;
    private final boolean directory;
    private final List<YamlFile> files;
    private final List<Finding> problems;

    private WorkspaceManifests(WorkspaceFiles reader, String path, Path location, boolean exists, boolean directory,
                               List<YamlFile> files, List<Finding> problems) {
        this.reader = reader;
        this.path = path;
        this.location = location;
        this.exists = exists;
        this.directory = directory;
        this.files = List.copyOf(files);
        this.problems = List.copyOf(problems);
    }

    /**
     * Loads with the default {@link SafeYaml} limits.
     *
     * @param workspace the workspace root
     * @param parameter the config key or query parameter that named the path, for error messages
     * @param relative  the path, relative to the workspace
     * @return the loaded manifests
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 when the path is empty or leaves the workspace
     */
    public static WorkspaceManifests load(Path workspace, String parameter, String relative) {
        return load(workspace, parameter, relative, SafeYaml.create());
    }

    /**
     * Loads a file or a folder.
     *
     * @param workspace the workspace root
     * @param parameter the config key or query parameter that named the path, for error messages
     * @param relative  the path, relative to the workspace
     * @param yaml      the loader with its limits
     * @return the loaded manifests
     * @throws io.asyncsidecar.controlplane.spi.ProblemException 400 when the path is empty or leaves the workspace
     */
    public static WorkspaceManifests load(Path workspace, String parameter, String relative, SafeYaml yaml) {
        Path location = WorkspacePaths.resolve(workspace, parameter, relative);
        WorkspaceFiles reader = WorkspaceFiles.of(workspace);
        String shown = reader.display(location);
        if (!Files.exists(location)) {
            Finding missing = Finding.of(MISSING, Severity.ERROR, null, shown, 0,
                    "'" + shown + "' (from " + parameter + ") does not exist in the workspace",
                    "Create it, or point " + parameter + " at the file or folder that holds the manifests.");
            return new WorkspaceManifests(reader, shown, location, false, false, List.of(), List.of(missing));
        }
        if (!Files.isDirectory(location)) {
            return new WorkspaceManifests(reader, shown, location, true, false,
                    List.of(yaml.load(reader, location)), List.of());
        }
        List<Finding> problems = new ArrayList<>();
        WorkspaceFiles.Listing listing;
        try {
            listing = reader.walk(location, p -> !p.getFileName().toString().startsWith(".")
                    && (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || isYaml(p)));
        } catch (WorkspaceFiles.Refused e) {
            Finding unreadable = Finding.of(LINK, Severity.ERROR, null, shown, 0, e.getMessage(),
                    "Point " + parameter + " at a folder of the workspace that can be read.");
            return new WorkspaceManifests(reader, shown, location, true, true, List.of(), List.of(unreadable));
        }
        for (WorkspaceFiles.Refused r : listing.refused()) {
            problems.add(Finding.of(LINK, Severity.ERROR, null, r.path(), 0, r.getMessage(),
                    "Replace the link with the file itself, or remove it: only files inside the workspace are"
                            + " read."));
        }
        if (listing.truncated()) {
            problems.add(Finding.of(TOO_MANY_FILES, Severity.WARNING, null, shown, 0,
                    "'" + shown + "' holds too many entries; the walk stopped after "
                            + WorkspaceFiles.DEFAULT_MAX_ENTRIES, "Point " + parameter + " at a narrower folder."));
        }
        List<Path> found = listing.files();
        if (found.size() > MAX_FILES) {
            problems.add(Finding.of(TOO_MANY_FILES, Severity.WARNING, null, shown, 0,
                    "'" + shown + "' holds " + found.size() + " YAML files; only the first " + MAX_FILES + " were read",
                    "Point " + parameter + " at a narrower folder."));
            found = found.subList(0, MAX_FILES);
        }
        List<YamlFile> files = new ArrayList<>(found.size());
        for (Path p : found) {
            files.add(yaml.load(reader, p));
        }
        return new WorkspaceManifests(reader, shown, location, true, true, files, problems);
    }

    /**
     * The manifests a request asks for: the paths in a query parameter (repeatable) when the caller gives it,
     * else the configured ones. A path the caller named that does not exist is a 404; a configured one that does
     * not exist is a {@value #MISSING} finding, so the endpoint still answers on an incomplete workspace.
     *
     * @param parameters the run's parameters (a request's query)
     * @param workspace  the workspace root
     * @param parameter  the query parameter, e.g. {@code path}
     * @param configKey  the config key of the defaults, e.g. {@code plugins.karpenter.path}, for messages
     * @param configured the configured paths (may be empty)
     * @return one entry per path, in order
     * @throws ProblemException 400 for a path outside the workspace, 404 for a named path that does not exist
     */
    public static List<WorkspaceManifests> requested(CheckParameters parameters, Path workspace, String parameter,
                                                     String configKey, List<String> configured) {
        List<String> named = parameters.all(parameter);
        List<WorkspaceManifests> out = new ArrayList<>();
        if (named.isEmpty()) {
            for (String p : configured) {
                out.add(load(workspace, configKey, p));
            }
            return out;
        }
        for (String p : named) {
            WorkspaceManifests m = load(workspace, parameter, p);
            if (!m.exists()) {
                throw ProblemException.notFound("'" + parameter + "' names '" + m.path() + "', which does not exist in"
                        + " the workspace").with("parameter", parameter);
            }
            out.add(m);
        }
        return out;
    }

    /**
     * Whether a file name ends in {@code .yaml} or {@code .yml}.
     *
     * @param file a path
     * @return true for YAML file names
     */
    public static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** @return the path as named, relative to the workspace */
    public String path() {
        return path;
    }

    /** @return the absolute location */
    public Path location() {
        return location;
    }

    /** @return whether the path exists */
    public boolean exists() {
        return exists;
    }

    /** @return whether the path is a folder */
    public boolean directory() {
        return directory;
    }

    /** @return the files read, in path order */
    public List<YamlFile> files() {
        return files;
    }

    /** @return every document read from every file */
    public List<YamlDocument> documents() {
        return files.stream().flatMap(f -> f.documents().stream()).toList();
    }

    /** @return the documents that are Kubernetes objects (mappings with a {@code kind}) */
    public List<YamlDocument> objects() {
        return documents().stream().filter(YamlDocument::isKubernetesObject).toList();
    }

    /** @return the missing-path and limit findings, then each file's parse error, if any */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(problems);
        for (YamlFile f : files) {
            if (f.error() != null) {
                all.add(f.error());
            }
        }
        return all;
    }

    /**
     * The first characters of the file, or of the folder's files one after the other (as a YAML stream).
     *
     * @param maxChars how many characters at most
     * @return the text; empty when nothing exists
     */
    public String preview(int maxChars) {
        if (!exists) {
            return "";
        }
        if (!directory) {
            return reader.excerpt(location, maxChars);
        }
        StringBuilder sb = new StringBuilder();
        for (YamlFile f : files) {
            if (sb.length() >= maxChars) {
                break;
            }
            if (!sb.isEmpty()) {
                sb.append("\n---\n");
            }
            sb.append("# ").append(f.file()).append('\n');
            sb.append(reader.excerpt(reader.workspace().resolve(f.file()), maxChars - sb.length()));
        }
        return sb.length() > maxChars ? sb.substring(0, maxChars) : sb.toString();
    }
}
