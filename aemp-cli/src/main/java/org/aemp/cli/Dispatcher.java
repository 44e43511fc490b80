package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one {@code aemp} command line the way Perl's {@code aemp} does: rewrite the JSON arguments
 * ({@link JsonArguments}), then, from left to right, look the next word up in the
 * {@link CommandTable} and let that command take its own arguments, until no word is left or a
 * command fails. The rc file is written once at the end if any configuration command ran, also
 * when a later command on the line failed (as in Perl), even with an unexpected exception (which is
 * reported in one line on stderr, exit status 1), but never over a file that cannot be parsed.
 *
 * <p>Perl's grammar is parsed by this loop rather than by picocli because where one command ends
 * is known only by running it (some take one word, some all the rest, and any word, even a command
 * name, can be a value), and because a failure part-way must keep the effects of the commands
 * before it. Not thread-safe; use one dispatcher per command line.
 */
final class Dispatcher {
    /** The line printed, with exit status 2, when there are no arguments. */
    static final String USAGE = "Usage: aemp subcommand ... (try 'aemp help')";

    private final CommandTable table;
    private final Session session;

    Dispatcher(CommandTable table, Environment env, PrintStream out, PrintStream err) {
        this.table = requireNonNull(table, "table");
        this.session = new Session(env, out, err);
    }

    /** Runs the command line; returns the exit status: 0 ok, 1 failure, 2 usage error. */
    int run(String[] argv) {
        PrintStream err = session.err();
        if (argv.length == 0) {
            err.println(USAGE);
            return CommandException.USAGE;
        }
        int status = 0;
        try {
            List<Object> words = JsonArguments.rewrite(Arrays.asList(argv));
            if (words.isEmpty()) {
                err.println(USAGE);
                return CommandException.USAGE;
            }
            Arguments args = new Arguments(words);
            while (args.hasNext()) {
                boolean first = args.position() == 0;
                Object word = args.next("command missing");
                String name = Words.text(word);
                CommandTable.Entry entry = table.lookup(name, first)
                        .orElseThrow(() -> CommandException.usage(name + ": no such aemp command (try 'aemp help')"));
                entry.action().run(session, args);
            }
        } catch (CommandException e) {
            err.println(e.getMessage());
            status = e.status();
        } catch (RuntimeException e) {
            // a bug or an unforeseen case: one line, no stack trace, and still save what ran before
            err.println(unexpected(e));
            status = CommandException.FAILURE;
        } finally {
            session.closeNode();
        }
        try {
            session.saveIfDirty();
        } catch (CommandException e) {
            err.println(e.getMessage());
            status = status == 0 ? e.status() : status;
        } catch (RuntimeException e) {
            err.println(unexpected(e));
            status = status == 0 ? CommandException.FAILURE : status;
        }
        session.out().flush();
        return status;
    }

    /** The one-line message for an exception no command expected: its type and message. */
    static String unexpected(RuntimeException e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().strip().replaceAll("\\s*\\n\\s*", " ");
        return "aemp: unexpected error: " + e.getClass().getName() + message;
    }
}
