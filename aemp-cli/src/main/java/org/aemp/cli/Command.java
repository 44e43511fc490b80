package org.aemp.cli;

/**
 * The action of one {@code aemp} command: takes its own arguments off the front of
 * {@code args} (leaving the rest for the commands after it) and acts on the session.
 */
@FunctionalInterface
interface Command {
    /**
     * Runs the command.
     *
     * @throws CommandException on a usage error or a failure; the command line stops there
     */
    void run(Session session, Arguments args);
}
