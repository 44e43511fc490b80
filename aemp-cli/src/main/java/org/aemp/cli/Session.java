package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.AempException;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.config.ConfigException;
import org.aemp.config.PerlValues;
import org.aemp.config.Profiles;
import org.aemp.config.RcFile;
import org.aemp.config.RcFileException;

/**
 * The state of one {@code aemp} command line: where the output goes, the environment, the rc
 * file's tree (read on first use), the current scope (the top level, or the profile chosen with
 * {@code profile <name>}), whether anything changed, and the short-lived node of the network
 * commands (started by the first of them, closed when the command line ends).
 *
 * <p>The tree and the scope are plain mutable maps shared by reference, exactly as Perl's
 * {@code $cfg} and {@code $profile}: after {@code delprofile} of the current scope, later commands
 * change a detached map that is not saved, as in Perl. Not thread-safe; confined to the thread
 * running the command line.
 */
final class Session {
    private final Environment env;
    private final PrintStream out;
    private final PrintStream err;
    private RcFile rcFile;
    private Map<String, Object> rc;
    private Map<String, Object> scope;
    private boolean dirty;
    private Node node;

    Session(Environment env, PrintStream out, PrintStream err) {
        this.env = requireNonNull(env, "env");
        this.out = requireNonNull(out, "out");
        this.err = requireNonNull(err, "err");
    }

    Environment env() {
        return env;
    }

    /** Standard output: results (showprofile, showconfig, help). */
    PrintStream out() {
        return out;
    }

    /** Standard error: messages. */
    PrintStream err() {
        return err;
    }

    /** The rc file this environment names. @throws CommandException if none can be located */
    RcFile rcFile() {
        if (rcFile == null) {
            try {
                rcFile = RcFile.locate(env.variables());
            } catch (IllegalStateException e) {
                throw CommandException.failure(e.getMessage(), e);
            }
        }
        return rcFile;
    }

    /**
     * The rc file's tree, read on first use ({@code {"version":1}} if there is no file).
     *
     * @throws CommandException if the file cannot be read or parsed; the message gives the file,
     *     line and column, and nothing will be written over it
     */
    Map<String, Object> rc() {
        if (rc == null) {
            RcFile file = rcFile();
            try {
                rc = file.load();
            } catch (RcFileException e) {
                throw CommandException.failure(e.getMessage()
                        + " (the rc file is left as it is: fix or remove it)", e);
            } catch (IOException e) {
                throw CommandException.failure("cannot read the rc file: " + IoErrors.describe(file.path().toString(), e),
                        e);
            }
        }
        return rc;
    }

    /** The map that configuration commands change: the top level, or the current profile. */
    Map<String, Object> scope() {
        if (scope == null) {
            scope = rc();
        }
        return scope;
    }

    /**
     * Makes profile {@code name} the current scope, creating it as {@code {}} if it is missing or
     * Perl-false (Perl: {@code $profile = $cfg->{profile}{$name} ||= {}}).
     *
     * @throws CommandException if the profile exists but is not a JSON object
     */
    void enterProfile(String name) {
        Map<String, Object> table = profileTable();
        Object p = table.get(name);
        if (!PerlValues.isTrue(p)) {
            p = new LinkedHashMap<String, Object>();
            table.put(name, p);
        }
        scope = asMap(p, "profile '" + name + "'");
    }

    /**
     * The rc file's {@code profile} table, created as {@code {}} if missing or null (Perl
     * autovivifies it on every {@code $cfg->{profile}{$name}}, even when only reading).
     *
     * @throws CommandException if the {@code profile} key holds something else than an object
     */
    Map<String, Object> profileTable() {
        Map<String, Object> root = rc();
        Object t = root.get("profile");
        if (t == null) {
            t = new LinkedHashMap<String, Object>();
            root.put("profile", t);
        }
        return asMap(t, "the rc file's \"profile\" key");
    }

    /** Notes that the tree changed and must be saved at the end. */
    void markDirty() {
        dirty = true;
    }

    /**
     * Writes the tree if any configuration command ran. Never writes over a file that cannot be
     * parsed ({@link RcFile#save}).
     *
     * @throws CommandException if the file cannot be written
     */
    void saveIfDirty() {
        if (!dirty || rc == null) {
            return;
        }
        RcFile file = rcFile();
        try {
            file.save(rc);
        } catch (RcFileException e) {
            throw CommandException.failure(e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw CommandException.failure("cannot write the rc file: " + IoErrors.describe(file.path().toString(), e),
                    e);
        }
    }

    /**
     * The node of the network commands, started on first use as Perl's {@code aemp} does
     * (CONFIG-CLI.md §4.3): {@code configure profile => "aemp", nodeid => "aemp/%n/%u"}, so the rc
     * file's global defaults and its {@code aemp} profile win, and configuration commands earlier
     * on the command line already count. Unlike Perl, the profile's {@code services} are not
     * started: the node lives only for this command line. Later network commands on the same
     * line share it.
     *
     * @throws CommandException if the rc file cannot be read or has a wrong value, or the node
     *     cannot start (a bind fails, no codec)
     */
    Node node() {
        if (node == null) {
            NodeConfig config;
            try {
                config = NodeConfig.builder(Profiles.of(rc(), env.hostName())
                                .configure(Map.of(Profiles.PROFILE, CLI_PROFILE, "nodeid", CLI_NODE_ID)))
                        .services(List.of())
                        .build();
            } catch (ConfigException | IllegalArgumentException e) {
                throw CommandException.failure(rcFile().path() + ": " + e.getMessage(), e);
            }
            try {
                node = Node.start(config);
            } catch (IOException | AempException | IllegalArgumentException e) {
                throw CommandException.failure("cannot start the node of aemp (profile " + CLI_PROFILE + "): "
                        + e.getMessage(), e);
            }
        }
        return node;
    }

    /** Closes the node of the network commands, if one was started. */
    void closeNode() {
        if (node != null) {
            node.close();
        }
    }

    /** The profile the node of the network commands is configured with. */
    static final String CLI_PROFILE = "aemp";
    /** The node id the node of the network commands asks for (the rc file may give another). */
    static final String CLI_NODE_ID = "aemp/%n/%u";

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw CommandException.failure(what + " must be a JSON object, found " + PerlValues.describe(value));
    }
}
