package org.aemp.config;

import java.io.IOException;

/**
 * An rc file that cannot be used: it is not valid (relaxed) JSON, or its top level is not a JSON
 * object, or it is not valid UTF-8. The message names the file, the position (when known) and what
 * is wrong, e.g. {@code /home/u/.perl-anyevent-mp: line 3, column 7: Unexpected character ('}')}.
 *
 * <p>A checked {@link IOException} because, like a missing key file, a broken rc file is a fault
 * of the environment, not of the calling code. {@link RcFile} never overwrites a file that
 * produced this exception.
 */
public final class RcFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * An error at a known position.
     *
     * @param source the file name (or another description of where the text came from)
     * @param line the 1-based line, or -1 if unknown
     * @param column the 1-based column, or -1 if unknown
     * @param problem what is wrong
     * @param cause the underlying parser error; may be null
     */
    public RcFileException(String source, int line, int column, String problem, Throwable cause) {
        super(source + (line > 0 ? ": line " + line + (column > 0 ? ", column " + column : "") : "")
                + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The file name or other description of the text's origin, as given to the reader. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, or -1 if unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem, or -1 if unknown. */
    public int column() {
        return column;
    }
}
