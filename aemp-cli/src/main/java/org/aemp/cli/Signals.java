package org.aemp.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets {@code aemp run} stop cleanly on SIGTERM and SIGINT. The handlers replace the JVM's own,
 * which would start the shutdown sequence and end the process with status 143 or 130; with them,
 * {@code run} closes its node and {@code aemp} exits with status 0, as a daemon should.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal without shutting down. If it refuses a signal (some platforms reserve one), that signal
 * keeps its default action, which ends the process without closing the node. Thread-safe.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code stop} (once, on the JVM's signal thread) on the first SIGTERM or SIGINT. A second
     * one ends the process at once, with status 128 + the signal's number, in case closing hangs.
     *
     * @return restores the previous handlers
     */
    static AutoCloseable onTerminate(Runnable stop) {
        AtomicBoolean fired = new AtomicBoolean();
        SignalHandler handler = s -> {
            if (fired.compareAndSet(false, true)) {
                stop.run();
            } else {
                Runtime.getRuntime().halt(128 + s.getNumber());
            }
        };
        List<Runnable> restore = new ArrayList<>();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler previous = Signal.handle(signal, handler);
                restore.add(() -> Signal.handle(signal, previous));
            } catch (IllegalArgumentException e) {
                // the platform does not let us handle it: keep the default action
            }
        }
        return () -> restore.forEach(Runnable::run);
    }

    /**
     * Runs {@code reload} on every SIGHUP (on the JVM's signal thread), the Unix way of telling a
     * daemon to re-read its configuration. Without it SIGHUP would end the process.
     *
     * @return restores the previous handler
     */
    static AutoCloseable onHangup(Runnable reload) {
        try {
            Signal hup = new Signal("HUP");
            SignalHandler previous = Signal.handle(hup, s -> reload.run());
            return () -> Signal.handle(hup, previous);
        } catch (IllegalArgumentException e) {
            return () -> { }; // the platform does not let us handle it
        }
    }
}
