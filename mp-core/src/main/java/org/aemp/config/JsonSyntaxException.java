package org.aemp.config;

/**
 * A text that is not valid JSON for {@link JsonValues#parseStrict}: what is wrong and, when known,
 * where. The message is the problem alone (Jackson's advice to enable parser features is left
 * out); it never repeats the text, but a parser message may quote the token it stopped at, so
 * callers handling secrets should show only {@link #offset()}.
 */
public final class JsonSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final int offset;

    JsonSyntaxException(String problem, int line, int column, int offset, Throwable cause) {
        super(problem, cause);
        this.line = line;
        this.column = column;
        this.offset = offset;
    }

    /** What is wrong, e.g. {@code garbage after the JSON value}. */
    public String problem() {
        return getMessage();
    }

    /** The 1-based line of the problem, or -1 if unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, or -1 if unknown. */
    public int column() {
        return column;
    }

    /** The 0-based character offset of the problem in the text, or -1 if unknown. */
    public int offset() {
        return offset;
    }
}
