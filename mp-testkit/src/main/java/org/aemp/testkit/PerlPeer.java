package org.aemp.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.aemp.PortId;
import org.aemp.config.JsonSyntaxException;
import org.aemp.config.JsonValues;
import org.aemp.config.PrettyJson;
import org.junit.jupiter.api.Assumptions;

/**
 * A live Perl AnyEvent::MP 2.02 node in a process of its own, for tests that check a Java node
 * against the original. It runs {@code aemp-peer.pl} (shipped in this jar; its head comment
 * documents the arguments, commands and events): started with {@code key=value} arguments, driven
 * by JSON commands on its stdin, and read through the JSON lines it prints. It serves
 * {@code <node>#echo}, which sends the rest of a message to the port its first element names.
 *
 * <p>Perl is found through the environment variable {@code AEMP_PERL5LIB}: the {@code lib} folder
 * of an AnyEvent::MP 2.02 installation, with {@code perl} (and AnyEvent, JSON::XS and CBOR::XS) on
 * the {@code PATH}. Without it, {@link #start} skips the calling test (a JUnit assumption), so a
 * live test runs where Perl is installed and is skipped elsewhere.
 * {@link AempNetwork.Builder#perlPeers(int)} starts peers that join a test network.
 *
 * <p>Thread-safe. Always close it: it is then killed if it does not quit on its own.
 */
public final class PerlPeer implements AutoCloseable {
    /** How long a wait for the Perl node lasts by default. */
    public static final Duration PATIENCE = Duration.ofSeconds(15);
    /** A message element that the script replaces by a fresh reply port of its own. */
    public static final Map<String, Object> REPLY = Map.of("$REPLY", 1);
    /** The environment variable that names the AnyEvent::MP 2.02 {@code lib} folder. */
    public static final String PERL5LIB_VARIABLE = "AEMP_PERL5LIB";

    private static Path bundledScript; // guarded by PerlPeer.class: aemp-peer.pl, copied out of the jar once

    private final String node;
    private final List<String> binds;
    private final ChildProcess process;
    private final AtomicInteger ids = new AtomicInteger();

    private PerlPeer(ChildProcess process, String node, List<String> binds) {
        this.process = process;
        this.node = node;
        this.binds = binds;
    }

    /** True if {@code AEMP_PERL5LIB} is set, so that live tests can run. */
    public static boolean available() {
        String lib = System.getenv(PERL5LIB_VARIABLE);
        return lib != null && !lib.isBlank();
    }

    /** Skips the calling test unless {@code AEMP_PERL5LIB} names an AnyEvent::MP 2.02 installation. */
    public static void assumePerl() {
        Assumptions.assumeTrue(available(), PERL5LIB_VARIABLE + " is not set: set it to the lib folder of an"
                + " AnyEvent::MP 2.02 installation (and have perl with AnyEvent, JSON::XS and CBOR::XS on the PATH)"
                + " to run the live tests against Perl");
    }

    /**
     * Starts a Perl node running {@code aemp-peer.pl} with these {@code key=value} arguments
     * ({@code nodeid}, {@code bind}, {@code seeds}, {@code secret}, {@code framing}, {@code global})
     * and waits until it is ready. Skips the calling test if Perl is not available.
     *
     * @param name names the process and its stderr file ({@code target/<name>.stderr})
     * @throws IOException if the process cannot be started
     * @throws AssertionError if it does not report ready within {@link #PATIENCE}
     */
    public static PerlPeer start(String name, String... args) throws IOException {
        assumePerl();
        return startScript(bundledScript(), name, args);
    }

    /**
     * Starts a Perl node running {@code script}, which speaks the commands-and-events protocol of
     * {@code aemp-peer.pl}, with these arguments, and waits until it is ready. Skips the calling
     * test if Perl is not available.
     */
    public static PerlPeer startScript(Path script, String name, String... args) throws IOException {
        assumePerl();
        if (!Files.isRegularFile(script)) {
            throw new IOException("no Perl peer script at " + script.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of("perl", script.toString()));
        command.addAll(List.of(args));
        String lib = System.getenv(PERL5LIB_VARIABLE);
        String old = System.getenv("PERL5LIB");
        ChildProcess p = ChildProcess.start(name, command,
                Map.of("PERL5LIB", old == null || old.isEmpty() ? lib : lib + ":" + old));
        try {
            Map<String, Object> ready = parse(p.await(PATIENCE, l -> l.contains("\"event\":\"ready\""), "'ready'"));
            List<String> binds = new ArrayList<>();
            for (Object b : (List<?>) ready.get("binds")) {
                binds.add(String.valueOf(b));
            }
            return new PerlPeer(p, (String) ready.get("node"), List.copyOf(binds));
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private static synchronized Path bundledScript() throws IOException {
        if (bundledScript == null) {
            Path dir = Files.createTempDirectory("aemp-testkit");
            Path script = dir.resolve("aemp-peer.pl");
            try (InputStream in = PerlPeer.class.getResourceAsStream("aemp-peer.pl")) {
                if (in == null) {
                    throw new IOException("aemp-peer.pl is missing from the mp-testkit jar");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            script.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            bundledScript = script;
        }
        return bundledScript;
    }

    /** The Perl node's id. */
    public String node() {
        return node;
    }

    /** The addresses the Perl node listens on ({@code host:port}). */
    public List<String> binds() {
        return binds;
    }

    /** The port {@code name} of the Perl node ({@code <node>#<name>}), such as {@code echo}. */
    public PortId port(String name) {
        return new PortId(node, name);
    }

    /**
     * Sends a command ({@code cmd} and its fields as name, value pairs, as the script documents
     * them) and returns the id that the events it causes will carry.
     */
    public String command(String cmd, Object... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields must be name, value pairs: " + fields.length + " given");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        String id = cmd + "-" + ids.incrementAndGet();
        c.put("cmd", cmd);
        c.put("id", id);
        for (int i = 0; i < fields.length; i += 2) {
            c.put((String) fields[i], plain(fields[i + 1]));
        }
        try {
            // pretty JSON has line breaks only between tokens (strings escape theirs): one line
            process.println(PrettyJson.write(c).replace('\n', ' ').trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return id;
    }

    /** A port id as its text; lists and maps copied with the same change; the rest as it is. */
    private static Object plain(Object v) {
        if (v instanceof PortId p) {
            return p.toString();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(e -> out.add(plain(e)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, e) -> out.put(String.valueOf(k), plain(e)));
            return out;
        }
        return v;
    }

    /** Waits up to {@link #PATIENCE} for the next printed event of this kind (and command id, unless null). */
    public Map<String, Object> await(String event, String id) {
        return await(event, id, PATIENCE);
    }

    /** Like {@link #await(String, String)}, waiting up to {@code patience}. */
    public Map<String, Object> await(String event, String id, Duration patience) {
        String line = process.await(patience, l -> {
            Map<String, Object> e = parse(l);
            return event.equals(e.get("event")) && (id == null || id.equals(e.get("id")));
        }, "with event '" + event + "'" + (id != null ? " and id '" + id + "'" : ""));
        return parse(line);
    }

    /** The {@code msg} of the next {@code reply} event for command {@code id}. */
    @SuppressWarnings("unchecked")
    public List<Object> reply(String id) {
        return (List<Object>) await("reply", id).get("msg");
    }

    /** The Perl process, for signals ({@link ChildProcess#signal}). */
    public ChildProcess process() {
        return process;
    }

    /** Kills the Perl process at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Ends the Perl process: it quits when its stdin closes, and is killed if it does not. */
    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "Perl node " + node + " at " + binds;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        try {
            Object v = JsonValues.parseStrict(line);
            if (v instanceof Map<?, ?>) {
                return (Map<String, Object>) narrow(v);
            }
        } catch (JsonSyntaxException e) {
            throw new AssertionError("not a JSON line from the Perl peer: " + line, e);
        }
        throw new AssertionError("not a JSON object from the Perl peer: " + line);
    }

    /**
     * Integers as the codecs decode them, the smallest of Integer, Long and BigInteger that fits
     * (the JSON reader makes Longs), so that what a Perl reply holds equals what a test sent.
     */
    private static Object narrow(Object v) {
        if (v instanceof Long n) {
            return n == n.intValue() ? (Object) n.intValue() : n;
        }
        if (v instanceof BigInteger n && n.bitLength() < 64) {
            return narrow(n.longValue());
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(e -> out.add(narrow(e)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, e) -> out.put((String) k, narrow(e)));
            return out;
        }
        return v;
    }
}
