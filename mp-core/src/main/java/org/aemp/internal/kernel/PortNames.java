package org.aemp.internal.kernel;

/**
 * Makes port names the way AEMP 2.02 does, so that names made here never collide with each other
 * or with names chosen by remote spawners, and are never reused while the node lives.
 *
 * <ul>
 *   <li>Local ports: a 9-character random prefix and a lower-case counter ({@code x5dSqUXvpb}), or
 *       the bare counter ({@code b}, {@code c}, ... {@code aa}) on a node whose id already holds a
 *       random part.
 *   <li>Ports this node spawns elsewhere: this process's {@code RUNIQ} (10 characters, the last one
 *       upper-case or a digit) and the same counter ({@code gWCoSCZmgVc}).
 * </ul>
 * Because the tenth character of a local name is always a lower-case letter and that of a spawn
 * name never is, the two kinds cannot collide. Thread-safe.
 */
public final class PortNames {
    private final String localPrefix;
    private final String runiq;
    private String counter = "a"; // guarded by this

    /**
     * @param runiq this process's RUNIQ, used for spawn names
     * @param bareCounters true if the node id holds a random part, so local names drop the prefix
     */
    public PortNames(String runiq, boolean bareCounters) {
        this(runiq, bareCounters ? "" : Ids.random(9));
    }

    /** With a fixed local prefix (empty for bare counters). */
    public PortNames(String runiq, String localPrefix) {
        this.runiq = runiq;
        this.localPrefix = localPrefix;
    }

    private synchronized String next() {
        counter = Ids.increment(counter);
        return counter;
    }

    /** A new name for a local port. */
    public String newLocalName() {
        return localPrefix + next();
    }

    /** A new name for a port this node spawns on another node. */
    public String newSpawnName() {
        return runiq + next();
    }
}
