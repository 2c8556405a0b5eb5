package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${name}} placeholders of a scenario: the scenario's defaults, overridden by the run's
 * arguments, plus values captured from earlier responses.
 */
final class Variables {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> values = new LinkedHashMap<>();

    Variables(Map<String, String> defaults, Map<String, String> overrides) {
        values.putAll(defaults);
        overrides.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                values.put(k, v);
            }
        });
    }

    void set(String name, String value) {
        values.put(name, value);
    }

    /**
     * Replaces the placeholders of a text.
     *
     * @param text the text
     * @return the text with values, or null when a placeholder has no value
     */
    String resolveOrNull(String text) {
        if (text == null || text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                return null;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Replaces the placeholders of a text that needs all its values.
     *
     * @param text  the text
     * @param where what the text is, for the error
     * @return the resolved text
     * @throws IllegalArgumentException naming the unset variable
     */
    String resolve(String text, String where) {
        String out = resolveOrNull(text);
        if (out == null && text != null) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                if (!values.containsKey(m.group(1))) {
                    throw new IllegalArgumentException(where + " uses ${" + m.group(1)
                            + "}, which has no value (set it in the scenario's variables or pass it in the request)");
                }
            }
        }
        return out;
    }

    /**
     * Resolves headers; a header whose placeholder has no value is left out (an optional token).
     *
     * @param headers the templates
     * @return the resolved headers
     */
    Map<String, String> headers(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            String r = resolveOrNull(v);
            if (r != null) {
                out.put(k, r);
            }
        });
        return out;
    }
}
