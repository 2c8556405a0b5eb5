package io.asyncsidecar.controlplane.spi.checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The named parameters of one check run, as a plugin's check route reads them from its query string: for
 * {@code GET /api/checks} the server passes the request's query, for {@code control-plane check} the command line
 * ({@code --values a.yaml} becomes {@code values=a.yaml}, {@code --kube-version} {@code kubeVersion},
 * {@code --app} {@code app}). A parameter may repeat; order is kept.
 *
 * @param values every parameter with its values, in order
 */
public record CheckParameters(Map<String, List<String>> values) {

    private static final CheckParameters NONE = new CheckParameters(Map.of());

    /**
     * Copies the parameters.
     *
     * @param values every parameter with its values; neither names nor values may be null
     */
    public CheckParameters {
        Objects.requireNonNull(values, "values");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "parameter name"), List.copyOf(v)));
        values = Collections.unmodifiableMap(copy);
    }

    /** @return no parameters: every check reads its configured defaults */
    public static CheckParameters none() {
        return NONE;
    }

    /**
     * @param name a parameter name
     * @return whether the parameter was given, even with no value
     */
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name a parameter name
     * @return its first value, or empty when it was not given
     */
    public Optional<String> first(String name) {
        List<String> all = values.get(name);
        return all == null || all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /**
     * @param name a parameter name
     * @return all its values in order; empty when it was not given
     */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * These parameters with one more value for a name.
     *
     * @param name  the name
     * @param value the value
     * @return new parameters
     */
    public CheckParameters with(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(values);
        List<String> now = new ArrayList<>(copy.getOrDefault(name, List.of()));
        now.add(Objects.requireNonNull(value, "value"));
        copy.put(name, now);
        return new CheckParameters(copy);
    }
}
