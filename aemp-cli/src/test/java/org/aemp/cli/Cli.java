package org.aemp.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.aemp.config.RcFile;
import org.aemp.config.RcFileException;

/**
 * Runs {@code aemp} command lines in-process against an rc file in a temporary directory, never
 * the real HOME: the environment holds only {@code PERL_ANYEVENT_MP_RC} (tests may change it with
 * {@link #with}) and the host name is fixed.
 */
final class Cli {
    static final String HOST = "testhost";

    private final Path rc;
    private final UnaryOperator<Environment> customize;

    private Cli(Path rc, UnaryOperator<Environment> customize) {
        this.rc = rc;
        this.customize = customize;
    }

    /** Uses {@code <dir>/aemp.rc} as the rc file. */
    static Cli in(Path dir) {
        return new Cli(dir.resolve("aemp.rc"), e -> e);
    }

    /** The same rc file with a changed environment (time limits, stdin, how run stops). */
    Cli with(UnaryOperator<Environment> change) {
        return new Cli(rc, e -> change.apply(customize.apply(e)));
    }

    /** The result of one run. */
    record Result(int status, String out, String err) {
    }

    Path rcPath() {
        return rc;
    }

    Environment env() {
        return customize.apply(Environment.of(Map.of(RcFile.ENV_RC, rc.toString()), HOST));
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env());
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Writes the rc file. */
    Cli withRc(String text) {
        try {
            Files.writeString(rc, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Copies a golden file to the rc file. */
    Cli withGoldenRc(String name) {
        return withRc(goldenText(name));
    }

    /** The rc file, parsed. */
    Map<String, Object> rc() {
        try {
            return RcFile.at(rc).load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String rcText() {
        try {
            return Files.readString(rc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A golden file under {@code src/test/resources/org/aemp/cli/rc/}. */
    static String goldenText(String name) {
        try (InputStream in = Cli.class.getResourceAsStream("rc/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource rc/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A golden file, parsed as JSON. */
    static Map<String, Object> golden(String name) {
        return parse(goldenText(name), name);
    }

    /** JSON text (an object), parsed as the rc file reader does. */
    static Map<String, Object> parse(String json, String source) {
        try {
            return RcFile.parse(json, source);
        } catch (RcFileException e) {
            throw new IllegalStateException(e);
        }
    }
}
