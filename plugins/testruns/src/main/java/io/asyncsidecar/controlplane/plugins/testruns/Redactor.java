package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.List;

/**
 * Replaces secret values (the run's tokens) in text that is stored, logged or reported.
 */
final class Redactor {

    private static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        // very short values would shred ordinary text and are not worth hiding
        this.secrets = secrets.stream().filter(s -> s.length() >= 4).toList();
    }

    static Redactor of(List<String> secrets) {
        return secrets.isEmpty() ? NONE : new Redactor(secrets);
    }

    String apply(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, RunArguments.REDACTED);
        }
        return out;
    }
}
