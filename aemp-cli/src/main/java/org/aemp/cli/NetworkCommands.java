package org.aemp.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.aemp.AempException;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortDownException;
import org.aemp.PortId;
import org.aemp.cli.CommandTable.Entry;
import org.aemp.cli.CommandTable.Group;
import org.aemp.config.ConfigException;
import org.aemp.config.Profiles;
import org.aemp.config.RcFile;

/**
 * The network commands of {@code aemp} 2.02 (CONFIG-CLI.md §4.3 to §4.5, §4.8): {@code snd},
 * {@code cal}, {@code mon}, {@code eval}, {@code shell}, {@code trace} and {@code restart} talk
 * to nodes through the session's short-lived node ({@link Session#node()}); {@code run} runs a node
 * until it is stopped. Output on stdout is Perl's, byte for byte where it matters to scripts:
 *
 * <pre>{@code
 * snd, mon    the values space-joined, then " \n" ("message sent successfully \n"); none: "\n"
 * cal, eval   the values as a compact JSON list without brackets, then "\n" ("rpc_reply","hi")
 * trace       "seed -> <node>", then "<node> -> <neighbours space-joined>" or "<node> (timeout)"
 * }</pre>
 *
 * Exit statuses: 0 when an answer was printed (a failure reason from {@code snd} included, as in
 * Perl); 1 when {@code snd}, {@code eval} or {@code restart} got no answer in time, {@code trace}
 * had a node time out, or a node answered {@code eval} with an error; 1 also when nothing answered
 * {@code cal} (the port died or its node could not be reached first) or {@code mon} of a port (its
 * node could not be reached): these print Perl's line on stdout, where Perl exits 0, and the reason
 * on stderr; 2 for a missing argument. Perl exits with its {@code die} status (an errno value) where we use 1. Unlike
 * Perl, several network commands may share one command line (they share the node), and
 * {@code shell} ends at the end of its input. Stateless and thread-safe.
 */
final class NetworkCommands {
    /** What Perl says when the port or node argument is missing or empty. */
    static final String NO_ID = "'undef' or the empty string are not valid node/port IDs";
    /** The text of the relay that confirms a {@code snd}. */
    static final String SENT = "message sent successfully";
    /** The eval text whose answer lists a node's connections; Java nodes answer it too. */
    static final String UP_NODES = "AnyEvent::MP::Kernel::up_nodes";
    /**
     * The Perl code of {@code restart}: on the target's next idle moment, ask its
     * AnyEvent::Watchdog supervisor for a restart. The {@code use} makes a node without that
     * module answer with a compile error at once instead of failing later.
     */
    static final String RESTART_CODE = "my $w; $w = AE::idle sub { undef $w; use AnyEvent::Watchdog::Util ();"
            + " AnyEvent::Watchdog::Util::restart }; ()";

    private NetworkCommands() {
    }

    /** Adds the network commands and {@code run} to the table. */
    static void register(CommandTable.Builder t) {
        t.add("snd", Group.NETWORK, "<port> [<arg>...]",
                "Sends the message [<arg>...] to <port>, then asks <port>'s node to confirm that it arrived. Prints"
                        + " 'message sent successfully', or why the port is gone (e.g. no_such_port ...). Exit 1 if"
                        + " nothing comes back within 5 seconds. Takes all remaining words.",
                NetworkCommands::send);
        t.add("cal", Group.NETWORK, "<port> [<arg>...]",
                "Calls <port> with [<arg>..., <reply port>] and prints the reply as a JSON list; if the port dies"
                        + " or cannot be reached first, an empty line, the reason on stderr and exit 1."
                        + " 'cal <node> time' asks the node for its clock. No time limit. Takes all remaining"
                        + " words.",
                NetworkCommands::call);
        t.add("mon", Group.NETWORK, "<port>",
                "Waits until <port> dies and prints the reason (an empty line for a normal exit); if its node"
                        + " cannot be reached, prints that reason, says so on stderr and exits 1. For a bare"
                        + " node id, waits until the connection to that node breaks. No time limit.",
                NetworkCommands::monitor);
        t.add("eval", Group.NETWORK, "<node> <perl>...",
                "Asks a Perl node to evaluate the Perl code (the remaining words joined with spaces) and prints"
                        + " the results as a JSON list. Exit 1 on an error (printed) or no answer within 5 seconds. Java"
                        + " nodes answer with an error. Takes all remaining words.",
                (s, a) -> {
                    String node = nodeArgument(a);
                    List<String> words = new ArrayList<>();
                    for (Object w : a.rest()) {
                        words.add(Words.text(w));
                    }
                    evalOn(s, node, String.join(" ", words), "eval");
                });
        t.add("shell", Group.NETWORK, "[<node>]",
                "An interactive Perl shell on a Perl node (default: aemp's own node, which, being Java, answers"
                        + " with an error). Each line is evaluated there; '=' lists the network's nodes, '=<node>'"
                        + " switches node, 'package P' the package. Ends at the end of the input.",
                Shell::run);
        t.add("trace", Group.NETWORK, "<node>",
                "Walks the network from <node>: asks each node which nodes it is connected to and prints"
                        + " '<node> -> <nodes>' lines (Java nodes answer too). Exit 1 if a node did not answer"
                        + " within 15 seconds.",
                NetworkCommands::trace);
        t.add("restart", Group.NETWORK, "<node>",
                "Asks a Perl node run under AnyEvent::Watchdog (Perl's 'aemp run') to restart. Prints an empty"
                        + " line on success; exit 1 on an error or no answer within 5 seconds.",
                (s, a) -> evalOn(s, nodeArgument(a), RESTART_CODE, "restart"));
        t.add(new Entry("run", Group.NETWORK, "[<profile>] [<key> <value>]...",
                "Runs a node: configures it from the rc file's profile (an odd number of words: the first is the"
                        + " profile; default: the host name) with the <key> <value> pairs as configure arguments"
                        + " (the rc file wins unless 'force 1' is given), starts its services, and keeps it up"
                        + " until SIGTERM or SIGINT (Ctrl-C), then closes it and exits 0. Only as the first word.",
                NetworkCommands::run, true, false));
        t.add(new Entry("observe", Group.NETWORK, "[<profile>] [<key> <value>]... [http=<host>:<port>] [public]"
                + " [families=<f>,...]",
                "Runs a node as run does (a normal leaf that only reads) and serves a live view of the network in"
                        + " the browser: nodes (Java or Perl, global or not), their links, the global database and"
                        + " nodes going up and down. Prints the page's address. http= is where to serve (default"
                        + " 127.0.0.1 and a free port); an address that is not loopback needs 'public', and the page"
                        + " then needs the token in the printed address. families= adds database families to show."
                        + " Stops on SIGTERM or SIGINT. Only as the first word.",
                ObserveCommand::run, true, false));
    }

    // ---- snd, cal, mon ----

    private static void send(Session s, Arguments a) {
        PortId port = portArgument(a);
        List<Object> message = a.rest();
        Node node = s.node();
        CompletableFuture<List<Object>> answer = new CompletableFuture<>();
        PortId reply = node.newPort((ctx, m) -> answer.complete(m));
        try {
            node.send(port, new ArrayList<>(message));
            // The monitor's reason and the relay come to the same port, so whichever the target
            // sent first is printed, as Perl does with its one condvar.
            node.monitorSend(port, reply);
            node.send(PortId.nodePort(port.node()), "snd", reply.toString(), SENT);
            List<Object> got = await(answer, s.env().timeouts().answer(),
                    () -> "snd: no answer from node " + port.node() + " within "
                            + seconds(s.env().timeouts().answer()) + " (is it up, and are seeds and secret right?)");
            print(s, spaceJoined(got));
        } finally {
            node.kill(reply);
        }
    }

    private static void call(Session s, Arguments a) {
        PortId port = portArgument(a);
        List<Object> message = a.rest();
        Node node = s.node();
        CompletableFuture<List<Object>> reply = node.call(port, message.toArray());
        try {
            List<Object> got = await(reply, null, () -> "");
            print(s, JsonText.list(got) + "\n");
        } catch (PortGone e) {
            print(s, "\n"); // Perl's output: its callback gets no values
            throw CommandException.failure("cal: no reply from " + port + ": "
                    + spaceJoined(e.reason().values()).strip(), e);
        }
    }

    private static void monitor(Session s, Arguments a) {
        PortId port = portArgument(a);
        Node node = s.node();
        CompletableFuture<KillReason> down = new CompletableFuture<>();
        try (Guard g = node.monitor(port, down::complete)) {
            KillReason reason = await(down, null, () -> "");
            print(s, spaceJoined(reason.values()));
            if (!port.isNodePort() && TRANSPORT_ERROR.equals(reason.type())) {
                // not the port's death but the link's: what became of the port is not known
                throw CommandException.failure("mon: no answer about " + port + ": node " + port.node()
                        + " cannot be reached (" + spaceJoined(reason.values()).strip() + ")");
            }
        }
    }

    /** The reason of a monitor that fired because a node could not be reached or its link broke. */
    static final String TRANSPORT_ERROR = "transport_error";

    // ---- eval, restart ----

    /**
     * Perl's {@code node_eval}: sends {@code ["", "eval", code, reply port]} to {@code node} and
     * monitors the node. The first answer (the eval's {@code [error, results...]} or the monitor's
     * reason) decides: no error prints the results as a JSON list.
     */
    private static void evalOn(Session s, String node, String code, String command) {
        Node n = s.node();
        CompletableFuture<List<Object>> answer = new CompletableFuture<>();
        PortId reply = n.newPort((ctx, m) -> answer.complete(m));
        PortId target = PortId.nodePort(node);
        try (Guard g = n.monitorSend(target, reply)) {
            n.send(target, "eval", code, reply.toString());
            List<Object> got = await(answer, s.env().timeouts().answer(),
                    () -> command + ": no answer from node " + node + " within " + seconds(s.env().timeouts().answer())
                            + " (a node in secure mode never answers eval)");
            String error = got.isEmpty() ? "" : Words.text(got.get(0));
            List<Object> results = got.isEmpty() ? List.of() : got.subList(1, got.size());
            if (!error.isEmpty()) {
                StringBuilder b = new StringBuilder(error);
                for (Object r : results) {
                    b.append(' ').append(Words.text(r));
                }
                throw CommandException.failure(b.toString().stripTrailing());
            }
            print(s, JsonText.list(results) + "\n");
        } finally {
            n.kill(reply);
        }
    }

    // ---- trace ----

    private static void trace(Session s, Arguments a) {
        String seed = Words.text(a.next("node id missing"));
        if (seed.isEmpty() || seed.indexOf('#') >= 0) {
            throw CommandException.usage("trace: '" + seed + "' is not a node id");
        }
        Trace trace = new Trace(s.node(), s.out(), s.env().timeouts().traceQuery());
        List<String> timedOut = trace.run(seed);
        if (!timedOut.isEmpty()) {
            throw CommandException.failure("trace: no answer within " + seconds(s.env().timeouts().traceQuery())
                    + " from " + String.join(", ", timedOut));
        }
    }

    /**
     * One walk of {@code trace}: asks every node not seen yet for its connections with the
     * {@code up_nodes} eval, each with its own time limit, until every node answered or timed out.
     * Thread-safe: answers (on the reply port's worker) and time-outs (on timer threads) meet
     * under this object's lock, which also keeps the printed lines whole.
     */
    private static final class Trace {
        private final Node node;
        private final PrintStream out;
        private final Duration limit;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        // guarded by this
        private final Map<String, Guard> waiting = new LinkedHashMap<>();
        private final Set<String> seen = new HashSet<>();
        private final List<String> timedOut = new ArrayList<>();
        private PortId reply;

        Trace(Node node, PrintStream out, Duration limit) {
            this.node = node;
            this.out = out;
            this.limit = limit;
        }

        List<String> run(String seed) {
            reply = node.newPort((ctx, m) -> answered(m));
            try {
                synchronized (this) {
                    neighbours("seed", List.of(seed));
                }
                await(done, null, () -> "");
                synchronized (this) {
                    return List.copyOf(timedOut);
                }
            } finally {
                node.kill(reply);
                synchronized (this) {
                    waiting.values().forEach(Guard::close);
                }
            }
        }

        /** An answer: {@code [node, error, neighbours...]}. */
        private synchronized void answered(List<Object> m) {
            if (m.isEmpty()) {
                return;
            }
            String from = Words.text(m.get(0));
            Guard timer = waiting.remove(from);
            if (timer == null) {
                return; // after its time-out: that node was reported already
            }
            timer.close();
            List<String> up = new ArrayList<>();
            for (Object o : m.subList(Math.min(2, m.size()), m.size())) {
                up.add(Words.text(o));
            }
            neighbours(from, up);
        }

        /** Prints {@code from}'s line and asks each new neighbour. */
        private void neighbours(String from, List<String> up) {
            List<String> shown = up.stream().filter(n -> !n.equals(node.id())).toList();
            out.print(from + " -> " + String.join(" ", shown) + "\n");
            out.flush();
            for (String n : shown) {
                if (seen.add(n)) {
                    waiting.put(n, node.after(limit, () -> timeout(n)));
                    node.send(PortId.nodePort(n), "eval", UP_NODES, reply.toString(), n);
                }
            }
            checkDone();
        }

        private synchronized void timeout(String n) {
            if (waiting.remove(n) != null) {
                out.print(n + " (timeout)\n");
                out.flush();
                timedOut.add(n);
                checkDone();
            }
        }

        private void checkDone() {
            if (waiting.isEmpty()) {
                done.complete(null);
            }
        }
    }

    // ---- run ----

    /**
     * {@code run}: configures a node as Perl's {@code configure(@words)} does (an odd number of
     * words: the first is the profile), starts it with its services, reports it on stderr, and
     * waits for the {@link Environment.RunControl} to say stop; then closes the node.
     */
    private static void run(Session s, Arguments a) {
        List<Object> words = a.rest();
        Map<String, Object> args = configureArguments(words);
        Configured configured = configure(s, args, "run");
        NodeConfig config = configured.config();
        String profile = configured.profile();
        runUntilStopped(s, configured, "run", node -> {
            AutoCloseable hangup = Signals.onHangup(() -> reloadCertificate(s, args, profile, node));
            s.err().println("aemp run: node " + node.id() + " is up (profile " + profile + "), listening on "
                    + describe(node.listenAddresses()) + ", seeds " + describe(config.seeds())
                    + (config.services().isEmpty() ? "" : ", services " + JsonText.compact(config.services()))
                    + ". Stop it with Ctrl-C or SIGTERM; SIGHUP re-reads its certificate.");
            return hangup;
        });
    }

    /** What a long-running command adds to its node once it is up; closed before the node. */
    interface Attachment {
        AutoCloseable attach(Node node) throws Exception;
    }

    /**
     * Starts the node of a long-running command ({@code run}, {@code observe}), attaches what the
     * command adds, tells the {@link Environment.RunControl} it started, and waits for it to say
     * stop; then closes the attachment and the node and says so on stderr.
     */
    static void runUntilStopped(Session s, Configured configured, String command, Attachment attachment) {
        Environment.RunControl control = s.env().runControl();
        CountDownLatch stop = new CountDownLatch(1);
        try (AutoCloseable signals = control.onStop(stop::countDown)) {
            Node node = start(configured, command);
            try (AutoCloseable attached = attachment.attach(node)) {
                control.started(node);
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                node.close();
            }
            s.err().println("aemp " + command + ": node " + node.id() + " stopped");
        } catch (CommandException e) {
            throw e;
        } catch (Exception e) {
            throw CommandException.failure(command + ": " + e, e); // closing the signal handlers failed
        }
    }

    /** A node's configuration from a profile, and the profile's name. */
    record Configured(NodeConfig config, String profile) {
    }

    /** The configuration {@code args} (as {@link #configureArguments} makes them) give in the rc file. */
    static Configured configure(Session s, Map<String, Object> args, String command) {
        try {
            var effective = Profiles.of(s.rc(), s.env().hostName()).configure(args);
            return new Configured(NodeConfig.builder(effective).build(), effective.profile());
        } catch (ConfigException | IllegalArgumentException e) {
            throw CommandException.failure(command + ": " + e.getMessage(), e);
        }
    }

    /** Starts the configured node, or fails the command saying why. */
    static Node start(Configured configured, String command) {
        try {
            return Node.start(configured.config());
        } catch (IOException | AempException | IllegalArgumentException e) {
            throw CommandException.failure(command + ": cannot start a node from profile " + configured.profile()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code run}'s words as Perl's {@code configure(@words)} takes them: an odd number of words
     * means the first is the profile, the rest are key-value pairs.
     */
    static Map<String, Object> configureArguments(List<Object> words) {
        Map<String, Object> args = new LinkedHashMap<>();
        int i = 0;
        if (words.size() % 2 == 1) {
            args.put(Profiles.PROFILE, Words.text(words.get(0)));
            i = 1;
        }
        for (; i < words.size(); i += 2) {
            args.put(Words.text(words.get(i)), words.get(i + 1));
        }
        return args;
    }

    /**
     * On SIGHUP: reads the rc file again and gives the node the profile's certificate; links made
     * from then on use it, links already up stay up.
     */
    private static void reloadCertificate(Session s, Map<String, Object> args, String profile, Node node) {
        try {
            Map<String, Object> rc = RcFile.locate(s.env().variables()).load();
            Object cert = Profiles.of(rc, s.env().hostName()).configure(args).values().get("cert");
            if (!(cert instanceof String pem)) {
                s.err().println("aemp run: SIGHUP: profile " + profile + " has no certificate (cert) to reload");
                return;
            }
            node.reloadCertificate(pem);
            s.err().println("aemp run: node " + node.id() + ": certificate reloaded");
        } catch (IOException | RuntimeException e) {
            s.err().println("aemp run: SIGHUP: certificate not reloaded: " + e.getMessage());
        }
    }

    private static String describe(List<String> addresses) {
        return addresses.isEmpty() ? "none" : String.join(" ", addresses);
    }

    // ---- helpers ----

    /** The port argument: a port id, or a bare node id for that node's node port. */
    static PortId portArgument(Arguments a) {
        String text = Words.text(a.next(NO_ID));
        if (text.isEmpty()) {
            throw CommandException.usage(NO_ID);
        }
        try {
            return PortId.parse(text);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }

    /** The node argument of eval and restart: the node part of a node or port id (Perl's {@code node_of}). */
    static String nodeArgument(Arguments a) {
        String node = PortId.nodeOf(Words.text(a.next(NO_ID)));
        if (node.isEmpty()) {
            throw CommandException.usage(NO_ID);
        }
        return node;
    }

    /** Perl's {@code join " ", @values, "\n"}: a space after every value, then a newline. */
    static String spaceJoined(List<Object> values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            b.append(Words.text(v)).append(' ');
        }
        return b.append('\n').toString();
    }

    /** Thrown by {@link #await} when the awaited call failed because its port died. */
    private static final class PortGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final KillReason reason;

        PortGone(PortDownException cause) {
            super(cause.getMessage(), cause, false, false);
            this.reason = cause.reason();
        }

        KillReason reason() {
            return reason;
        }
    }

    /**
     * Waits for {@code f}: without a limit if {@code limit} is null.
     *
     * @throws CommandException a failure with {@code timeoutMessage} on time-out, or with the
     *     cause when {@code f} failed
     * @throws PortGone if {@code f} failed with {@link PortDownException}
     */
    private static <T> T await(CompletableFuture<T> f, Duration limit, Supplier<String> timeoutMessage) {
        try {
            return limit == null ? f.get() : f.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw CommandException.failure(timeoutMessage.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandException.failure("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PortDownException p) {
                throw new PortGone(p);
            }
            throw CommandException.failure(String.valueOf(e.getCause()), e.getCause());
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void print(Session s, String text) {
        s.out().print(text);
        s.out().flush();
    }
}
