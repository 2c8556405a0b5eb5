package io.asyncsidecar.controlplane.plugins.compliance.openapi;

/**
 * A spec file that could not be read as JSON or YAML, or that is over a safety limit.
 */
public final class OpenApiReadException extends Exception {

    private final int line;
    private final int column;
    private final boolean limit;

    /**
     * The failure.
     *
     * @param message what is wrong, naming the value or the limit
     * @param line    1-based line, or 0 when unknown
     * @param column  1-based column, or 0 when unknown
     * @param limit   whether a safety limit (rather than the syntax) refused the file
     */
    public OpenApiReadException(String message, int line, int column, boolean limit) {
        super(message, null, false, false);
        this.line = Math.max(line, 0);
        this.column = Math.max(column, 0);
        this.limit = limit;
    }

    /** @return the 1-based line, or 0 */
    public int line() {
        return line;
    }

    /** @return the 1-based column, or 0 */
    public int column() {
        return column;
    }

    /** @return whether a safety limit refused the file */
    public boolean limit() {
        return limit;
    }

    /** @return the message with its position, e.g. {@code line 3, column 7: ...} */
    public String describe() {
        if (line == 0) {
            return getMessage();
        }
        return "line " + line + (column > 0 ? ", column " + column : "") + ": " + getMessage();
    }
}
