package org.aemp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may start a handshake: the caps, the eviction of the oldest, and the growing delay after failed auth. */
class AdmissionTest {
    private long now = 5_000_000_000L;
    private final List<String> evicted = new ArrayList<>();

    private Admission admission(int max, int perAddress) {
        return new Admission(max, perAddress, Duration.ofSeconds(5), () -> now);
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void oneAddressGetsNoMoreThanItsShareAndAFinishedHandshakeFreesItsPlace() throws Exception {
        Admission a = admission(100, 3);
        InetAddress x = ip("10.0.0.1");
        Admission.Ticket t1 = a.admit(x, () -> evicted.add("t1"));
        assertThat(a.admit(x, () -> { })).isNotNull();
        assertThat(a.admit(x, () -> { })).isNotNull();
        assertThat(a.admit(x, () -> { })).as("a fourth from the same address").isNull();
        assertThat(a.admit(ip("10.0.0.2"), () -> { })).as("another address").isNotNull();
        t1.done(false, false);
        t1.done(false, false); // idempotent
        assertThat(a.admit(x, () -> { })).isNotNull();
        assertThat(a.open()).isEqualTo(4);
        assertThat(evicted).isEmpty();
    }

    @Test
    void beyondTheOverallCapTheOldestUnfinishedHandshakeMakesRoom() throws Exception {
        Admission a = admission(3, 10);
        for (int i = 1; i <= 5; i++) {
            String name = "t" + i;
            assertThat(a.admit(ip("10.0.0." + i), () -> evicted.add(name))).isNotNull();
        }
        assertThat(evicted).containsExactly("t1", "t2");
        assertThat(a.open()).isEqualTo(3);
    }

    @Test
    void failedAuthenticationsFromOneAddressMakeItWaitLongerEachTimeUpToTheCap() throws Exception {
        Admission a = admission(100, 100);
        InetAddress x = ip("10.0.0.9");
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Admission.Ticket t = a.admit(x, () -> { });
            delays.add(Duration.ofNanos(t.delayNanos()).toMillis());
            now += Duration.ofSeconds(1).toNanos();
            t.done(true, false);
        }
        assertThat(delays).containsExactly(0L, 50L, 100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        assertThat(a.admit(ip("10.0.0.10"), () -> { }).delayNanos()).as("other addresses are not slowed").isZero();
    }

    @Test
    void aSuccessOrAMinuteWithoutFailuresStartsOver() throws Exception {
        Admission a = admission(100, 100);
        InetAddress x = ip("10.0.0.9");
        for (int i = 0; i < 4; i++) {
            a.admit(x, () -> { }).done(true, false);
        }
        assertThat(a.admit(x, () -> { }).delayNanos()).isEqualTo(Duration.ofMillis(400).toNanos());
        a.admit(x, () -> { }).done(false, true);
        assertThat(a.admit(x, () -> { }).delayNanos()).as("after a success").isZero();
        for (int i = 0; i < 4; i++) {
            a.admit(x, () -> { }).done(true, false);
        }
        now += Admission.FORGET_AFTER.toNanos() + 1;
        assertThat(a.admit(x, () -> { }).delayNanos()).as("a minute later").isZero();
    }

    @Test
    void theTableOfPenalisedAddressesIsBounded() throws Exception {
        Admission a = admission(10, 10);
        for (int i = 0; i < Admission.MAX_PENALTIES + 100; i++) {
            byte[] b = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
            a.admit(InetAddress.getByAddress(b), () -> { }).done(true, false);
        }
        // the first addresses were forgotten, the last are still slowed
        assertThat(a.admit(InetAddress.getByAddress(new byte[] {10, 0, 0, 0}), () -> { }).delayNanos()).isZero();
        int last = Admission.MAX_PENALTIES + 99;
        byte[] b = {10, (byte) (last >> 16), (byte) (last >> 8), (byte) last};
        assertThat(a.admit(InetAddress.getByAddress(b), () -> { }).delayNanos()).isPositive();
    }
}
