package org.aemp.cli;

import java.io.IOException;
import java.util.Map;
import org.aemp.Node;
import org.aemp.NodeConfig;
import org.aemp.observe.Observer;

/**
 * {@code aemp observe}: starts a node from the rc file as {@code run} does, serves the page of
 * {@link Observer} from it, prints the page's address on stdout (with the token when public),
 * and runs until the {@link Environment.RunControl} says stop. Stateless.
 */
final class ObserveCommand {
    private ObserveCommand() {
    }

    static void run(Session s, Arguments a) {
        ObserveArguments words = ObserveArguments.parse(a.rest());
        Observer.Options options;
        try {
            Observer.Options.Builder b = Observer.Options.builder().publicAccess(words.publicAccess())
                    .families(words.families());
            if (words.http() != null) {
                b.http(words.http());
            }
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw CommandException.usage("observe: " + e.getMessage());
        }
        Map<String, Object> args = NetworkCommands.configureArguments(words.nodeWords());
        NetworkCommands.Configured configured = NetworkCommands.configure(s, args, "observe");
        NodeConfig config = configured.config();
        String profile = configured.profile();
        NetworkCommands.runUntilStopped(s, configured, "observe", node -> {
            Observer observer = start(node, options);
            s.err().println("aemp observe: node " + node.id() + " is up (profile " + profile + "), seeds "
                    + (config.seeds().isEmpty() ? "none" : String.join(" ", config.seeds()))
                    + ". Open the page below; stop with Ctrl-C or SIGTERM.");
            s.out().println(observer.url());
            s.out().flush();
            return observer;
        });
    }

    private static Observer start(Node node, Observer.Options options) {
        try {
            return Observer.start(node, options);
        } catch (IOException | IllegalArgumentException e) {
            node.close();
            throw CommandException.failure("observe: " + e.getMessage(), e);
        }
    }

    /** For {@code demo --observe}: the options from a {@code host:port} text, or the defaults. */
    static Observer.Options options(String http) {
        Observer.Options.Builder b = Observer.Options.builder();
        if (http != null) {
            b.http(http);
        }
        return b.build();
    }
}
