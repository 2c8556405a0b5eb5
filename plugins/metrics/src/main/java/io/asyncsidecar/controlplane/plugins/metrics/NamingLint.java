package io.asyncsidecar.controlplane.plugins.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.MetricType;

/**
 * Naming lint in the spirit of {@code promtool check metrics}: the same rules and messages as the Prometheus
 * client's {@code promlint} (help text, units, counter suffixes, names reserved for histograms and summaries,
 * type names, colons, camelCase, abbreviated units), reported as warnings. Public for the benchmark that times it beside {@code promtool}.
 */
public final class NamingLint {

    /**
     * One finding.
     *
     * @param rule    a short rule id
     * @param message promlint's message
     */
    public record Finding(String rule, String message) {
    }

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("amperes", "amperes"), Map.entry("bytes", "bytes"), Map.entry("celsius", "celsius"),
            Map.entry("grams", "grams"), Map.entry("joules", "joules"), Map.entry("kelvin", "kelvin"),
            Map.entry("meters", "meters"), Map.entry("metres", "metres"), Map.entry("seconds", "seconds"),
            Map.entry("volts", "volts"),
            Map.entry("minutes", "seconds"), Map.entry("hours", "seconds"), Map.entry("days", "seconds"),
            Map.entry("weeks", "seconds"), Map.entry("kelvins", "kelvin"), Map.entry("fahrenheit", "celsius"),
            Map.entry("rankine", "celsius"), Map.entry("inches", "meters"), Map.entry("yards", "meters"),
            Map.entry("miles", "meters"), Map.entry("bits", "bytes"), Map.entry("calories", "joules"),
            Map.entry("pounds", "grams"), Map.entry("ounces", "grams"));
    private static final List<String> UNIT_PREFIXES = List.of(
            "pico", "nano", "micro", "milli", "centi", "deci", "kilo", "mega", "giga", "tera", "peta");
    private static final List<String> UNIT_ABBREVIATIONS = List.of(
            "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d");
    private static final List<String> TYPE_NAMES = List.of("counter", "gauge", "summary", "histogram", "gauge_histogram");
    /** promlint tests each word as {@code _word_} inside the name or {@code _word} at its end. */
    private static final List<String[]> ABBREVIATION_PATTERNS = patterns(UNIT_ABBREVIATIONS);
    private static final List<String[]> TYPE_PATTERNS = patterns(TYPE_NAMES);

    private NamingLint() {
    }

    /**
     * Lints one family.
     *
     * @param name       the family's name as PromQL sees it (counters with {@code _total})
     * @param type       its type
     * @param hasHelp    whether it had a HELP line
     * @param labelNames the label names its samples use
     * @return the findings, empty when clean
     */
    public static List<Finding> check(String name, MetricType type, boolean hasHelp, List<String> labelNames) {
        List<Finding> out = new ArrayList<>(2);
        if (!hasHelp) {
            out.add(new Finding("help", "no help text"));
        }
        units(name, out);
        boolean untyped = type == MetricType.UNKNOWN;
        boolean counter = type == MetricType.COUNTER;
        boolean total = name.endsWith("_total");
        if (counter && !total) {
            out.add(new Finding("counter-suffix", "counter metrics should have \"_total\" suffix"));
        } else if (!untyped && !counter && total) {
            out.add(new Finding("counter-suffix", "non-counter metrics should not have \"_total\" suffix"));
        }
        if (!untyped) {
            boolean histogram = type == MetricType.HISTOGRAM;
            boolean summary = type == MetricType.SUMMARY;
            if (!histogram && name.endsWith("_bucket")) {
                out.add(new Finding("reserved-suffix", "non-histogram metrics should not have \"_bucket\" suffix"));
            }
            if (!histogram && !summary && name.endsWith("_count")) {
                out.add(new Finding("reserved-suffix",
                        "non-histogram and non-summary metrics should not have \"_count\" suffix"));
            }
            if (!histogram && !summary && name.endsWith("_sum")) {
                out.add(new Finding("reserved-suffix",
                        "non-histogram and non-summary metrics should not have \"_sum\" suffix"));
            }
            if (!histogram && labelNames.contains("le")) {
                out.add(new Finding("reserved-label", "non-histogram metrics should not have \"le\" label"));
            }
            if (!summary && labelNames.contains("quantile")) {
                out.add(new Finding("reserved-label", "non-summary metrics should not have \"quantile\" label"));
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String[] t : TYPE_PATTERNS) {
            if (lower.contains(t[1]) || lower.endsWith(t[2])) {
                out.add(new Finding("type-in-name", "metric name should not include type '" + t[0] + "'"));
            }
        }
        if (name.indexOf(':') >= 0) {
            out.add(new Finding("reserved-chars", "metric names should not contain ':'"));
        }
        if (camelCase(name)) {
            out.add(new Finding("snake-case", "metric names should be written in 'snake_case' not 'camelCase'"));
        }
        for (String label : labelNames) {
            if (camelCase(label)) {
                out.add(new Finding("snake-case", "label names should be written in 'snake_case' not 'camelCase'"));
                break;
            }
        }
        for (String[] a : ABBREVIATION_PATTERNS) {
            if (lower.contains(a[1]) || lower.endsWith(a[2])) {
                out.add(new Finding("unit-abbreviation", "metric names should not contain abbreviated units"));
                break;
            }
        }
        return out;
    }

    /** promlint's {@code [a-z][A-Z]}. */
    private static boolean camelCase(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            char before = s.charAt(i - 1);
            if (c >= 'A' && c <= 'Z' && before >= 'a' && before <= 'z') {
                return true;
            }
        }
        return false;
    }

    private static List<String[]> patterns(List<String> words) {
        return words.stream().map(w -> new String[] {w, "_" + w + "_", "_" + w}).toList();
    }

    /** promlint's unit check: the first part of the name that is a known unit (with an SI prefix or not). */
    private static void units(String name, List<Finding> out) {
        for (int start = 0, end; start <= name.length(); start = end + 1) {
            end = name.indexOf('_', start);
            if (end < 0) {
                end = name.length();
            }
            String part = name.substring(start, end);
            String base = UNITS.get(part);
            if (base == null) {
                for (String prefix : UNIT_PREFIXES) {
                    if (part.startsWith(prefix)) {
                        base = UNITS.get(part.substring(prefix.length()));
                        if (base != null) {
                            break;
                        }
                    }
                }
            }
            if (base != null) {
                if (!base.equals(part)) {
                    out.add(new Finding("base-unit", "use base unit \"" + base + "\" instead of \"" + part + "\""));
                }
                return;
            }
        }
    }
}
