package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.aemp.NodeConfig;
import org.aemp.config.Profiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigCommandsTest {
    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = Cli.in(dir);
    }

    // ---- golden replays of the commands that made the Perl files

    @Test
    void replayingTheCommandsThatMadePerlWrittenRcGivesTheSameFile() {
        Cli.Result r = cli.run("setsecret", "interop-secret", "setseeds", "127.0.0.1:4040",
                "profile", "seed", "setbinds", "*:4040", "setservices", "[\"AnyEvent::MP::Global::\"]",
                "profile", "worker", "setparent", "seed", "setnodeid", "worker/%n/%u", "setmonitor_timeout", "20");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(cli.rc()).isEqualTo(Cli.golden("perl-written.rc"));
    }

    @Test
    void replayingTheEditsOnPerlWrittenRcGivesPerlAfterEditsRc() {
        cli.withGoldenRc("perl-written.rc");

        Cli.Result r = cli.run("profile", "worker", "delnodeid", "addseed", "127.0.0.1:4041", "delseed", "127.0.0.1:4040",
                "profile", "seed", "addbind", "127.0.0.1:4999", "delprofile", "worker");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(cli.rc()).isEqualTo(Cli.golden("perl-after-edits.rc"));
        assertThat(Files.exists(Path.of(cli.rcPath() + "~"))).as("the old file is kept as <file>~").isTrue();
    }

    @Test
    void showprofilePrintsPerlsOutputForTheGoldenFile() {
        cli.withGoldenRc("perl-written.rc");

        Cli.Result r = cli.run("showprofile", "worker");

        assertThat(r.status()).isZero();
        assertThat(Cli.parse(r.out(), "stdout")).isEqualTo(Cli.golden("perl-written.showprofile-worker.json"));
        assertThat(r.out()).startsWith("{\n   \"").endsWith("}\n");
    }

    @Test
    void showprofileOfAMissingOrPerlFalseProfileIsEmptyAndOfANonObjectFails() {
        cli.withRc("{\"version\":1,\"profile\":{\"zero\":\"0\",\"list\":[1],\"p\":{\"a\":1}}}");

        assertThat(cli.run("showprofile", "none").out()).isEqualTo("{}\n");
        assertThat(cli.run("showprofile", "zero").out()).isEqualTo("{}\n");
        assertThat(cli.run("showprofile", "p").out()).isEqualTo("{\n   \"a\" : 1\n}\n");
        Cli.Result list = cli.run("showprofile", "list");
        assertThat(list.status()).isEqualTo(1);
        assertThat(list.err()).isEqualTo("profile 'list' must be a JSON object, found array [ 1 ]\n");
    }

    @Test
    void showconfigPrintsPerlsEffectiveConfigurationForTheGoldenFile() {
        cli.withGoldenRc("perl-written.rc");

        Cli.Result r = cli.run("showconfig", "worker");

        assertThat(r.status()).isZero();
        assertThat(Cli.parse(r.out(), "stdout")).isEqualTo(Cli.golden("perl-written.showconfig-worker.json"));
    }

    @Test
    void showAndShowconfigChangeNothing() {
        cli.withGoldenRc("perl-written.rc");
        String before = cli.rcText();

        assertThat(cli.run("showprofile", "worker", "showconfig", "seed").status()).isZero();

        assertThat(cli.rcText()).isEqualTo(before);
        assertThat(Files.exists(Path.of(cli.rcPath() + "~"))).as("not saved, so no backup").isFalse();
    }

    @Test
    void showconfigWithoutArgumentsUsesTheHostNameAndTheDefaults() {
        Cli.Result r = cli.run("showconfig");

        assertThat(r.status()).isZero();
        assertThat(Cli.parse(r.out(), "stdout")).isEqualTo(Cli.golden("spec-4.7-showconfig-no-rc.json"));
        assertThat(Files.exists(cli.rcPath())).isFalse();

        cli.withRc("{\"profile\":{\"" + Cli.HOST + "\":{\"nodeid\":\"h/\"}}}");
        assertThat(Cli.parse(cli.run("showconfig").out(), "stdout")).containsEntry("nodeid", "h/");
    }

    @Test
    void showconfigTakesConfigureArgumentsIncludingForce() {
        cli.withGoldenRc("spec-4.6-chained.rc");

        Map<String, Object> normal = Cli.parse(cli.run("showconfig", "p1", "secret", "override").out(), "stdout");
        Map<String, Object> forced = Cli.parse(cli.run("showconfig", "p1", "secret", "override",
                "binds", "[\"x:1\"]", "force", "1").out(), "stdout");

        assertThat(normal).containsEntry("secret", "abc").containsEntry("monitor_timeout", "20")
                .containsEntry("nodelay", "0").doesNotContainKeys("parent", "profile");
        assertThat(forced).containsEntry("secret", "override").containsEntry("binds", List.of("x:1"))
                .containsEntry("monitor_timeout", 30L)
                .containsEntry("framing_format", List.of("cbor", "json", "storable"));
    }

    @Test
    void theChainedExampleOfTheSpecWritesItsRcFile() {
        cli.withRc("{\"version\":1,\"secret\":\"abc\"}");

        Cli.Result r = cli.run("profile", "p1", "binds", "*:4040,127.0.0.1:*", "seeds", "h1:4040,h2:4040",
                "nodeid", "p1/%n/%u", "parent", "base", "profile", "base", "monitor_timeout", "20", "secure", "1",
                "nodelay", "0", "framing_format", "[\"json\",\"storable\"]");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(cli.rc()).isEqualTo(Cli.golden("spec-4.6-chained.rc"));
        assertThat(cli.rcText()).startsWith("{\n   \"version\" : 1,\n").endsWith("}\n\n");
    }

    // ---- arguments, aliases, scope

    @Test
    void plainWordsAreStringsAndJsonArgumentsKeepTheirType() {
        assertThat(cli.run("monitor_timeout", "20", "secure", "true").status()).isZero();
        assertThat(cli.rc()).containsEntry("monitor_timeout", "20").containsEntry("secure", "true");

        assertThat(cli.run("[\"setmonitor_timeout\", 20, \"secure\", true, \"nodeid\", null]").status()).isZero();
        assertThat(cli.rc()).containsEntry("monitor_timeout", 20L).containsEntry("secure", true)
                .containsEntry("nodeid", null);

        assertThat(cli.run("secret", "\"[abc\"", "autocork", "{\"a\":[1]}").status()).isZero();
        assertThat(cli.rc()).containsEntry("secret", "[abc").containsEntry("autocork", Map.of("a", List.of(1L)));
    }

    @Test
    void listArgumentsAreJsonValuesOrCommaSplitWords() {
        assertThat(cli.run("setbinds", ",a,,b,,", "setseeds", "", "setservices", "[[\"f\",1]]").status()).isZero();
        assertThat(cli.rc()).containsEntry("binds", List.of("", "a", "", "b")).containsEntry("seeds", List.of())
                .containsEntry("services", List.of(List.of("f", 1L)));

        // as in Perl: a JSON string or number is split like a word; true/objects are stored as given
        assertThat(cli.run("[\"binds\", 4040, \"seeds\", \"a,b\", \"services\", true]").status()).isZero();
        assertThat(cli.rc()).containsEntry("binds", List.of("4040")).containsEntry("seeds", List.of("a", "b"))
                .containsEntry("services", true);
    }

    static Stream<Arguments> aliases() {
        return Stream.of("nodeid", "secret", "seeds", "binds", "services", "parent", "secure", "monitor_timeout",
                "connect_interval", "framing_format", "auth_offer", "auth_accept", "autocork", "nodelay")
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("aliases")
    void theShortNameDoesWhatTheSetCommandDoes(String key) {
        assertThat(cli.run(key, "x,y").status()).isZero();
        Map<String, Object> viaAlias = cli.rc();
        assertThat(cli.run("del" + key).status()).isZero();
        assertThat(cli.rc()).doesNotContainKey(key);
        assertThat(cli.run("set" + key, "x,y").status()).isZero();
        assertThat(cli.rc()).isEqualTo(viaAlias).containsKey(key);
    }

    @Test
    void certAliasReadsAFile() throws Exception {
        Path pem = dir.resolve("node.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

        assertThat(cli.run("cert", pem.toString()).status()).isZero();

        assertThat(cli.rc()).containsEntry("cert", Files.readString(pem));
    }

    @Test
    void commandsWithoutAliasesAreUnknownByTheShortName() {
        for (String word : List.of("bind", "seed", "service", "eval2", "cert2")) {
            assertThat(cli.run(word, "x").status()).as(word).isEqualTo(2);
        }
        assertThat(cli.run("gensecret", "x").err()).startsWith("x: no such aemp command");
        assertThat(cli.run("eval").err()).contains(NetworkCommands.NO_ID);
        assertThat(cli.run("bind", "x").err()).isEqualTo("bind: no such aemp command (try 'aemp help')\n");
    }

    @Test
    void profileScopesTheFollowingCommands() {
        Cli.Result r = cli.run("gensecret", "profile", "xyzzy", "binds", "4040,4041", "nodeid", "anon/");

        assertThat(r.status()).isZero();
        Map<String, Object> rc = cli.rc();
        assertThat((String) rc.get("secret")).hasSize(180).matches("[0-9A-Za-z]+");
        assertThat(rc.get("profile")).isEqualTo(Map.of("xyzzy", Map.of("binds", List.of("4040", "4041"),
                "nodeid", "anon/")));
    }

    @Test
    void gensecretMakesDifferentSecrets() {
        assertThat(ConfigCommands.newSecret()).hasSize(180).matches("[0-9A-Za-z]{180}")
                .isNotEqualTo(ConfigCommands.newSecret());
    }

    @Test
    void gencertStoresACertificateThenItsKey() {
        assertThat(cli.run("profile", "tls", "gencert").status()).isZero();

        @SuppressWarnings("unchecked")
        String cert = (String) ((Map<String, Object>) ((Map<String, Object>) cli.rc().get("profile")).get("tls"))
                .get("cert");
        assertThat(cert).startsWith("-----BEGIN CERTIFICATE-----").contains("-----BEGIN PRIVATE KEY-----");
        assertThat(cert.indexOf("CERTIFICATE")).isLessThan(cert.indexOf("PRIVATE KEY"));
    }

    @Test
    void profileAloneAndDelprofileOfNothingStillSave() {
        assertThat(cli.run("profile", "empty").status()).isZero();
        assertThat(cli.rc()).isEqualTo(Map.of("version", 1L, "profile", Map.of("empty", Map.of())));

        assertThat(cli.run("delprofile", "nosuch", "delprofile", "empty").status()).isZero();
        assertThat(cli.rc()).isEqualTo(Map.of("version", 1L, "profile", Map.of()));
    }

    @Test
    void afterDelprofileOfTheCurrentScopeChangesGoToADetachedCopy() {
        assertThat(cli.run("profile", "x", "nodeid", "a", "delprofile", "x", "secret", "lost").status()).isZero();

        assertThat(cli.rc()).isEqualTo(Map.of("version", 1L, "profile", Map.of()));
    }

    @Test
    void addAndDelOfSeedsBindsAndServicesWorkOnTheCurrentScope() {
        assertThat(cli.run("addseed", "a", "addseed", "b", "addseed", "a", "delbind", "x",
                "addservice", "s", "addservice", "s", "addservice", "[1]", "delservice", "s", "delservice", "[1]")
                .status()).isZero();

        assertThat(cli.rc()).containsEntry("seeds", List.of("b", "a"))
                .containsEntry("binds", List.of())               // delbind on nothing leaves [] (no listener)
                .containsEntry("services", List.of("s", List.of(1L))); // arrays never match
    }

    @Test
    void addingToAValueThatIsNotAnArrayFails() {
        Cli.Result r = cli.run("binds", "{\"a\":1}", "addbind", "x");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("binds", "must be a JSON array", "object");
        assertThat(cli.rc()).containsEntry("binds", Map.of("a", 1L));
    }

    // ---- errors and saving

    static Stream<Arguments> missingArguments() {
        return Stream.of(
                Arguments.of("setnodeid", "shared secret missing"),
                Arguments.of("nodeid", "shared secret missing"),
                Arguments.of("setsecret", "shared secret missing"),
                Arguments.of("secret", "shared secret missing"),
                Arguments.of("setcert", "key+certificate pem filename missing"),
                Arguments.of("setseeds", "seed addresses missing"),
                Arguments.of("addseed", "seed address missing"),
                Arguments.of("delseed", "seed address missing"),
                Arguments.of("setbinds", "bind addresses missing"),
                Arguments.of("addbind", "bind address missing"),
                Arguments.of("delbind", "bind address missing"),
                Arguments.of("setservices", "service specifications missing"),
                Arguments.of("addservice", "service specification missing"),
                Arguments.of("delservice", "service specification missing"),
                Arguments.of("seteval", "eval string missing"),
                Arguments.of("profile", "profile name is missing"),
                Arguments.of("delprofile", "profile name is missing"),
                Arguments.of("setparent", "profile name is missing"),
                Arguments.of("showprofile", "profile name is missing"),
                Arguments.of("setsecure", "secure value is missing"),
                Arguments.of("monitor_timeout", "monitor_timeout value is missing"),
                Arguments.of("setconnect_interval", "connect_interval value is missing"),
                Arguments.of("setframing_format", "framing_format value is missing"),
                Arguments.of("auth_offer", "auth_offer value is missing"),
                Arguments.of("setauth_accept", "auth_accept value is missing"),
                Arguments.of("setautocork", "autocork value is missing"),
                Arguments.of("nodelay", "nodelay value is missing"));
    }

    @ParameterizedTest
    @MethodSource("missingArguments")
    void aMissingArgumentIsAUsageErrorWithPerlsMessage(String command, String message) {
        Cli.Result r = cli.run(command);

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(message + "\n");
        assertThat(Files.exists(cli.rcPath())).isFalse();
    }

    @Test
    void nodeidThenSecretWithoutArgumentStoresTheNodeidAndFails() {
        Cli.Result r = cli.run("nodeid", "a", "secret");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("shared secret missing\n");
        assertThat(cli.rc()).isEqualTo(Map.of("version", 1L, "nodeid", "a"));
    }

    @Test
    void anUnknownCommandAfterAChangeStillSaves() {
        Cli.Result r = cli.run("nodeid", "a", "bogus", "secret", "s");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("bogus: no such aemp command");
        assertThat(cli.rc()).isEqualTo(Map.of("version", 1L, "nodeid", "a"));
    }

    @Test
    void aMalformedJsonArgumentStopsEverythingBeforeAnyCommandRuns() {
        Cli.Result r = cli.run("nodeid", "a", "seeds", "{bad");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("malformed JSON in argument 4 '{bad': ").contains("character offset 1");
        assertThat(Files.exists(cli.rcPath())).isFalse();
    }

    @Test
    void aMalformedSecretIsNotEchoed() {
        Cli.Result r = cli.run("nodeid", "a", "secret", "\"hunter2-very-secret");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("malformed JSON in argument 4, the value of secret (not shown, it may hold a"
                + " secret) (at character offset 20)\n");
        assertThat(Files.exists(cli.rcPath())).isFalse();
    }

    @Test
    void anArgumentNotValidInTheLocalesEncodingIsRefusedNotStored() {
        // what the JVM makes of "\u00e9" typed under LANG=C
        Cli.Result r = cli.run("nodeid", "a", "secret", "\uFFFD\uFFFD");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("argument 4 is not valid in the locale's character encoding (")
                .contains("UTF-8 locale").contains("\\u escapes").doesNotContain("\uFFFD");
        assertThat(Files.exists(cli.rcPath())).isFalse();
    }

    @Test
    void aMalformedRcFileIsReportedAndNeverOverwritten() throws Exception {
        String broken = "{\n   \"version\" : 1,\n   \"secret\" : \"abc\" \"seeds\" : []\n}\n";
        cli.withRc(broken);

        Cli.Result r = cli.run("nodeid", "a");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(cli.rcPath().toString(), "line 3, column", "left as it is");
        assertThat(cli.rcText()).isEqualTo(broken);
        assertThat(Files.exists(Path.of(cli.rcPath() + "~"))).isFalse();
        assertThat(Files.exists(Path.of(cli.rcPath() + "~new~"))).isFalse();

        Cli.Result show = cli.run("showconfig");
        assertThat(show.status()).isEqualTo(1);
        assertThat(show.out()).isEmpty();
    }

    @Test
    void anRcFileBrokenAfterLoadingIsNotOverwrittenAtTheEnd() throws Exception {
        cli.withRc("{\"version\":1}");
        CommandTable.Builder b = CommandTable.builder();
        ConfigCommands.register(b);
        b.add("breakrc", CommandTable.Group.OTHER, "", "test: someone else breaks the file", (s, a) -> cli.withRc("{ broken"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Dispatcher(b.build(), cli.env(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {"nodeid", "a", "breakrc"});

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(cli.rcPath().toString(), "refusing to overwrite",
                "line 1, column");
        assertThat(cli.rcText()).isEqualTo("{ broken");
    }

    @Test
    void anUnreadableCertFileFailsWithTheFileName() {
        Cli.Result r = cli.run("setcert", dir.resolve("nope.pem").toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(dir.resolve("nope.pem") + ": No such file or directory\n");
    }

    @Test
    void rcFileErrorsNameTheFileAndTheReasonAsPerlDoes() throws Exception {
        Path missingDir = dir.resolve("missing").resolve("aemp.rc");
        Cli.Result write = Cli.in(dir.resolve("missing")).run("nodeid", "a");
        assertThat(write.status()).isEqualTo(1);
        assertThat(write.err()).isEqualTo("cannot write the rc file: " + missingDir + "~new~: No such file or directory\n");

        Files.createDirectory(cli.rcPath());
        Cli.Result read = cli.run("nodeid", "a");
        assertThat(read.status()).isEqualTo(1);
        assertThat(read.err()).isEqualTo("cannot read the rc file: " + cli.rcPath() + ": Is a directory\n");
    }

    @Test
    void exitStatusesAreZeroOneOrTwo() {
        assertThat(cli.run().status()).isEqualTo(2);
        assertThat(cli.run().err()).isEqualTo(Dispatcher.USAGE + "\n");
        assertThat(cli.run("[]").status()).isEqualTo(2);
        assertThat(cli.run("nosuch").status()).isEqualTo(2);
        assertThat(cli.run("[5]").err()).startsWith("5: no such aemp command");
        assertThat(cli.run("secret", "s").status()).isZero();
        assertThat(cli.run("snd").status()).isEqualTo(2);
        assertThat(cli.run("setcert", "").status()).isEqualTo(1);
    }

    @Test
    void runIsACommandOnlyAsTheFirstWord() {
        Cli.Result bad = cli.run("run", "p", "monitor_timeout", "soon");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).startsWith("run: ").contains("monitor_timeout");
        Cli.Result r = cli.run("nodeid", "x", "run");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("run: no such aemp command");
    }

    @Test
    void helpListsTheCommandsWithTheirAliases() {
        Cli.Result r = cli.run("help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: aemp <command>").contains("setbinds, binds", "showconfig", "gensecret")
                .doesNotContain("--help");
        assertThat(cli.run("--help").out()).isEqualTo(r.out());
        assertThat(cli.run("help", "binds").out()).startsWith("Usage: aemp setbinds <list>   (also: binds)");
        assertThat(cli.run("help", "nosuch").status()).isEqualTo(2);
        assertThat(Files.exists(cli.rcPath())).isFalse();
    }

    /** The Java-only keys a profile takes, stored with the tool's set commands, reach the node's configuration. */
    @Test
    void theJavaOnlyKeysStoredWithSetCommandsConfigureANode() {
        Cli.Result r = cli.run("profile", "p", "setclose_timeout", "2.5", "setlink_busy_threshold", "2097152",
                "setlink_backlog_limit", "33554432", "setlink_chunk_size", "0", "setmailbox_busy_messages", "500",
                "setmailbox_busy_bytes", "1048576", "setinline_callbacks", "1", "setliveness_timeout", "7");
        assertThat(r.status()).as(r.err()).isZero();

        NodeConfig c = NodeConfig.builder(Profiles.of(cli.rc(), () -> "host").configure(Map.of("profile", "p"))).build();

        assertThat(c.closeTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.linkBusyThreshold()).isEqualTo(2_097_152);
        assertThat(c.linkBacklogLimit()).isEqualTo(33_554_432);
        assertThat(c.linkChunkSize()).isZero();
        assertThat(c.mailboxBusyMessages()).isEqualTo(500);
        assertThat(c.mailboxBusyBytes()).isEqualTo(1_048_576);
        assertThat(c.inlineCallbacks()).isTrue();
        assertThat(c.livenessTimeout()).isEqualTo(Duration.ofSeconds(7));
    }
}
