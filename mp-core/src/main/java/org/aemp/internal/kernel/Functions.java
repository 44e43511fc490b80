package org.aemp.internal.kernel;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The allow-list of functions remote nodes may run here by name (spawn init functions and node-port
 * function calls). Names are kept verbatim, so Perl-style names such as {@code My::Pkg::init}
 * work. Nothing outside this table ever runs. Thread-safe.
 */
final class Functions {
    private final Map<String, PortHandler> table = new ConcurrentHashMap<>();

    /**
     * Registers {@code function} under {@code name}, replacing any earlier one.
     *
     * @return unregisters it (if it is still the registered one)
     */
    Runnable register(String name, PortHandler function) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("function name must not be empty");
        }
        table.put(name, function);
        return () -> table.remove(name, function);
    }

    /** The function registered under {@code name}, if any. */
    Optional<PortHandler> find(String name) {
        return Optional.ofNullable(table.get(name));
    }

    /** True if {@code name} is registered. */
    boolean contains(String name) {
        return table.containsKey(name);
    }
}
