package io.asyncsidecar.controlplane.kit.cel;

import java.util.Objects;

/**
 * What one CEL expression gave: a value, an error, or nothing because the expression needs something this
 * offline evaluator does not have (a Kubernetes library it lacks, such as {@code quantity()}).
 *
 * @param kind    which of the three
 * @param value   the value for {@link Kind#VALUE} (Boolean, Long, Double, String, List, Map, or null for CEL's
 *                null); null otherwise
 * @param message why, for {@link Kind#ERROR} and {@link Kind#NOT_EVALUATED}; null for a value
 */
public record CelResult(Kind kind, Object value, String message) {

    /** The three outcomes. */
    public enum Kind {
        /** The expression evaluated to a value. */
        VALUE,
        /** It did not compile, failed at run time (no such key, a bad conversion) or went over a limit. */
        ERROR,
        /** It was not evaluated: it uses a function or variable this evaluator does not provide. */
        NOT_EVALUATED
    }

    /**
     * Checks the parts.
     *
     * @param kind    the kind
     * @param value   the value
     * @param message the message
     */
    public CelResult {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.VALUE) {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A value.
     *
     * @param value the value
     * @return the result
     */
    public static CelResult of(Object value) {
        return new CelResult(Kind.VALUE, value, null);
    }

    /**
     * An error.
     *
     * @param message what went wrong
     * @return the result
     */
    public static CelResult error(String message) {
        return new CelResult(Kind.ERROR, null, message);
    }

    /**
     * Not evaluated.
     *
     * @param message why, e.g. {@code not evaluated: uses quantity()}
     * @return the result
     */
    public static CelResult notEvaluated(String message) {
        return new CelResult(Kind.NOT_EVALUATED, null, message);
    }

    /** @return whether the value is the boolean true */
    public boolean isTrue() {
        return kind == Kind.VALUE && Boolean.TRUE.equals(value);
    }

    /** @return whether the value is the boolean false */
    public boolean isFalse() {
        return kind == Kind.VALUE && Boolean.FALSE.equals(value);
    }

    /** @return whether there is a value */
    public boolean hasValue() {
        return kind == Kind.VALUE;
    }

    @Override
    public String toString() {
        return kind == Kind.VALUE ? String.valueOf(value) : kind.name().toLowerCase(java.util.Locale.ROOT) + ": "
                + message;
    }
}
