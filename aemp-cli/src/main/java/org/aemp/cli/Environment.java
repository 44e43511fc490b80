package org.aemp.cli;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.aemp.Node;
import org.aemp.config.Profiles;

/**
 * What {@code aemp} takes from its surroundings, so that tests can give their own: the
 * environment variables (which locate the rc file: {@code PERL_ANYEVENT_MP_RC}, {@code HOME},
 * {@code APPDATA}; {@code AEMP_PERL5LIB} for {@code demo --with-perl}), the host name (the default
 * profile of {@code showconfig}, as Perl's {@code uname -n}), standard input (for {@code shell}),
 * the time limits of the network commands, and how {@code run} learns that it must stop.
 * Immutable and thread-safe if its parts are.
 *
 * @param variables the environment variables
 * @param hostName supplies the host name when a command needs it
 * @param stdin supplies standard input ({@code shell} reads its lines from it)
 * @param timeouts the time limits of {@code snd}, {@code eval}, {@code restart} and {@code trace}
 * @param runControl tells {@code run} when to stop, and hears when its node is up
 */
record Environment(Map<String, String> variables, Supplier<String> hostName, Supplier<InputStream> stdin,
                   Timeouts timeouts, RunControl runControl) {
    Environment {
        variables = Map.copyOf(requireNonNull(variables, "variables"));
        requireNonNull(hostName, "hostName");
        requireNonNull(stdin, "stdin");
        requireNonNull(timeouts, "timeouts");
        requireNonNull(runControl, "runControl");
    }

    /** This process's environment, host name and standard input; {@code run} stops on SIGTERM or SIGINT. */
    static Environment system() {
        return new Environment(System.getenv(), Environment::systemHostName, () -> System.in, Timeouts.PERL,
                RunControl.SIGNALS);
    }

    /**
     * A fixed environment for tests: empty standard input, Perl's time limits, and a {@code run}
     * that never stops (give a {@link RunControl} with {@link #withRunControl}).
     */
    static Environment of(Map<String, String> variables, String hostName) {
        requireNonNull(hostName, "hostName");
        return new Environment(variables, () -> hostName, () -> InputStream.nullInputStream(), Timeouts.PERL,
                stop -> () -> { });
    }

    /** This environment with one more (or a changed) variable. */
    Environment withVariable(String name, String value) {
        Map<String, String> vars = new java.util.HashMap<>(variables);
        vars.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
        return new Environment(vars, hostName, stdin, timeouts, runControl);
    }

    /** This environment with other time limits. */
    Environment withTimeouts(Timeouts t) {
        return new Environment(variables, hostName, stdin, t, runControl);
    }

    /** This environment with another standard input. */
    Environment withStdin(InputStream in) {
        requireNonNull(in, "in");
        return new Environment(variables, hostName, () -> in, timeouts, runControl);
    }

    /** This environment with another way of stopping {@code run}. */
    Environment withRunControl(RunControl control) {
        return new Environment(variables, hostName, stdin, timeouts, control);
    }

    /**
     * The time limits of the network commands (CONFIG-CLI.md §4.8). {@code cal}, {@code mon} and
     * {@code shell} have none, as in Perl.
     *
     * @param answer how long {@code snd}, {@code eval} and {@code restart} wait for an answer (Perl: 5 s)
     * @param traceQuery how long {@code trace} waits for each node it asks (Perl: 15 s)
     */
    record Timeouts(Duration answer, Duration traceQuery) {
        /** Perl aemp 2.02's limits: 5 s and 15 s. */
        static final Timeouts PERL = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));

        Timeouts {
            requireNonNull(answer, "answer");
            requireNonNull(traceQuery, "traceQuery");
        }
    }

    /**
     * How {@code aemp run} is stopped. The process uses {@link #SIGNALS} (SIGTERM and SIGINT);
     * tests use a trigger of their own.
     */
    @FunctionalInterface
    interface RunControl {
        /** Stops {@code run} on SIGTERM or SIGINT ({@link Signals}). */
        RunControl SIGNALS = Signals::onTerminate;

        /**
         * Arranges for {@code stop} to run (once, on any thread) when the node must stop.
         *
         * @return closes the arrangement (restores the signals' previous handlers)
         */
        AutoCloseable onStop(Runnable stop);

        /** Called by {@code run} once its node is up and its services started. */
        default void started(Node node) {
        }
    }

    /** The host name as node ids see it (AEMP's {@code %n}). */
    private static String systemHostName() {
        return Profiles.hostName();
    }
}
