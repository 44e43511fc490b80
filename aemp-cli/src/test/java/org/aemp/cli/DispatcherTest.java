package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.aemp.cli.CommandTable.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherTest {
    @TempDir
    Path dir;

    @Test
    void anUnexpectedExceptionIsOneLineStatusOneAndEarlierChangesAreSaved() throws Exception {
        CommandTable.Builder t = CommandTable.builder();
        ConfigCommands.register(t);
        t.add("boom", Group.OTHER, "", "Fails unexpectedly.", (s, a) -> {
            throw new IllegalStateException("kaput\nsecond line");
        });
        Cli cli = Cli.in(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Dispatcher(t.build(), cli.env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {"nodeid", "a", "boom", "secret", "s"});

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("aemp: unexpected error: java.lang.IllegalStateException: kaput second line\n");
        assertThat(cli.rc()).isEqualTo(Map.of("version", 1L, "nodeid", "a"));
    }
}
