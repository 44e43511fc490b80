package org.aemp.cli;

/**
 * A command line that cannot be carried out: a usage error (unknown command, missing argument,
 * malformed JSON argument; exit status 2) or a failure while running a command (an unreadable
 * file, an rc file that cannot be parsed or written, a value of the wrong type; exit status 1).
 * The message is printed on stderr as it is, so it names what was wrong; for missing arguments it
 * is Perl {@code aemp}'s exact text ({@code seed addresses missing}).
 */
final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit status of a usage error. */
    static final int USAGE = 2;
    /** Exit status of a failed command. */
    static final int FAILURE = 1;

    private final int status;

    private CommandException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** A usage error: exit status 2. */
    static CommandException usage(String message) {
        return new CommandException(USAGE, message, null);
    }

    /** A failed command: exit status 1. */
    static CommandException failure(String message) {
        return new CommandException(FAILURE, message, null);
    }

    /** A failed command caused by {@code cause}: exit status 1. */
    static CommandException failure(String message, Throwable cause) {
        return new CommandException(FAILURE, message, cause);
    }

    /** The exit status: {@link #USAGE} or {@link #FAILURE}. */
    int status() {
        return status;
    }
}
