package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands {@code aemp} knows, by name: one {@link Entry} per command, registered in groups
 * (configuration commands by {@link ConfigCommands}, network commands, the demo, help). Adding a
 * command is adding an entry; the dispatcher ({@link Dispatcher}) needs no change.
 *
 * <p><b>Aliases</b> are worked out as Perl's {@code aemp} does, once every entry is registered:
 * every {@code setX} command can also be called {@code X} unless {@code X} is itself a command.
 * So {@code setnodeid} is also {@code nodeid}, but {@code seteval} has no short form because
 * {@code eval} is the network command.
 *
 * <p>The usage text of {@code aemp help} is rendered by picocli from the entries' synopses and
 * descriptions ({@link #help}). Immutable and thread-safe once built.
 */
final class CommandTable {
    /** What kind of command an entry is; the help lists the groups in this order. */
    enum Group {
        /** Changes the rc file: marks it for saving. */
        CONFIG,
        /** Prints from the rc file without changing it. */
        SHOW,
        /** Talks to nodes (snd, cal, mon, eval, shell, trace, restart, run). */
        NETWORK,
        /** Everything else: demo, help. */
        OTHER
    }

    /**
     * One command.
     *
     * @param name the command word
     * @param group its kind
     * @param synopsis its arguments as the help shows them, e.g. {@code <list>}; may be empty
     * @param description what it does, one or more sentences for the help
     * @param action what it does, in code
     * @param firstWordOnly true if it is recognised only as the very first word (Perl's {@code run})
     * @param hidden true to leave it out of the help's command list
     */
    record Entry(String name, Group group, String synopsis, String description, Command action,
                 boolean firstWordOnly, boolean hidden) {
        Entry {
            requireNonNull(name, "name");
            requireNonNull(group, "group");
            requireNonNull(synopsis, "synopsis");
            requireNonNull(description, "description");
            requireNonNull(action, "action");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("command name must not be empty");
            }
        }
    }

    private final Map<String, Entry> entries;
    private final Map<String, Entry> byName;
    private final Map<String, List<String>> aliases;

    private CommandTable(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        Map<String, Entry> names = new LinkedHashMap<>(entries);
        Map<String, List<String>> aka = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            // Perl: $CMD{$1} ||= $CMD{$_} if /^set(.*)$/
            if (e.name().startsWith("set") && e.name().length() > 3) {
                String shortName = e.name().substring(3);
                if (!names.containsKey(shortName)) {
                    names.put(shortName, e);
                    aka.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(shortName);
                }
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.aliases = Collections.unmodifiableMap(aka);
    }

    /** A builder for a table. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The command a word names, by its name or an alias.
     *
     * @param first true if the word is the first of the command line (for {@code run})
     */
    Optional<Entry> lookup(String word, boolean first) {
        Entry e = byName.get(requireNonNull(word, "word"));
        if (e == null || (e.firstWordOnly() && !first)) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /** The aliases of a command (empty if none). */
    List<String> aliasesOf(String name) {
        return aliases.getOrDefault(name, List.of());
    }

    /** Every name that works as a command word, aliases included. */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The usage text: the whole command list if {@code command} is empty, else that command's
     * usage (it may be an alias).
     *
     * @throws CommandException a usage error if {@code command} names no command
     */
    String help(Optional<String> command) {
        CommandLine root = new CommandLine(helpSpec());
        root.setUsageHelpWidth(100);
        if (command.isEmpty()) {
            return root.getUsageMessage(CommandLine.Help.Ansi.OFF);
        }
        Entry e = lookup(command.get(), false)
                .or(() -> lookup(command.get(), true))
                .orElseThrow(() -> CommandException.usage(command.get() + ": no such aemp command (try 'aemp help')"));
        return root.getSubcommands().get(e.name()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** picocli's model of the table: one subcommand per entry, with its aliases, synopsis and description. */
    private CommandSpec helpSpec() {
        CommandSpec spec = CommandSpec.create().name("aemp");
        spec.usageMessage()
                .customSynopsis("aemp <command> [<arg>...] [<command> [<arg>...]]...")
                .description(
                        "Edits the AEMP rc file shared with Perl's AnyEvent::MP ($PERL_ANYEVENT_MP_RC, else",
                        "$HOME/.perl-anyevent-mp) and talks to nodes. Commands run from left to right; each takes",
                        "its own arguments and the next word is the next command. A single argument starting with",
                        "'[' is a JSON array of all arguments; any other argument starting with '[', '{' or '\"'",
                        "is decoded as JSON. Configuration commands change the global defaults, or the profile",
                        "chosen by an earlier 'profile <name>'.")
                .commandListHeading("%nCommands:%n")
                .footer("%nSee 'aemp help <command>' for one command. Exit status: 0 ok, 1 failure, 2 usage error.");
        for (Entry e : entries.values()) {
            CommandSpec sub = CommandSpec.create().name(e.name());
            List<String> aka = aliasesOf(e.name());
            if (!aka.isEmpty()) {
                sub.aliases(aka.toArray(new String[0]));
            }
            String synopsis = "aemp " + e.name() + (e.synopsis().isEmpty() ? "" : " " + e.synopsis());
            sub.usageMessage()
                    .customSynopsis((aka.isEmpty() ? synopsis : synopsis + "   (also: " + String.join(", ", aka) + ")").replace("%", "%%"))
                    .description(e.description().replace("%", "%%"))
                    .hidden(e.hidden());
            spec.addSubcommand(e.name(), sub);
        }
        return spec;
    }

    /** Collects entries; later entries may not reuse a name. Not thread-safe. */
    static final class Builder {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a command.
         *
         * @throws IllegalArgumentException if the name is taken
         */
        Builder add(Entry entry) {
            requireNonNull(entry, "entry");
            if (entries.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("duplicate aemp command '" + entry.name() + "'");
            }
            return this;
        }

        /** Adds an ordinary command (not first-word-only, listed in the help). */
        Builder add(String name, Group group, String synopsis, String description, Command action) {
            return add(new Entry(name, group, synopsis, description, action, false, false));
        }

        /** The table, with the aliases worked out. */
        CommandTable build() {
            return new CommandTable(entries);
        }
    }
}
