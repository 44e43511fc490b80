package org.aemp.examples;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.Node;

/**
 * The command line of an example program: {@code key=value} words. Keys the program asks for
 * ({@link #take}) are its own; the rest are AEMP {@code configure} arguments, as a Perl program
 * passes them: {@code profile}, {@code nodeid}, {@code secret}, {@code norc}, {@code force}, and
 * lists separated by commas ({@code binds}, {@code seeds}, {@code framing_format},
 * {@code auth_offer}, {@code auth_accept}, {@code services}). Without arguments a program
 * configures itself from the rc file as Perl's {@code configure} does: the profile named after the
 * host, from {@code $PERL_ANYEVENT_MP_RC} or {@code ~/.perl-anyevent-mp}.
 *
 * <p>Not thread-safe; used by {@code main} only.
 */
final class ExampleArgs {
    private static final List<String> LISTS = List.of("binds", "seeds", "framing_format", "auth_offer",
            "auth_accept", "services");

    private final Map<String, String> words = new LinkedHashMap<>();

    private ExampleArgs(String[] argv) {
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            words.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    /** Parses {@code key=value} words. @throws IllegalArgumentException for a word without '=' */
    static ExampleArgs parse(String[] argv) {
        return new ExampleArgs(argv);
    }

    /** Removes and returns the program's own argument {@code key}, or {@code fallback}. */
    String take(String key, String fallback) {
        String v = words.remove(key);
        return v != null ? v : fallback;
    }

    /** The {@code configure} arguments: every word not taken, with the list keys split at commas. */
    Map<String, Object> configureArgs() {
        Map<String, Object> args = new LinkedHashMap<>();
        words.forEach((k, v) -> args.put(k, LISTS.contains(k) ? Arrays.asList(v.split(",")) : v));
        return args;
    }

    /** AEMP {@code configure}: starts a node from the rc file and these arguments. */
    Node configure() throws IOException {
        Map<String, Object> args = configureArgs();
        Object profile = args.remove("profile");
        return Node.configure(profile == null ? null : profile.toString(), args);
    }
}
