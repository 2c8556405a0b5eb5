package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.spi.checks.Severity;

import io.helidon.config.Config;

/**
 * The OpenAPI check's config ({@code plugins.compliance.openapi}).
 *
 * @param path   the workspace spec checked when a request has no body (default {@value #DEFAULT_PATH}); its folder is
 *               also where the {@code $ref}s of a posted spec resolve
 * @param prefix the path prefix every documented path must be served under (default {@value #DEFAULT_PREFIX})
 * @param rules  per rule: on or off, and its severity (absent rules keep their defaults)
 * @param limits what one check may cost
 */
public record OpenApiSettings(String path, String prefix, Map<OpenApiRule, RuleSetting> rules, OpenApiLimits limits) {

    static final String DEFAULT_PATH = "api/openapi/hypergraph-api.yaml";
    static final String DEFAULT_PREFIX = "/v1";
    private static final String KEY = "plugins.compliance.openapi";

    /**
     * A rule's configured state.
     *
     * @param enabled  whether its findings are made
     * @param severity the severity its findings get; null keeps each finding's own default
     */
    public record RuleSetting(boolean enabled, Severity severity) {
    }

    /**
     * Copies the rule map.
     *
     * @param path   the workspace spec
     * @param prefix the prefix, already checked
     * @param rules  the rule settings
     * @param limits the limits
     */
    public OpenApiSettings {
        rules = rules.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(rules));
    }

    /**
     * Reads the config.
     *
     * @param config the {@code plugins.compliance.openapi} node (may be missing)
     * @return the settings
     * @throws IllegalArgumentException naming the key and the value of anything invalid, so the plugin fails at
     *                                  start-up with a reason instead of checking with a setting it misread
     */
    public static OpenApiSettings from(Config config) {
        String path = config.get("path").asString().orElse(DEFAULT_PATH);
        String prefix = config.get("prefix").asString().orElse(DEFAULT_PREFIX);
        String checked;
        try {
            checked = normalizePrefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + ".prefix " + e.getMessage());
        }
        return new OpenApiSettings(path, checked, rules(config.get("rules")), OpenApiLimits.from(config.get("limits")));
    }

    /** @return the defaults: the demo spec path, prefix /v1, every rule on at its default severity */
    public static OpenApiSettings defaults() {
        return new OpenApiSettings(DEFAULT_PATH, DEFAULT_PREFIX, Map.of(), OpenApiLimits.defaults());
    }

    /**
     * Whether a rule is on.
     *
     * @param rule the rule
     * @return true unless configured off
     */
    public boolean enabled(OpenApiRule rule) {
        RuleSetting s = rules.get(rule);
        return s == null || s.enabled();
    }

    /**
     * The severity a finding of a rule gets.
     *
     * @param rule    the rule
     * @param natural the finding's own severity
     * @return the configured severity, else {@code natural}
     */
    public Severity severity(OpenApiRule rule, Severity natural) {
        RuleSetting s = rules.get(rule);
        return s == null || s.severity() == null ? natural : s.severity();
    }

    /**
     * Checks and normalises a path prefix: it starts with a slash, has no query, fragment, template or white
     * space, and loses a trailing slash ({@code /v1/} is {@code /v1}).
     *
     * @param prefix the prefix
     * @return the normalised prefix
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("must not be empty (use '/' to accept every path)");
        }
        String p = prefix.trim();
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("must start with '/', got '" + prefix + "'");
        }
        for (char c : p.toCharArray()) {
            if (Character.isWhitespace(c) || c == '?' || c == '#' || c == '{' || c == '}' || c < 0x20) {
                throw new IllegalArgumentException("must be a plain URL path without white space, query, fragment"
                        + " or template, got '" + prefix + "'");
            }
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static Map<OpenApiRule, RuleSetting> rules(Config rules) {
        Map<OpenApiRule, RuleSetting> out = new EnumMap<>(OpenApiRule.class);
        for (Config node : rules.asNodeList().orElse(List.of())) {
            String key = node.name();
            OpenApiRule rule = OpenApiRule.ofConfigKey(key).orElseThrow(() -> new IllegalArgumentException(
                    KEY + ".rules." + key + " is not a rule; the rules are " + Arrays.stream(OpenApiRule.values())
                            .map(OpenApiRule::configKey).collect(Collectors.joining(", "))));
            String value = node.asString().orElse("").trim();
            out.put(rule, setting(KEY + ".rules." + key, value));
        }
        return out;
    }

    /** Spectral's vocabulary (off, error, warn, info) plus on/true/false, since YAML reads a bare off as false. */
    private static RuleSetting setting(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "off", "false", "disabled" -> new RuleSetting(false, null);
            case "on", "true", "enabled" -> new RuleSetting(true, null);
            case "error" -> new RuleSetting(true, Severity.ERROR);
            case "warning", "warn" -> new RuleSetting(true, Severity.WARNING);
            case "info", "hint" -> new RuleSetting(true, Severity.INFO);
            default -> throw new IllegalArgumentException(key + " must be off, on, error, warning or info, got '"
                    + value + "'");
        };
    }
}
