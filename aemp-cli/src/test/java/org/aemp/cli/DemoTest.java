package org.aemp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code aemp demo}, end to end: three nodes on loopback, and a Perl node with --with-perl. */
@Timeout(120)
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsEveryStepExitsZeroAndLeavesTheRcFileAlone() {
        Cli cli = Cli.in(dir);

        Cli.Result r = cli.run("demo");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .containsPattern("seed  is up on 127\\.0\\.0\\.1:\\d+ ")
                .containsPattern("alice is up on 127\\.0\\.0\\.1:\\d+, connected to the seed")
                .contains("1. ping/pong", "  [\"pong\",1]  (")
                .contains("2. spawn", "\"inc\" -> \"count\",42")
                .contains("3. monitor", "the monitor on alice fired: \"demo_done\",\"bye\"")
                .contains("4. cal", "cal bob#add 2 3 -> 5")
                .contains("5. database", "db_keys demo_greeters -> [\"bob#greeter\"]",
                        "it answered [\"hello alice, this is bob\"]")
                .doesNotContain("6. Perl")
                .endsWith("demo finished: every step worked\n");
        assertThat(Files.exists(cli.rcPath())).as("the rc file was not written").isFalse();
    }

    @Test
    void withPerlButNoPerlLibraryItSaysWhatIsNeededAndRunsNothing() {
        Cli.Result r = Cli.in(dir).run("demo", "--with-perl");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("demo --with-perl needs Perl's AnyEvent::MP 2.02: set AEMP_PERL5LIB")
                .contains("(AEMP_PERL5LIB is not set)");
    }

    @Test
    void withPerlAndALibraryWithoutAnyEventMpItSaysSo() {
        Cli.Result r = Cli.in(dir).with(e -> e.withVariable(PerlPeer.PERL5LIB, dir.toString())).run("demo", "--with-perl");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("no AnyEvent/MP.pm under AEMP_PERL5LIB=" + dir);
    }

    @Test
    void anUnknownDemoArgumentIsAUsageError() {
        Cli.Result r = Cli.in(dir).run("demo", "--fast");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("demo: unknown argument '--fast' (the options are --with-perl and --observe[=<host>:<port>])\n");
    }

    @Test
    void withPerlAPerlNodeJoinsAndAnswersPingAndSpawn() {
        String lib = System.getenv(PerlPeer.PERL5LIB);
        assumeTrue(lib != null && !lib.isBlank(),
                "AEMP_PERL5LIB is not set: set it to AnyEvent::MP 2.02's lib folder to run the demo with Perl");

        Cli.Result r = Cli.in(dir).with(e -> e.withVariable(PerlPeer.PERL5LIB, lib)).run("demo", "--with-perl");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("6. Perl", "perl is up; it said [\"ready\",\"perl\",\"AnyEvent::MP 2.0")
                .containsPattern("Perl answered \\[\"pong\",1,\"perl 5\\.\\d+\\.\\d+\"\\]")
                .contains("(DemoPeer::counter(41), in Perl)", "\"inc\" -> \"count\",42")
                .contains("stopped the Perl node with SIGTERM: exit status 0")
                .endsWith("demo finished: every step worked\n");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Cli.Result r = Cli.in(dir).run("nosuch");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("nosuch: no such aemp command");
    }
}
