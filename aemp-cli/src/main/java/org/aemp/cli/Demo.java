package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aemp.Guard;
import org.aemp.KillReason;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.PortId;
import org.aemp.observe.Observer;
import org.aemp.observe.StatsAgent;

/**
 * {@code aemp demo [--with-perl] [--observe[=<host>:<port>]]}: a small AEMP network that needs no configuration. It starts a
 * seed and two nodes, {@code alice} and {@code bob}, and shows, a few lines per step: ping/pong
 * between the nodes, a remote spawn, a monitor firing on kill, a call, and a database lookup
 * through the seed. With {@code --with-perl} a Perl AnyEvent::MP 2.02 node joins too
 * ({@link PerlPeer}: our {@code demo-peer.pl}, run with {@code perl} and {@code AEMP_PERL5LIB}), and alice pings it and
 * spawns a port on it. With {@code --observe} the network stays up after the steps, watched by an
 * {@link Observer} on a leaf of its own, and the page's address is printed; it stops on SIGTERM or
 * SIGINT.
 *
 * <p>The three Java nodes share this JVM: that keeps the demo quick to start and sure to clean
 * up, while every message still crosses a real TCP connection on 127.0.0.1 with the full
 * handshake (greeting, HMAC authentication, codec), exactly as between processes. Nothing is
 * read from or written to the rc file: the configuration is built in memory, every node binds
 * 127.0.0.1 port 0 (the OS picks free ports), and the secret is made up for the run.
 *
 * <p>Not thread-safe; run it once per instance.
 */
final class Demo {
    private static final Duration STEP = Duration.ofSeconds(20);

    private final PrintStream out;
    private final Map<String, String> env;
    private final Environment.RunControl control;
    private final List<Node> nodes = new ArrayList<>();
    private String step = "start-up";

    Demo(PrintStream out, Map<String, String> env) {
        this(out, env, stop -> () -> { });
    }

    /** @param control for {@code --observe}: when to stop the network that stays up */
    Demo(PrintStream out, Map<String, String> env, Environment.RunControl control) {
        this.out = requireNonNull(out, "out");
        this.env = requireNonNull(env, "env");
        this.control = requireNonNull(control, "control");
    }

    /**
     * Runs the demo.
     *
     * @throws CommandException a usage error for an unknown argument; a failure if Perl's library
     *     is missing for {@code --with-perl} (before anything starts) or a step fails
     */
    void run(List<String> args) {
        boolean withPerl = false;
        boolean observe = false;
        String http = null;
        for (String a : args) {
            if (a.equals("--with-perl")) {
                withPerl = true;
            } else if (a.equals("--observe")) {
                observe = true;
            } else if (a.startsWith("--observe=")) {
                observe = true;
                http = a.substring("--observe=".length());
            } else {
                throw CommandException.usage("demo: unknown argument '" + a + "' (the options are --with-perl and"
                        + " --observe[=<host>:<port>])");
            }
        }
        Observer.Options observeOptions;
        try {
            observeOptions = ObserveCommand.options(http);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("demo: " + e.getMessage());
        }
        List<String> perlLib = withPerl ? PerlPeer.library(env) : List.of();
        String secret = ConfigCommands.newSecret();
        try {
            Node seed = start(NodeConfig.builder().nodeId("seed").secret(secret).global(true));
            List<String> seeds = seed.listenAddresses();
            Node alice = start(NodeConfig.builder().nodeId("alice").secret(secret).seeds(seeds));
            Node bob = start(NodeConfig.builder().nodeId("bob").secret(secret).seeds(seeds)
                    .function("Demo::counter", (ctx, initArgs) -> {
                        int[] count = {((Number) initArgs.get(0)).intValue()};
                        ctx.receive("inc", (c, m) -> c.send(PortId.parse((String) m.get(0)), "count", ++count[0]));
                    }));
            out.println("aemp demo: a seed and two nodes in this JVM, talking over TCP on 127.0.0.1");
            out.println("          (ports picked by the OS, a random secret for this run; no rc file is used)");
            out.println("   seed  is up on " + String.join(" ", seeds) + " (global: it holds the network's database)");
            awaitKnown(seed, alice.id());
            out.println("   alice is up on " + String.join(" ", alice.listenAddresses()) + ", connected to the seed");
            awaitKnown(seed, bob.id());
            out.println("   bob   is up on " + String.join(" ", bob.listenAddresses()) + ", connected to the seed");

            pingPong(alice, bob);
            PortId counter = spawn(alice, bob);
            monitor(alice, counter);
            call(alice, bob);
            database(alice, bob);
            if (withPerl) {
                perl(alice, seeds.get(0), secret, perlLib);
            }
            out.println("demo finished: every step worked");
            if (observe) {
                observe(seed, alice, bob, secret, seeds, observeOptions);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandException.failure("demo interrupted at step '" + step + "'", e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw CommandException.failure("demo failed at step '" + step + "': " + cause, cause);
        } finally {
            Collections.reverse(nodes);
            nodes.forEach(Node::close);
        }
    }

    private void pingPong(Node alice, Node bob) throws Exception {
        step("1. ping/pong: alice sends to bob's port bob#pong, which answers to alice's reply port");
        bob.receive(new PortId(bob.id(), "pong"), (ctx, m) ->
                ctx.send(PortId.parse((String) m.get(1)), "pong", m.get(2)));
        CompletableFuture<List<Object>> pong = new CompletableFuture<>();
        PortId reply = alice.newPort((ctx, m) -> {
            ctx.kill();
            pong.complete(m);
        });
        List<Object> ping = List.of("ping", reply.toString(), 1);
        long started = System.nanoTime();
        alice.send(new PortId(bob.id(), "pong"), ping);
        List<Object> got = await(pong);
        long ms = (System.nanoTime() - started) / 1_000_000;
        out.println("   alice -> bob#pong  " + JsonText.compact(ping));
        out.println("   bob -> " + reply + "  " + JsonText.compact(got) + "  (" + ms + " ms, alice found bob"
                + " through the seed)");
    }

    private PortId spawn(Node alice, Node bob) throws Exception {
        step("2. spawn: alice creates a port on bob, which runs bob's init function Demo::counter(41)");
        PortId counter = alice.spawn(bob.id(), "Demo::counter", 41);
        out.println("   spawned " + counter);
        List<Object> got = await(alice.call(counter, "inc"));
        out.println("   cal " + counter + " \"inc\" -> " + JsonText.list(got));
        return counter;
    }

    private void monitor(Node alice, PortId counter) throws Exception {
        step("3. monitor: alice monitors " + counter + ", then kills it with the reason \"demo_done\",\"bye\"");
        CompletableFuture<KillReason> down = new CompletableFuture<>();
        alice.monitor(counter, down::complete);
        alice.kill(counter, "demo_done", "bye");
        out.println("   the monitor on alice fired: " + JsonText.list(await(down).values()));
    }

    private void call(Node alice, Node bob) throws Exception {
        step("4. cal: alice calls bob#add with 2 and 3 (cal appends a reply port and waits for its answer)");
        bob.receive(new PortId(bob.id(), "add"), (ctx, m) -> ctx.send(PortId.parse((String) m.get(2)),
                ((Number) m.get(0)).longValue() + ((Number) m.get(1)).longValue()));
        List<Object> got = await(alice.call(Duration.ofSeconds(5), new PortId(bob.id(), "add"), 2, 3));
        out.println("   cal bob#add 2 3 -> " + JsonText.list(got));
    }

    private void database(Node alice, Node bob) throws Exception {
        String family = "demo_greeters";
        step("5. database: bob registers bob#greeter in family " + family + "; alice finds it through the seed");
        // alice watches the family first, so she knows when bob's entry has reached the seed
        CompletableFuture<Void> seen = new CompletableFuture<>();
        try (Guard watch = alice.db().monitor(family, (f, added, changed, deleted) -> {
            if (!f.isEmpty()) {
                seen.complete(null);
            }
        })) {
            PortId greeter = bob.receive(new PortId(bob.id(), "greeter"), (ctx, m) ->
                    ctx.send(PortId.parse((String) m.get(1)), "hello " + m.get(0) + ", this is " + ctx.node().id()));
            bob.db().register(family, greeter);
            await(seen);
        }
        List<String> keys = await(alice.db().keys(family));
        out.println("   alice: db_keys " + family + " -> " + JsonText.compact(keys));
        CompletableFuture<List<Object>> answer = new CompletableFuture<>();
        PortId reply = alice.newPort((ctx, m) -> {
            ctx.kill();
            answer.complete(m);
        });
        alice.send(PortId.parse(keys.get(0)), alice.id(), reply.toString());
        out.println("   alice -> " + keys.get(0) + "  [\"alice\",<reply port>]; it answered "
                + JsonText.compact(await(answer)));
    }

    // ---- --observe ----

    /**
     * Keeps the network up and watches it from a leaf of its own, {@code observer}, until told to
     * stop; every node answers the observer's stats requests.
     */
    private void observe(Node seed, Node alice, Node bob, String secret, List<String> seeds, Observer.Options options)
            throws Exception {
        step("observe: the network stays up, watched from node observer (a leaf)");
        for (Node n : List.of(seed, alice, bob)) {
            StatsAgent.serve(n);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (AutoCloseable signals = control.onStop(stop::countDown)) {
            Node watcher = start(NodeConfig.builder().nodeId("observer").secret(secret).seeds(seeds));
            try (Observer observer = Observer.start(watcher, options)) {
                out.println("   open " + observer.url());
                out.println("   alice sends bob a message every second; stop with Ctrl-C or SIGTERM");
                out.flush();
                PortId sink = bob.newPort((ctx, m) -> { });
                try (Guard ticks = every(alice, Duration.ofSeconds(1), () -> alice.send(sink, "tick"))) {
                    control.started(watcher);
                    stop.await();
                }
            }
        }
        out.println("   stopped");
    }

    /** Runs {@code task} every {@code period} on {@code node}'s timer until the guard is closed. */
    private static Guard every(Node node, Duration period, Runnable task) {
        Guard[] current = new Guard[1];
        boolean[] closed = new boolean[1];
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            synchronized (current) {
                if (closed[0]) {
                    return;
                }
                task.run();
                current[0] = node.after(period, again[0]);
            }
        };
        synchronized (current) {
            current[0] = node.after(period, again[0]);
        }
        return () -> {
            synchronized (current) {
                closed[0] = true;
                current[0].close();
            }
        };
    }

    // ---- --with-perl ----

    private void perl(Node alice, String seed, String secret, List<String> lib) throws Exception {
        step("6. Perl: a Perl AnyEvent::MP node joins the network through the seed");
        CompletableFuture<List<Object>> ready = new CompletableFuture<>();
        PortId readyPort = alice.newPort((ctx, m) -> {
            ctx.kill();
            ready.complete(m);
        });
        try (PerlPeer perl = PerlPeer.start(lib, "perl", seed, readyPort, secret)) {
            out.println("   started perl " + PerlPeer.SCRIPT + " (pid " + perl.pid() + ") as node perl");
            List<Object> hello = perl.await(ready, STEP);
            out.println("   perl is up; it said " + JsonText.compact(hello) + " to alice");

            CompletableFuture<List<Object>> pong = new CompletableFuture<>();
            PortId reply = alice.newPort((ctx, m) -> {
                ctx.kill();
                pong.complete(m);
            });
            alice.send(new PortId("perl", "pong"), "ping", reply.toString(), 1);
            out.println("   alice -> perl#pong  [\"ping\",<reply port>,1]; Perl answered "
                    + JsonText.compact(perl.await(pong, STEP)));

            PortId counter = alice.spawn("perl", "DemoPeer::counter", 41);
            List<Object> count = perl.await(alice.call(counter, "inc"), STEP);
            out.println("   spawned " + counter + " (DemoPeer::counter(41), in Perl); cal " + counter
                    + " \"inc\" -> " + JsonText.list(count));

            int status = perl.stop(STEP);
            out.println("   stopped the Perl node with SIGTERM: exit status " + status);
            if (status != 0) {
                throw new IllegalStateException("the Perl node exited with status " + status + perl.output());
            }
        } finally {
            alice.kill(readyPort);
        }
    }

    // ---- helpers ----

    /** Starts a node on 127.0.0.1 port 0 and keeps it to close at the end. */
    private Node start(NodeConfig.Builder config) throws IOException {
        Node n = Node.start(config.binds(List.of("127.0.0.1:0")).build());
        nodes.add(n);
        return n;
    }

    /**
     * Waits until the seed knows where {@code node} listens (database family {@code 'l}), which
     * is when other nodes can find it; its link to the seed is up by then.
     */
    private static void awaitKnown(Node seed, String node) throws Exception {
        CompletableFuture<Void> known = new CompletableFuture<>();
        try (Guard g = seed.db().monitor("'l", (family, added, changed, deleted) -> {
            if (family.containsKey(node)) {
                known.complete(null);
            }
        })) {
            await(known);
        }
    }

    private void step(String title) {
        step = title;
        out.println(title);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(STEP.toSeconds(), TimeUnit.SECONDS);
    }
}
