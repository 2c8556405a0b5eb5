package io.asyncsidecar.controlplane.plugins.keda;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.asyncsidecar.controlplane.kit.ConfigLists;

import io.helidon.config.Config;

/**
 * Where the trigger dry-run finds real metrics ({@code plugins.keda.prometheus}, {@code plugins.keda.targets}).
 *
 * @param prometheusUrl the Prometheus standing in for every trigger's in-cluster {@code serverAddress}
 *                      ({@code prometheus.url}, e.g. a port-forward); empty: none
 * @param servers       a trigger's {@code serverAddress} (normalised, see {@link #normalise}) to the URL that
 *                      reaches it ({@code prometheus.servers}); wins over {@code prometheusUrl}
 * @param targets       a scale target's name to where its own metrics are ({@code targets.<name>})
 */
record DryRunSettings(Optional<URI> prometheusUrl, Map<String, URI> servers, Map<String, TargetMetrics> targets) {

    /**
     * A scale target's own metrics: a live endpoint or a recorded exposition in the workspace.
     *
     * @param metricsUrl  its {@code /metrics} URL ({@code metrics-url}); wins over the recording
     * @param exposition  a workspace file holding a saved exposition ({@code exposition})
     */
    record TargetMetrics(Optional<URI> metricsUrl, Optional<String> exposition) {
    }

    DryRunSettings {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    }

    /** No Prometheus and no targets. */
    static final DryRunSettings NONE = new DryRunSettings(Optional.empty(), Map.of(), Map.of());

    /**
     * Reads the plugin's keys.
     *
     * @param config the plugin's config ({@code plugins.keda})
     * @return the settings
     * @throws IllegalArgumentException naming the key of a value that is not an http(s) URL, or an entry without one
     */
    static DryRunSettings from(Config config) {
        Optional<URI> url = config.get("prometheus.url").asString().map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> url("plugins.keda.prometheus.url", s));
        Map<String, URI> servers = new LinkedHashMap<>();
        Config serversNode = config.get("prometheus.servers");
        if (listForm(serversNode)) {
            // the environment's form: PLUGINS_KEDA_PROMETHEUS_SERVERS=<serverAddress>=<url>,...
            for (String entry : ConfigLists.strings(serversNode, "plugins.keda.prometheus.servers")) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("plugins.keda.prometheus.servers entry '" + entry
                            + "' is not <serverAddress>=<url>");
                }
                String address = entry.substring(0, eq).strip();
                servers.put(normalise(address), url("plugins.keda.prometheus.servers." + address,
                        entry.substring(eq + 1).strip()));
            }
        } else {
            leaves(serversNode, "").forEach((address, node) -> {
                String key = "plugins.keda.prometheus.servers." + address;
                servers.put(normalise(address), url(key, node.asString().orElseThrow(
                        () -> new IllegalArgumentException(key + " must be a URL"))));
            });
        }
        Map<String, TargetMetrics> targets = new LinkedHashMap<>();
        targetNodes(config.get("targets"), "", targets);
        return new DryRunSettings(url, servers, targets);
    }

    /**
     * Whether a node holds a list: a YAML list, one comma-separated value, or children named 0, 1, ... as numbered
     * environment variables give.
     */
    private static boolean listForm(Config node) {
        return node.type() != Config.Type.OBJECT || node.asNodeList().orElse(List.of()).stream()
                .allMatch(c -> c.name().matches("\\d{1,9}"));
    }

    /**
     * The values under a map node by their whole key below it. The config splits keys at dots, so a YAML key such as
     * {@code "http://prometheus.monitoring.svc:9090"} arrives as nested nodes and is joined back here.
     */
    private static Map<String, Config> leaves(Config node, String prefix) {
        Map<String, Config> out = new LinkedHashMap<>();
        for (Config child : node.asNodeList().orElse(List.of())) {
            String name = prefix + Config.Key.unescapeName(child.name());
            if (child.type() == Config.Type.VALUE) {
                out.put(name, child);
            } else {
                out.putAll(leaves(child, name + "."));
            }
        }
        return out;
    }

    /** The targets below a node: a node with metrics-url or exposition is one, named by its whole key. */
    private static void targetNodes(Config node, String prefix, Map<String, TargetMetrics> out) {
        for (Config target : node.asNodeList().orElse(List.of())) {
            String name = prefix + Config.Key.unescapeName(target.name());
            String key = "plugins.keda.targets." + name;
            boolean leaf = target.get("metrics-url").exists() || target.get("exposition").exists();
            if (!leaf && target.type() == Config.Type.OBJECT && !target.asNodeList().orElse(List.of()).isEmpty()) {
                targetNodes(target, name + ".", out);
                continue;
            }
            Optional<URI> metricsUrl = target.get("metrics-url").asString().map(String::strip)
                    .filter(s -> !s.isEmpty()).map(s -> url(key + ".metrics-url", s));
            Optional<String> exposition = target.get("exposition").asString().map(String::strip)
                    .filter(s -> !s.isEmpty());
            if (metricsUrl.isEmpty() && exposition.isEmpty()) {
                throw new IllegalArgumentException(key + " needs metrics-url or exposition");
            }
            out.put(name, new TargetMetrics(metricsUrl, exposition));
        }
    }

    /**
     * The Prometheus to ask for a trigger's {@code serverAddress}: its entry in {@code servers}, else
     * {@code prometheusUrl}.
     *
     * @param serverAddress the trigger's serverAddress, may be null
     * @return the URL, or empty when none is configured
     */
    Optional<URI> prometheusFor(String serverAddress) {
        if (serverAddress != null) {
            URI mapped = servers.get(normalise(serverAddress));
            if (mapped != null) {
                return Optional.of(mapped);
            }
        }
        return prometheusUrl;
    }

    /** A serverAddress as compared: trimmed, without trailing slashes, scheme and host in lower case. */
    static String normalise(String address) {
        String s = address.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        int hostEnd = s.indexOf('/', s.indexOf("://") + 3);
        return hostEnd < 0 || !s.contains("://") ? s.toLowerCase(Locale.ROOT)
                : s.substring(0, hostEnd).toLowerCase(Locale.ROOT) + s.substring(hostEnd);
    }

    private static URI url(String key, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(key + " must not carry credentials (the metrics plugin refuses"
                        + " URLs with user info)");
            }
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be an http(s) URL with a host, got '" + value + "'");
    }
}
