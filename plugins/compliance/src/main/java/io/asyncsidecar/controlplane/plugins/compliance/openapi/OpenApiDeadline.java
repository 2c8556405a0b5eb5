package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.time.Duration;

/**
 * The time one check may take. Loops over a spec's values call {@link #check()}; past the deadline it throws, and
 * the check answers with what it found so far plus an {@code openapi.limit} finding. Regular expressions of schemas
 * read their input through {@link #guard(CharSequence)}, so even a catastrophic pattern stops at the deadline.
 */
final class OpenApiDeadline {

    /** Thrown past the deadline. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    private final long deadlineNanos;
    private final Duration limit;
    private volatile boolean done;

    OpenApiDeadline(Duration limit) {
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** @throws Exceeded past the deadline */
    void check() {
        if (!done && System.nanoTime() - deadlineNanos > 0) {
            throw new Exceeded("the check took longer than " + limit.toMillis()
                    + " ms (plugins.compliance.openapi.limits.time-limit-ms) and stopped; findings after that point"
                    + " are missing");
        }
    }

    /** Ends the checks: the rules are over, and what remains (answering) must not stop half-way. */
    void finish() {
        done = true;
    }

    /**
     * Text that checks the deadline while a regular expression reads it.
     *
     * @param text the text
     * @return the same characters
     */
    CharSequence guard(CharSequence text) {
        return new Guarded(text, this);
    }

    private static final class Guarded implements CharSequence {

        private final CharSequence text;
        private final OpenApiDeadline deadline;
        private int reads;

        Guarded(CharSequence text, OpenApiDeadline deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            // Backtracking reads the same characters over and over: this is where a hostile pattern spends its time.
            if ((++reads & 0x3ff) == 0) {
                deadline.check();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(text.subSequence(start, end), deadline);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
