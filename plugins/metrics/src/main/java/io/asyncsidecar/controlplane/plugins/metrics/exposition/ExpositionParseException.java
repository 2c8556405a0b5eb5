package io.asyncsidecar.controlplane.plugins.metrics.exposition;

/** An exposition that does not follow its format, with the 1-based line where parsing stopped and why. */
public final class ExpositionParseException extends Exception {

    private final long line;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param line   the 1-based line number
     * @param reason what is wrong, naming the offending token
     */
    public ExpositionParseException(long line, String reason) {
        super("line " + line + ": " + reason, null, false, false);
        this.line = line;
        this.reason = reason;
    }

    /** @return the 1-based line number */
    public long line() {
        return line;
    }

    /** @return what is wrong */
    public String reason() {
        return reason;
    }
}
