package org.aemp.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of {@code aemp}: dispatches the first word to a command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("Usage: aemp subcommand ... (try 'aemp demo')");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "demo":
                return new Demo(out).run(rest);
            default:
                err.println(args[0] + ": no such aemp command");
                return 2;
        }
    }
}
