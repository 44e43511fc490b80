package org.aemp.internal.kernel;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.aemp.Guard;
import org.aemp.InitFunction;

/**
 * The allow-list of functions remote nodes may run here by name (spawn init functions and node-port
 * function calls). Names are kept verbatim, so Perl-style names such as {@code My::Pkg::init}
 * work. Nothing outside this table ever runs. Thread-safe.
 */
public final class Functions {
    private final Map<String, InitFunction> table = new ConcurrentHashMap<>();

    /**
     * Registers {@code function} under {@code name}, replacing any earlier one.
     *
     * @return a guard that unregisters it (if it is still the registered one)
     */
    public Guard register(String name, InitFunction function) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("function name must not be empty");
        }
        table.put(name, function);
        return () -> table.remove(name, function);
    }

    /** The function registered under {@code name}, if any. */
    public Optional<InitFunction> find(String name) {
        return Optional.ofNullable(table.get(name));
    }

    /** True if {@code name} is registered. */
    public boolean contains(String name) {
        return table.containsKey(name);
    }
}
