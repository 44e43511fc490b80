package org.aemp.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.aemp.cli.CommandTable.Entry;
import org.aemp.cli.CommandTable.Group;

/**
 * Entry point of {@code aemp}: runs a command line of chained commands (see {@link Dispatcher})
 * from the {@linkplain #commands() command table}.
 */
public final class Main {
    private static final CommandTable COMMANDS = commands();

    private Main() {
    }

    public static void main(String[] args) {
        quietNetty();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * Turns off Netty's JFR events ({@code io.netty.jfr.enabled}) unless the command line sets the
     * property: registering them initialises the JDK's flight recorder (event metadata, annotation
     * proxies), which costs a short-lived {@code aemp} tens of milliseconds and about 5 MB of memory,
     * and they only matter while a recording runs. Netty reads the property once, when its first
     * buffer is allocated, so this must run before any node starts.
     */
    static void quietNetty() {
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
    }

    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    /**
     * Runs one command line in this process's environment (the rc file from
     * {@code PERL_ANYEVENT_MP_RC}, {@code HOME} or {@code APPDATA}).
     *
     * @return the exit status: 0 ok, 1 failure, 2 usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Environment.system());
    }

    /** Runs one command line in the given environment; for tests. */
    static int run(String[] args, PrintStream out, PrintStream err, Environment env) {
        return new Dispatcher(COMMANDS, env, out, err).run(args);
    }

    /** The command table: configuration commands, network commands and run, the demo and help. */
    static CommandTable commands() {
        CommandTable.Builder t = CommandTable.builder();
        ConfigCommands.register(t);
        NetworkCommands.register(t);
        t.add("demo", Group.OTHER, "[--with-perl] [--observe[=<host>:<port>]]", "Starts a seed and two nodes on"
                + " 127.0.0.1 in this process and shows ping/pong, a remote spawn, a monitor, a call and a database"
                + " lookup; needs no configuration and leaves the rc file alone. --with-perl adds a Perl"
                + " AnyEvent::MP 2.02 node (set AEMP_PERL5LIB to its lib folder). --observe keeps the network up"
                + " and prints the address of a live view of it in the browser (see observe) until SIGTERM or"
                + " SIGINT. Takes all remaining words.", (s, a) -> {
                    List<String> words = a.rest().stream().map(Words::text).toList();
                    new Demo(s.out(), s.env().variables(), s.env().runControl()).run(words);
                });
        Command help = (s, a) -> {
            List<Object> rest = a.rest();
            s.out().print(COMMANDS.help(rest.isEmpty() ? Optional.empty() : Optional.of(Words.text(rest.get(0)))));
        };
        t.add("help", Group.OTHER, "[<command>]", "Shows this text, or the usage of one command.", help);
        t.add(new Entry("--help", Group.OTHER, "", "Same as help.", help, false, true));
        t.add(new Entry("-h", Group.OTHER, "", "Same as help.", help, false, true));
        return t.build();
    }
}
