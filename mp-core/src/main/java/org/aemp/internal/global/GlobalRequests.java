package org.aemp.internal.global;

import java.util.List;
import org.aemp.internal.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code g_*} node-port requests (NETWORK.md §7): reads each one's arguments off the wire and
 * hands it to the side that answers it: the {@link Leaf} for answers to its own requests, the
 * {@link GlobalRole} for the rest, which only a global node answers.
 *
 * <p>Not thread-safe; confined to the global service's executor.
 */
final class GlobalRequests {
    private static final Logger log = LoggerFactory.getLogger(GlobalService.class);

    private final String self;
    private final Leaf leaf;
    private final GlobalRole role;

    GlobalRequests(String self, Leaf leaf, GlobalRole role) {
        this.self = self;
        this.leaf = leaf;
        this.role = role;
    }

    /**
     * Handles one request from {@code source}.
     *
     * @throws IllegalArgumentException if an argument is missing
     */
    void handle(String source, String tag, List<Object> a) {
        switch (tag) {
            case "g_global" -> role.globalHello(source);
            case "g_slave" -> role.slave(source, a.isEmpty() ? null : Values.map(a.get(0)));
            case "g_reply" -> leaf.reply(Values.perlString(arg(a, 0)), a.size() > 1 ? a.get(1) : null);
            case "g_found" -> leaf.found(Values.perlString(arg(a, 0)), Values.keys(a.size() > 1 ? a.get(1) : null));
            case "g_chg1" -> {
                if (source.equals(leaf.master())) {
                    leaf.changed(Values.perlString(arg(a, 0)), Values.map(a.size() > 1 ? a.get(1) : null), null, true);
                }
            }
            case "g_chg2" -> {
                if (source.equals(leaf.master())) {
                    leaf.changed(Values.perlString(arg(a, 0)), Values.map(a.size() > 1 ? a.get(1) : null),
                            Values.keys(a.size() > 2 ? a.get(2) : null), false);
                }
            }
            default -> {
                if (!role.isGlobal()) {
                    log.warn("global request {} from {} ignored: {} is not a global node", SafeText.of(tag),
                            SafeText.of(source), self);
                    return;
                }
                globalRequest(source, tag, a);
            }
        }
    }

    /** Requests only global nodes answer. */
    private void globalRequest(String source, String tag, List<Object> a) {
        switch (tag) {
            case "g_set" -> role.set(source, Values.map(arg(a, 0)));
            case "g_upd" -> role.update(source, Values.perlString(arg(a, 0)), Values.map(a.size() > 1 ? a.get(1) : null),
                    Values.keys(a.size() > 2 ? a.get(2) : null));
            case "g_find" -> role.find(source, Values.perlString(arg(a, 0)));
            case "g_db_family", "g_db_keys", "g_db_values" -> {
                String family = Values.perlString(arg(a, 0));
                role.query(source, tag.substring("g_db_".length()), family, arg(a, 1));
            }
            case "g_mon1" -> role.watch(source, Values.perlString(arg(a, 0)));
            case "g_mon0" -> role.unwatch(source, Values.perlString(arg(a, 0)));
            default -> log.warn("unknown global request {} from {}", SafeText.of(tag), SafeText.of(source));
        }
    }

    private static Object arg(List<Object> a, int i) {
        if (a.size() <= i) {
            throw new IllegalArgumentException("argument " + i + " missing");
        }
        return a.get(i);
    }
}
