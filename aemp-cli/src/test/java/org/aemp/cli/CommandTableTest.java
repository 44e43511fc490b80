package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.aemp.cli.CommandTable.Group;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private final CommandTable table = Main.commands();

    @Test
    void everySetCommandGetsItsShortNameUnlessThatIsACommand() {
        assertThat(table.lookup("nodeid", false)).map(CommandTable.Entry::name).contains("setnodeid");
        assertThat(table.lookup("monitor_timeout", false)).map(CommandTable.Entry::name).contains("setmonitor_timeout");
        assertThat(table.lookup("eval", false)).map(CommandTable.Entry::name).contains("eval");
        assertThat(table.aliasesOf("seteval")).isEmpty();
        assertThat(table.aliasesOf("setbinds")).containsExactly("binds");
    }

    @Test
    void theAliasesAreThoseOfPerlsAempPlusTheJavaOnlyKeys() {
        assertThat(table.names().stream().filter(n -> table.lookup(n, false).map(e -> !e.name().equals(n)).orElse(false)))
                .containsExactlyInAnyOrder("nodeid", "secret", "cert", "seeds", "binds", "services", "parent", "secure",
                        "monitor_timeout", "connect_interval", "framing_format", "auth_offer", "auth_accept",
                        "autocork", "nodelay",
                        // Java only
                        "handshake_timeout", "max_handshakes", "max_handshakes_per_address", "auth_failure_delay",
                        "liveness_timeout", "max_frame_elements", "decode_buffer_budget", "close_timeout",
                        "link_busy_threshold", "link_backlog_limit", "link_chunk_size", "mailbox_busy_messages",
                        "mailbox_busy_bytes", "inline_callbacks");
    }

    @Test
    void theTableHasEveryConfigurationCommandOfAemp202() {
        for (String name : ("profile delprofile setparent delparent setnodeid delnodeid gensecret setsecret delsecret"
                + " gencert setcert delcert setseeds delseeds addseed delseed setbinds delbinds addbind delbind"
                + " setservices delservices addservice delservice seteval deleval showprofile showconfig"
                + " setsecure delsecure setmonitor_timeout delmonitor_timeout setconnect_interval delconnect_interval"
                + " setframing_format delframing_format setauth_offer delauth_offer setauth_accept delauth_accept"
                + " setautocork delautocork setnodelay delnodelay snd cal mon eval shell trace restart").split(" ")) {
            assertThat(table.lookup(name, false)).as(name).isPresent();
        }
    }

    @Test
    void runIsFoundOnlyAsTheFirstWord() {
        assertThat(table.lookup("run", true)).isPresent();
        assertThat(table.lookup("run", false)).isEmpty();
    }

    @Test
    void aNetworkCommandAddedAsAnEntryIsDispatched() {
        CommandTable.Builder b = CommandTable.builder();
        ConfigCommands.register(b);
        StringBuilder seen = new StringBuilder();
        b.add("snd", Group.NETWORK, "<port> <arg>...", "sends", (s, a) -> seen.append(a.rest()));
        CommandTable t = b.build();

        assertThat(t.lookup("snd", false)).isPresent();
        assertThat(t.lookup("eval", false)).map(CommandTable.Entry::name).contains("seteval");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);
        new Dispatcher(t, Environment.of(java.util.Map.of("PERL_ANYEVENT_MP_RC", "/nonexistent/rc"), "h"),
                console, console).run(new String[] {"snd", "a#b", "[1,2]"});
        assertThat(seen).hasToString("[a#b, [1, 2]]");
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("stdout and stderr").isEmpty();
    }

    @Test
    void duplicateNamesAreRejected() {
        CommandTable.Builder b = CommandTable.builder();
        b.add("x", Group.OTHER, "", "x", (s, a) -> { });
        assertThatThrownBy(() -> b.add("x", Group.OTHER, "", "x", (s, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }

    @Test
    void helpForOneCommandShowsItsSynopsisAndDescription() {
        assertThat(table.help(Optional.of("nodeid")))
                .startsWith("Usage: aemp setnodeid <id>   (also: nodeid)")
                .contains("%n is the host name");
        assertThat(table.help(Optional.of("showconfig"))).startsWith("Usage: aemp showconfig [<name> [<key> <value>]...]");
    }
}
