package org.aemp.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aemp.Node;
import org.aemp.PortId;

/**
 * {@code aemp shell [<node>]}: Perl aemp's interactive shell (CONFIG-CLI.md §4.4). Every input
 * line is sent as an {@code eval} to the current node, and the answer is printed when it comes,
 * with the time it took and the results as pretty, ASCII-only JSON. {@code =} lists the nodes
 * registered in the network (database family {@code 'l}), {@code =<node>} switches node,
 * {@code package P} sets the package, and {@code $ECHO} names a port of aemp's node that prints
 * whatever is sent to it.
 *
 * <p>Only Perl nodes can evaluate Perl: a Java node (aemp's own node included) answers every line
 * with an error. Unlike Perl's, this shell ends at the end of its input, after waiting up to 5 s
 * for answers still on their way. Not thread-safe; one shell per command line. Answers are
 * printed from the node's worker threads, under the output stream's lock.
 */
final class Shell {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+(\\S+?)\\s*;?\\s*$");
    private static final Duration DRAIN = Duration.ofSeconds(5);

    private final Node node;
    private final PrintStream out;
    private final PortId echo;
    /** Counts the answers still on their way. */
    private final Phaser pending = new Phaser(1);
    private volatile String current;
    private volatile String pkg = "AnyEvent::MP::Kernel";

    private Shell(Node node, PrintStream out, String start) {
        this.node = node;
        this.out = out;
        this.current = start;
        this.echo = node.newPort((ctx, m) -> print("\nECHO<" + ctx.sourceNode() + "> " + JsonText.prettyAscii(m)
                + "\n" + prompt()));
    }

    static void run(Session s, Arguments a) {
        Node node = s.node();
        String start = a.hasNext() ? Words.text(a.next("")) : "";
        Shell shell = new Shell(node, s.out(), start.isEmpty() ? node.id() : start);
        try {
            shell.loop(new BufferedReader(new InputStreamReader(s.env().stdin().get(), StandardCharsets.UTF_8)));
        } finally {
            node.kill(shell.echo);
        }
    }

    private void loop(BufferedReader in) {
        print("Entering interactive shell - no commandline editing of course (use rlfe etc.).\n\n"
                + "=           display a list of nodes\n"
                + "=name       switch to another node\n"
                + "package P   switch to package P when evaluating\n"
                + "$ECHO       contains the name of a port that echos everything sent to it\n\n");
        print(prompt());
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                handle(line);
                print(prompt());
            }
        } catch (IOException e) {
            throw CommandException.failure("shell: cannot read the input: " + e.getMessage(), e);
        }
        print("\n");
        try {
            pending.awaitAdvanceInterruptibly(pending.arrive(), DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // answers that never come (a secure or unreachable node) do not keep the shell open
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(String line) {
        if (line.startsWith("=")) {
            String name = line.substring(1);
            if (!name.isEmpty()) {
                current = name;
                return;
            }
            pending.register();
            node.db().keys("'l").whenComplete((keys, err) -> {
                List<String> sorted = new ArrayList<>(keys == null ? List.of() : keys);
                sorted.sort(null);
                print("\nnodes: " + String.join(" ", sorted) + "\n" + prompt());
                pending.arriveAndDeregister();
            });
            return;
        }
        Matcher m = PACKAGE.matcher(line);
        if (m.matches()) {
            pkg = m.group(1);
            return;
        }
        if (line.isBlank()) {
            return;
        }
        String target = current;
        long started = System.nanoTime();
        pending.register();
        PortId reply = node.newPort((ctx, answer) -> {
            ctx.kill();
            double seconds = (System.nanoTime() - started) / 1e9;
            String error = answer.isEmpty() ? "" : Words.text(answer.get(0));
            List<Object> results = answer.isEmpty() ? List.of() : answer.subList(1, answer.size());
            StringBuilder b = new StringBuilder();
            b.append('\n').append(target).append(": ").append(line).append('\n');
            b.append(String.format(Locale.ROOT, "%.3fs", seconds)).append('\n');
            if (!error.isEmpty()) {
                b.append(error).append(' ');
                List<String> rest = results.stream().map(Words::text).toList();
                b.append(String.join(" ", rest));
            } else {
                b.append(JsonText.prettyAscii(results));
            }
            b.append('\n').append(prompt());
            print(b.toString());
            pending.arriveAndDeregister();
        });
        node.send(PortId.nodePort(PortId.nodeOf(target)), "eval",
                "package " + pkg + "; my $ECHO = '" + echo + "'; " + line, reply.toString());
    }

    private String prompt() {
        return current + " " + pkg + "> ";
    }

    private void print(String text) {
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }
}
