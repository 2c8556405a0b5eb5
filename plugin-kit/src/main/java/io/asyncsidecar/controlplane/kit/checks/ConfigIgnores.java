package io.asyncsidecar.controlplane.kit.checks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;

import io.helidon.config.Config;

/**
 * Ignores from a check plugin's config, {@code plugins.<id>.ignore}: a list of entries, each silencing the
 * findings of one check on the objects (and containers) it names, for the objects a team cannot annotate
 * (vendor charts, generated manifests). Every check plugin reads the same list the same way:
 * {@link CheckEndpoint#of(Plugin, PluginContext, Collection)} does it, and a plugin answering without the
 * endpoint calls {@link #of(Plugin, PluginContext, Collection)} in its {@code init}.
 *
 * <pre>
 * plugins:
 *   helm:
 *     ignore:
 *       - check: helm.image-tag-pinned                      # required; * matches any run of characters
 *         object: Deployment/default/hypergraph-explainer   # kind/namespace/name, * per part; absent: any
 *         container: sidecar                                # or [sidecar, init-db]; absent: any
 *         reason: vendor image, pinned by the platform team # required
 * </pre>
 *
 * <p>An entry matches a finding when the check matches its id, the object pattern its object (a finding about no
 * object, such as a parse error, matches only an entry without {@code object}) and, when the entry names
 * containers, one of them the finding's {@link Finding#container() container} (a finding about the object as a
 * whole then does not match). In the object pattern a part that is {@code *} matches anything, an empty
 * namespace ({@code NodePool//gpu}) matches only objects that set none (cluster-scoped ones, and chart templates
 * that leave the namespace to the release), and other parts are names in which {@code *} matches any run of
 * characters. The first matching entry ignores the finding, with its reason and {@code ignored_source: config};
 * findings an annotation already ignored keep the annotation's reason.
 *
 * <p>A bad entry (not an object, an unknown key, no check, no reason, a malformed object pattern, a blank
 * container name) fails the plugin's init with an {@link IllegalArgumentException} naming the entry's index and
 * the bad value, so the plugin is reported failed instead of ignoring more, or less, than meant.
 */
public final class ConfigIgnores {

    /** The key under {@code plugins.<id>}. */
    public static final String KEY = "ignore";

    /** What {@link Finding#ignoredSource()} says for an ignore from the config. */
    public static final String SOURCE = "config";

    /** The keys an entry may have. */
    public static final List<String> ENTRY_KEYS = List.of("check", "object", "container", "reason");

    private static final ConfigIgnores NONE = new ConfigIgnores(List.of());
    private static final Pattern ID = Pattern.compile("[^\\s/]+");
    private static final Pattern PART = Pattern.compile("[^\\s/]*");
    private static final String OBJECT_SHAPE = "kind/namespace/name, e.g. Deployment/default/hypergraph-explainer;"
            + " '*' matches any part, an empty namespace an object without one";

    private final List<Entry> entries;

    private ConfigIgnores(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * A pattern of the objects an entry covers.
     *
     * @param kind      the kind, e.g. {@code Deployment}, or a pattern
     * @param namespace the namespace or a pattern; "" for objects without a namespace
     * @param name      the name, or a pattern
     */
    public record ObjectPattern(String kind, String namespace, String name) {

        /**
         * Checks the parts.
         *
         * @param kind      the kind
         * @param namespace the namespace
         * @param name      the name
         */
        public ObjectPattern {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }

        /**
         * Parses {@code kind/namespace/name}.
         *
         * @param text the pattern
         * @return the pattern
         * @throws IllegalArgumentException when it does not have three parts, the kind or the name is empty, or a
         *                                  part holds a blank
         */
        public static ObjectPattern parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()
                    || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()
                    || !PART.matcher(parts[2]).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not " + OBJECT_SHAPE);
            }
            return new ObjectPattern(parts[0], parts[1], parts[2]);
        }

        /**
         * Whether an object matches.
         *
         * @param ref the object, or null
         * @return whether it matches; a null object never does
         */
        public boolean matches(ObjectRef ref) {
            if (ref == null) {
                return false;
            }
            boolean ns = namespace.isEmpty() ? ref.namespace() == null || ref.namespace().isEmpty()
                    : Glob.matches(namespace, ref.namespace());
            return ns && Glob.matches(kind, ref.kind()) && Glob.matches(name, ref.name());
        }

        @Override
        public String toString() {
            return kind + "/" + namespace + "/" + name;
        }
    }

    /**
     * One ignore of the config.
     *
     * @param check      the check id, or a pattern ({@code helm.*})
     * @param object     the objects it covers, or null for any (and for findings about no object)
     * @param containers the containers it covers (names or patterns), or null for any finding of the object
     * @param reason     why, shown as the finding's {@code ignored_reason}
     */
    public record Entry(String check, ObjectPattern object, List<String> containers, String reason) {

        /**
         * Checks the parts.
         *
         * @param check      the check
         * @param object     the object pattern, or null
         * @param containers the containers, or null
         * @param reason     the reason
         */
        public Entry {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(reason, "reason");
            containers = containers == null ? null : List.copyOf(containers);
        }

        /**
         * Whether the entry covers a finding.
         *
         * @param f the finding
         * @return whether check, object and container match
         */
        public boolean matches(Finding f) {
            if (!Glob.matches(check, f.checkId())) {
                return false;
            }
            if (object != null && !object.matches(f.object())) {
                return false;
            }
            return containers == null
                    || (f.container() != null && containers.stream().anyMatch(c -> Glob.matches(c, f.container())));
        }
    }

    /** @return no ignores */
    public static ConfigIgnores none() {
        return NONE;
    }

    /**
     * Ignores from entries made in code.
     *
     * @param entries the entries, in the order they are tried
     * @return the ignores
     */
    public static ConfigIgnores of(List<Entry> entries) {
        return entries.isEmpty() ? NONE : new ConfigIgnores(entries);
    }

    /**
     * A plugin's ignores, {@code plugins.<id>.ignore}; entries whose check matches none of the plugin's rules are
     * kept (a finding may come from a peer, such as the helm plugin's render findings in keda's report) and
     * logged as a warning, since a misspelt id ignores nothing.
     *
     * @param plugin  the plugin (its id names the key in messages)
     * @param context its context (config and logger)
     * @param rules   the checks the plugin knows
     * @return the ignores
     * @throws IllegalArgumentException for a bad entry, naming its index and value
     */
    public static ConfigIgnores of(Plugin plugin, PluginContext context, Collection<CheckRule> rules) {
        String key = "plugins." + plugin.id() + "." + KEY;
        ConfigIgnores ignores = from(context.config().get(KEY), key);
        Set<String> ids = rules.stream().map(CheckRule::id).collect(java.util.stream.Collectors.toSet());
        for (int i = 0; i < ignores.entries.size(); i++) {
            String check = ignores.entries.get(i).check();
            if (ids.stream().noneMatch(id -> Glob.matches(check, id))) {
                context.logger().log(System.Logger.Level.WARNING, key + "[" + i + "].check: '" + check
                        + "' is none of the " + ids.size() + " checks " + plugin.id() + " knows (its rules)");
            }
        }
        return ignores;
    }

    /**
     * Reads an ignore list.
     *
     * @param node the list node (missing, null or an empty list: no ignores); a node whose children are named
     *             0, 1, ... (keys such as {@code plugins.helm.ignore.0.check} from properties) counts as a list
     * @param key  the node's full key, for messages, e.g. {@code plugins.helm.ignore}
     * @return the ignores
     * @throws IllegalArgumentException for a bad entry, naming {@code key[index]} and the bad value
     */
    public static ConfigIgnores from(Config node, String key) {
        if (!node.exists() || (node.type() == Config.Type.VALUE && node.asString().orElse("").isBlank())) {
            return NONE;
        }
        List<Config> items = items(node);
        if (items == null) {
            throw new IllegalArgumentException(key + " must be a list of {check, object, container, reason}"
                    + " entries, got " + shown(node));
        }
        List<Entry> entries = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            entries.add(entry(items.get(i), key + "[" + i + "]"));
        }
        return of(entries);
    }

    /** @return the entries, in the order they are tried */
    public List<Entry> entries() {
        return entries;
    }

    /** @return whether there are none */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Applies the ignores to a finding.
     *
     * @param finding the finding
     * @return the finding ignored with the first matching entry's reason (source {@value #SOURCE}); an already
     *         ignored finding, or one no entry matches, unchanged
     */
    public Finding apply(Finding finding) {
        if (finding.ignored()) {
            return finding;
        }
        for (Entry e : entries) {
            if (e.matches(finding)) {
                return finding.ignore(e.reason(), SOURCE);
            }
        }
        return finding;
    }

    /**
     * Applies the ignores to findings.
     *
     * @param findings the findings
     * @return them, in order, matching ones ignored
     */
    public List<Finding> apply(Collection<? extends Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            out.add(entries.isEmpty() ? f : apply(f));
        }
        return out;
    }

    private static List<Config> items(Config node) {
        if (node.isList()) {
            return node.asNodeList().orElse(List.of());
        }
        if (node.type() == Config.Type.OBJECT) {
            List<Config> children = node.asNodeList().orElse(List.of());
            if (!children.isEmpty() && children.stream().allMatch(c -> c.name().matches("\\d{1,9}"))) {
                List<Config> sorted = new ArrayList<>(children);
                sorted.sort(Comparator.comparingInt(c -> Integer.parseInt(c.name())));
                return sorted;
            }
        }
        return null;
    }

    private static Entry entry(Config node, String at) {
        if (node.type() != Config.Type.OBJECT) {
            throw new IllegalArgumentException(at + " must be an object with " + String.join(", ", ENTRY_KEYS)
                    + ", got " + shown(node));
        }
        for (Config child : node.asNodeList().orElse(List.of())) {
            if (!ENTRY_KEYS.contains(child.name())) {
                throw new IllegalArgumentException(at + ": unknown key '" + child.name() + "' (known: "
                        + String.join(", ", ENTRY_KEYS) + ")");
            }
        }
        String check = text(node.get("check"), at + ".check");
        if (check == null) {
            throw new IllegalArgumentException(at + ".check is missing: an entry names the check it ignores, e.g."
                    + " check: helm.image-tag-pinned");
        }
        if (!ID.matcher(check).matches()) {
            throw new IllegalArgumentException(at + ".check: '" + check + "' is not a check id (e.g."
                    + " helm.image-tag-pinned; '*' matches any run of characters)");
        }
        String reason = text(node.get("reason"), at + ".reason");
        if (reason == null) {
            throw new IllegalArgumentException(at + ".reason is missing: say why " + check + " is ignored there");
        }
        String objectText = text(node.get("object"), at + ".object");
        ObjectPattern object = null;
        if (node.get("object").exists()) {
            if (objectText == null) {
                throw new IllegalArgumentException(at + ".object is empty: give " + OBJECT_SHAPE
                        + " (or leave the key out to cover every object)");
            }
            try {
                object = ObjectPattern.parse(objectText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ".object: " + e.getMessage(), e);
            }
        }
        return new Entry(check, object, containers(node.get("container"), at + ".container"), reason);
    }

    private static List<String> containers(Config node, String at) {
        if (!node.exists()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Config> items = node.type() == Config.Type.VALUE ? List.of(node) : items(node);
        if (items == null) {
            throw new IllegalArgumentException(at + " must be a container name or a list of them, got "
                    + shown(node));
        }
        for (int i = 0; i < items.size(); i++) {
            String where = node.type() == Config.Type.VALUE ? at : at + "[" + i + "]";
            String name = text(items.get(i), where);
            if (name == null || !ID.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": '" + (name == null ? "" : name)
                        + "' is not a container name");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(at + " is an empty list: name a container, or leave the key out"
                    + " to cover every container");
        }
        return names;
    }

    /** A value node's text, trimmed; null when missing or blank. */
    private static String text(Config node, String at) {
        if (!node.exists()) {
            return null;
        }
        if (node.type() != Config.Type.VALUE) {
            throw new IllegalArgumentException(at + " must be a single value, got " + shown(node));
        }
        String s = node.asString().orElse("").strip();
        return s.isEmpty() ? null : s;
    }

    private static String shown(Config node) {
        return switch (node.type()) {
            case VALUE -> "'" + node.asString().orElse("") + "'";
            case LIST -> "a list";
            case OBJECT -> "an object with " + node.asNodeList().orElse(List.of()).stream().map(Config::name)
                    .toList();
            case MISSING -> "nothing";
        };
    }
}
