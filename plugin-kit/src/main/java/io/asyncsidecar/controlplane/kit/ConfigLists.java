package io.asyncsidecar.controlplane.kit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.helidon.config.Config;

/**
 * Reads a config key that holds a list of strings in any of the forms a site writes it: a YAML list, one
 * comma-separated string (handy in one environment variable), or children named {@code 0}, {@code 1}, ... (what
 * indexed properties and environment variables such as {@code PLUGINS_HELM_CRDS_0} give), in index order.
 * Items are stripped; empty ones are dropped.
 */
public final class ConfigLists {

    private static final Comparator<Config> BY_INDEX = Comparator.comparing(
            c -> c.name().matches("\\d{1,9}") ? Integer.parseInt(c.name()) : Integer.MAX_VALUE);

    private ConfigLists() {
    }

    /**
     * The strings of a key.
     *
     * @param node the key's node (may be missing: no strings)
     * @param key  the key's full name, for messages (e.g. {@code plugins.helm.crds})
     * @return the strings, in order
     * @throws IllegalArgumentException naming {@code key.<index>} when an item is not a single value
     */
    public static List<String> strings(Config node, String key) {
        List<String> raw = new ArrayList<>();
        if (!node.exists()) {
            return List.of();
        }
        if (node.type() == Config.Type.VALUE) {
            raw.addAll(List.of(node.asString().orElse("").split(",")));
        } else {
            node.asNodeList().orElse(List.of()).stream().sorted(BY_INDEX)
                    .forEach(c -> raw.add(c.asString().orElseThrow(() -> new IllegalArgumentException(
                            key + "." + c.name() + " must be a single value, not a list or a map"))));
        }
        return raw.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
