package org.aemp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average over the last minute, as the programs print it beside their figures. Thread-safe. */
final class Load {
    private Load() {
    }

    /** The first field of {@code /proc/loadavg}, or {@code ?} where there is none. */
    static String now() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
