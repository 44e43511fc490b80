package org.aemp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that nobody binds to metrics pays nothing for them: with mp-metrics and Micrometer on the
 * class path, a JVM that runs two nodes ({@link NodeAlone}) loads no Micrometer class and no class
 * of this module. (That mp-core does not depend on Micrometer at all is checked in mp-core.)
 */
class NoMetricsCostTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aNodeWithoutTheBinderLoadsNoMicrometerClass() throws IOException, InterruptedException {
        Path loaded = dir.resolve("classes.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xlog:class+load=info:file=" + loaded,
                "-cp", System.getProperty("java.class.path"), NodeAlone.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).as("the program ended").isTrue();
        assertThat(p.exitValue()).as("exit status; output: %s", Files.readString(dir.resolve("out.log")))
                .isZero();

        List<String> classes = Files.readAllLines(loaded, StandardCharsets.UTF_8);
        assertThat(classes).as("the node ran").anyMatch(l -> l.contains(" org.aemp.Node "));
        assertThat(classes).filteredOn(l -> l.contains(" io.micrometer.")
                || l.contains(" org.aemp.metrics.") && !l.contains(" org.aemp.metrics.NodeAlone")).isEmpty();
    }
}
