package io.asyncsidecar.controlplane.kit.checks;

/**
 * Name patterns of ignores: {@code *} matches any run of characters (none included), everything else itself,
 * case-sensitively, as Kubernetes names and check ids compare.
 */
final class Glob {

    private Glob() {
    }

    /**
     * Whether a value matches a pattern.
     *
     * @param pattern the pattern, e.g. {@code hypergraph-*}
     * @param value   the value; null matches only {@code *}
     * @return whether it matches
     */
    static boolean matches(String pattern, String value) {
        if ("*".equals(pattern)) {
            return true;
        }
        if (value == null) {
            return false;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(value);
        }
        String[] parts = pattern.split("\\*", -1);
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == 0) {
                if (!value.startsWith(part)) {
                    return false;
                }
                at = part.length();
            } else if (i == parts.length - 1) {
                return value.length() - part.length() >= at && value.endsWith(part);
            } else {
                int found = value.indexOf(part, at);
                if (found < 0) {
                    return false;
                }
                at = found + part.length();
            }
        }
        return at == value.length();
    }
}
