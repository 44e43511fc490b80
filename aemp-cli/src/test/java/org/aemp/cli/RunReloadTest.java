package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aemp.config.PrettyJson;
import org.aemp.config.RcFile;
import org.aemp.tls.CertificateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code aemp run} re-reads its certificate from the rc file on SIGHUP and keeps running. */
@Timeout(120)
class RunReloadTest {
    @TempDir
    Path dir;

    private static String rc(String pem) {
        return PrettyJson.write(Map.of("version", 1, "profile", Map.of("tls", Map.of(
                "nodeid", "tls-node", "binds", List.of("127.0.0.1:0"), "cert", pem))));
    }

    @Test
    void sighupReloadsTheCertificate() throws Exception {
        Path rcPath = dir.resolve("rc");
        Files.writeString(rcPath, rc(CertificateGenerator.selfSigned()));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "tls");
        pb.environment().put(RcFile.ENV_RC, rcPath.toString());
        pb.environment().put("HOME", dir.toString());
        pb.redirectOutput(dir.resolve("run.out").toFile());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            awaitLine(err, lines, "is up");
            Files.writeString(rcPath, rc(CertificateGenerator.selfSigned())); // a new certificate
            hangup(p);
            assertThat(awaitLine(err, lines, "certificate")).isEqualTo("aemp run: node tls-node: certificate reloaded");

            Files.writeString(rcPath, rc("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"));
            hangup(p);
            assertThat(awaitLine(err, lines, "certificate")).startsWith("aemp run: SIGHUP: certificate not reloaded:");
            assertThat(p.isAlive()).as("a bad certificate does not stop the node").isTrue();

            p.toHandle().destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("stderr was %s", lines).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    /** SIGHUP through the shell's kill builtin (Java cannot send a signal other than TERM and KILL). */
    private static void hangup(Process p) throws Exception {
        new ProcessBuilder("sh", "-c", "kill -HUP " + p.pid()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private static String awaitLine(BufferedReader err, List<String> lines, String part) throws Exception {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            lines.add(line);
            if (line.contains(part)) {
                return line;
            }
        }
        throw new AssertionError("no line with '" + part + "'; stderr was " + lines);
    }
}
