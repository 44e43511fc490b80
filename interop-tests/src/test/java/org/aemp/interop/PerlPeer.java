package org.aemp.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Perl AnyEvent::MP 2.02 node running {@code src/test/perl/aemp-peer.pl}: started with
 * {@code key=value} arguments, driven by JSON commands on its stdin, and read through the JSON
 * lines it logs. The script documents the commands and events.
 *
 * <p>Thread-safe. Always close it (it is then killed if it does not quit on its own).
 */
final class PerlPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    static final Duration PATIENCE = Duration.ofSeconds(15);
    /** A message element that the script replaces by a fresh reply port of its own. */
    static final Map<String, Object> REPLY = Map.of("$REPLY", 1);

    final String node;
    final List<String> binds;
    private final ChildProcess process;
    private final AtomicInteger ids = new AtomicInteger();

    private PerlPeer(ChildProcess process, String node, List<String> binds) {
        this.process = process;
        this.node = node;
        this.binds = binds;
    }

    /** Skips the calling test unless {@code AEMP_PERL5LIB} names an AnyEvent::MP 2.02 installation. */
    static void assumePerl() {
        String lib = System.getenv("AEMP_PERL5LIB");
        Assumptions.assumeTrue(lib != null && !lib.isBlank(),
                "AEMP_PERL5LIB is not set: set it to the lib folder of an AnyEvent::MP 2.02 installation"
                        + " (and have perl with AnyEvent, JSON::XS and CBOR::XS on the PATH) to run the live"
                        + " tests against Perl");
    }

    /** The folder holding aemp-peer.pl (surefire sets AEMP_INTEROP_PERL_DIR). */
    static Path script() {
        return script("aemp-peer.pl");
    }

    /** A script in the folder of aemp-peer.pl. */
    static Path script(String fileName) {
        String dir = System.getenv("AEMP_INTEROP_PERL_DIR");
        return Path.of(dir != null ? dir : "src/test/perl", fileName);
    }

    /** Starts a Perl node with these {@code key=value} arguments and waits until it is ready. */
    static PerlPeer start(String name, String... args) throws IOException {
        return startScript("aemp-peer.pl", name, args);
    }

    /**
     * Starts a Perl node running {@code scriptName} (from the folder of aemp-peer.pl, speaking the
     * same commands-and-events protocol) with these arguments, and waits until it is ready.
     */
    static PerlPeer startScript(String scriptName, String name, String... args) throws IOException {
        assumePerl();
        Path script = script(scriptName);
        if (!Files.isRegularFile(script)) {
            throw new IOException("no Perl peer script at " + script.toAbsolutePath());
        }
        List<String> command = new ArrayList<>(List.of("perl", script.toString()));
        command.addAll(List.of(args));
        String lib = System.getenv("AEMP_PERL5LIB");
        String old = System.getenv("PERL5LIB");
        ChildProcess p = ChildProcess.start(name, command,
                Map.of("PERL5LIB", old == null || old.isEmpty() ? lib : lib + ":" + old));
        try {
            Map<String, Object> ready = parse(p.await(PATIENCE, l -> l.contains("\"event\":\"ready\""), "'ready'"));
            @SuppressWarnings("unchecked")
            List<String> binds = (List<String>) ready.get("binds");
            return new PerlPeer(p, (String) ready.get("node"), List.copyOf(binds));
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    private static Map<String, Object> parse(String line) {
        try {
            return JSON.readValue(line, MAP);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a JSON line from the Perl peer: " + line, e);
        }
    }

    /**
     * Sends a command ({@code cmd} and its fields, as the script documents them) and returns the
     * id that the events it causes will carry.
     */
    String command(String cmd, Object... fields) {
        Map<String, Object> c = new LinkedHashMap<>();
        String id = cmd + "-" + ids.incrementAndGet();
        c.put("cmd", cmd);
        c.put("id", id);
        for (int i = 0; i < fields.length; i += 2) {
            c.put((String) fields[i], fields[i + 1]);
        }
        try {
            process.println(JSON.writeValueAsString(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return id;
    }

    /** Waits for the next logged event of this kind (and this command id, unless null). */
    Map<String, Object> await(String event, String id) {
        return await(event, id, PATIENCE);
    }

    /** Like {@link #await(String, String)}, waiting up to {@code patience}. */
    Map<String, Object> await(String event, String id, Duration patience) {
        String line = process.await(patience, l -> {
            Map<String, Object> e = parse(l);
            return event.equals(e.get("event")) && (id == null || id.equals(e.get("id")));
        }, "with event '" + event + "'" + (id != null ? " and id '" + id + "'" : ""));
        return parse(line);
    }

    /** The {@code msg} of the next {@code reply} event for command {@code id}. */
    @SuppressWarnings("unchecked")
    List<Object> reply(String id) {
        return (List<Object>) await("reply", id).get("msg");
    }

    /** The Perl process, for signals ({@link ChildProcess#signal}). */
    ChildProcess process() {
        return process;
    }

    /** Kills the Perl process at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
