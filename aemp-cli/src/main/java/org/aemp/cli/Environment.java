package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code aemp} takes from its surroundings, so that tests can give their own: the
 * environment variables (which locate the rc file: {@code PERL_ANYEVENT_MP_RC}, {@code HOME},
 * {@code APPDATA}) and the host name (the default profile of {@code showconfig}, as Perl's
 * {@code uname -n}). Immutable and thread-safe if the supplier is.
 *
 * @param variables the environment variables
 * @param hostName supplies the host name when a command needs it
 */
record Environment(Map<String, String> variables, Supplier<String> hostName) {
    Environment {
        variables = Map.copyOf(requireNonNull(variables, "variables"));
        requireNonNull(hostName, "hostName");
    }

    /** This process's environment and host name. */
    static Environment system() {
        return new Environment(System.getenv(), Environment::systemHostName);
    }

    /** A fixed environment for tests. */
    static Environment of(Map<String, String> variables, String hostName) {
        requireNonNull(hostName, "hostName");
        return new Environment(variables, () -> hostName);
    }

    /** {@code $HOSTNAME}, else what the resolver says, else {@code localhost} (as mp-core's node ids do). */
    private static String systemHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
