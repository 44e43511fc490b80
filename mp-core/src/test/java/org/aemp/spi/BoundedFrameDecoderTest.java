package org.aemp.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder base, through a tiny framing of its own ({@link Semicolons}). */
class BoundedFrameDecoderTest {

    /**
     * Frames end with {@code ;} and may be separated by spaces; a frame's message is the list of
     * its characters before the {@code ;}, each a value. {@code !} is invalid, {@code ?} makes
     * the parser fail with an IllegalStateException, {@code #} makes the scanner return a length
     * longer than the bytes it was given (a bug), {@code *} declares the frame longer than the limit.
     */
    static final class Semicolons extends BoundedFrameDecoder {
        private final boolean scannerCounts;
        private int scanned; // bytes of the current frame looked at, from its start
        final List<Integer> scanStarts = new ArrayList<>(); // where each call to frameLength resumed

        Semicolons(DecodeLimits limits) {
            this(limits, false);
        }

        /** @param scannerCounts whether the scanner checks the values it has seen so far */
        Semicolons(DecodeLimits limits, boolean scannerCounts) {
            super("semi", limits);
            this.scannerCounts = scannerCounts;
        }

        @Override
        protected int skip(byte[] buf, int start, int end) {
            int p = start;
            while (p < end && buf[p] == ' ') {
                p++;
            }
            return p - start;
        }

        @Override
        protected int frameLength(byte[] buf, int start, int end) {
            scanStarts.add(scanned);
            for (int p = start + scanned; p < end; p++) {
                switch (buf[p]) {
                    case ';' -> {
                        scanned = 0;
                        return p + 1 - start;
                    }
                    case '!' -> throw new CodecException("semi: invalid byte '!'");
                    case '#' -> {
                        return end - start + 1;
                    }
                    case '*' -> throw new FrameTooLongException("semi", Integer.MAX_VALUE, limits().maxFrameLength());
                    default -> {
                        if (scannerCounts) {
                            checkElements(p + 2L - start); // the list and each character so far
                        }
                    }
                }
            }
            scanned = end - start;
            return NEED_MORE;
        }

        @Override
        protected List<Object> parse(byte[] buf, int start, int length) {
            countElements(1);
            List<Object> message = new ArrayList<>();
            for (int i = start; i < start + length - 1; i++) {
                if (buf[i] == '?') {
                    throw new IllegalStateException("a bug");
                }
                countElements(1);
                message.add(String.valueOf((char) buf[i]));
            }
            return message;
        }
    }

    private final List<List<Object>> got = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final FrameSink sink = (m, n) -> {
        got.add(m);
        sizes.add(n);
    };

    private static ByteBuffer heap(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    private static List<Object> chars(String s) {
        List<Object> out = new ArrayList<>();
        for (char c : s.toCharArray()) {
            out.add(String.valueOf(c));
        }
        return out;
    }

    @Test
    void framesAreFoundAcrossChunksAndHandedOverWithTheirLengths() {
        for (boolean isDirect : new boolean[] {false, true}) {
            got.clear();
            sizes.clear();
            Semicolons d = new Semicolons(DecodeLimits.of(1024));
            for (String chunk : new String[] {"ab;  c", "de", "f;g;", "  ", " h", ";"}) {
                d.decode(isDirect ? direct(chunk) : heap(chunk), sink);
            }
            assertThat(got).containsExactly(chars("ab"), chars("cdef"), chars("g"), chars("h"));
            assertThat(sizes).as("spaces between frames are skipped, not counted").containsExactly(3, 5, 2, 2);
            assertThat(d.pending()).isZero();
        }
    }

    @Test
    void aFrameMovedIntoTheBufferIsScannedOnFromWhereItStopped() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024));
        d.decode(heap("xy;abc"), sink);
        assertThat(d.pending()).isEqualTo(3);
        d.decode(heap("de"), sink);
        d.decode(heap("f;"), sink);
        assertThat(got).containsExactly(chars("xy"), chars("abcdef"));
        assertThat(d.scanStarts).containsExactly(0, 0, 3, 5);
    }

    @Test
    void bytesOfAnIncompleteFrameArePending() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024));
        d.decode(direct("ab;cd"), sink);
        assertThat(d.pending()).isEqualTo(2);
        d.decode(heap("  "), sink);
        assertThat(d.pending()).as("spaces inside a frame are its bytes").isEqualTo(4);
        d.decode(heap(";   "), sink);
        assertThat(d.pending()).isZero();
        assertThat(got).containsExactly(chars("ab"), chars("cd  "));
    }

    @Test
    void messagesBeforeBadBytesAreHandedOverThenTheStreamStaysFailed() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024));
        d.decode(heap("a;b"), sink);
        assertThatThrownBy(() -> d.decode(heap("c;d;e!;f;"), sink))
                .isExactlyInstanceOf(CodecException.class).hasMessage("semi: invalid byte '!'");
        assertThat(got).containsExactly(chars("a"), chars("bc"), chars("d"));
        assertThat(d.pending()).isZero();
        assertThatThrownBy(() -> d.decode(heap("g;"), sink)).hasMessage("semi: the stream already failed");
        assertThat(got).hasSize(3);
    }

    @Test
    void aRuntimeExceptionOfTheCodecBecomesACodecExceptionNamingIt() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(heap("ok;a?;"), sink))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("semi: cannot decode: java.lang.IllegalStateException: a bug")
                .hasCauseExactlyInstanceOf(IllegalStateException.class);
        assertThat(got).containsExactly(chars("ok"));
        Semicolons e = new Semicolons(DecodeLimits.of(1024));
        assertThatThrownBy(() -> e.decode(heap("ab#"), sink)).isExactlyInstanceOf(CodecException.class)
                .hasMessage("semi: cannot decode: java.lang.IllegalStateException: frameLength returned 4 for 3 bytes");
    }

    @Test
    void theSinksExceptionPropagatesAsItselfAndTheDecoderStaysUsable() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024));
        List<List<Object>> seen = new ArrayList<>();
        FrameSink failing = (m, n) -> {
            seen.add(m);
            throw new IllegalArgumentException("the receiver");
        };
        assertThatThrownBy(() -> d.decode(heap("a;b;"), failing)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(seen).containsExactly(chars("a"));
        d.decode(heap("c;"), sink);
        assertThat(got).as("b was dropped with the exception; c arrives").containsExactly(chars("c"));

        CodecException failure = (CodecException) catchThrowable(() -> d.decode(heap("d;!"), failing));
        assertThat(failure).hasMessage("semi: invalid byte '!'");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFrameOverTheLengthLimitFailsAsSoonAsItsBytesSaySo() {
        Semicolons whole = new Semicolons(DecodeLimits.of(10));
        assertThatThrownBy(() -> whole.decode(heap("ok;" + "x".repeat(20) + ";"), sink))
                .isExactlyInstanceOf(FrameTooLongException.class)
                .hasMessage("semi: message of at least 21 bytes exceeds the frame limit of 10 bytes");
        assertThat(got).containsExactly(chars("ok"));

        Semicolons pieces = new Semicolons(DecodeLimits.of(10));
        pieces.decode(direct("x".repeat(10)), sink);
        assertThatThrownBy(() -> pieces.decode(heap("x"), sink))
                .hasMessage("semi: message of at least 11 bytes exceeds the frame limit of 10 bytes");

        Semicolons exact = new Semicolons(DecodeLimits.of(10));
        exact.decode(heap("x".repeat(9) + ";"), sink);
        assertThat(sizes).containsExactly(3, 10);

        Semicolons declared = new Semicolons(DecodeLimits.of(10));
        assertThatThrownBy(() -> declared.decode(heap("a*"), sink)).isExactlyInstanceOf(FrameTooLongException.class)
                .hasMessageEndingWith("exceeds the frame limit of 10 bytes");
    }

    @Test
    void theElementLimitCountsEveryValueAndFailsBeforeMore() {
        DecodeLimits limits = DecodeLimits.of(1024, 4, 1024);
        new Semicolons(limits).decode(heap("abc;"), sink);
        assertThat(got).containsExactly(chars("abc"));
        assertThatThrownBy(() -> new Semicolons(limits).decode(heap("abcd;"), sink))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessage("semi: a message of more than 4 values (limit max_frame_elements)");
        // the scanner's early check fails an endless frame before the limit of bytes
        Semicolons endless = new Semicolons(limits, true);
        assertThatThrownBy(() -> endless.decode(heap("abcd"), sink))
                .hasMessage("semi: a message of more than 4 values (limit max_frame_elements)");
    }

    @Test
    void countElementsRefusesNegativeAndHugeCounts() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024, 10, 1024));
        assertThatThrownBy(() -> d.countElements(-1)).hasMessageContaining("more than 10 values");
        assertThatThrownBy(() -> d.countElements(Long.MAX_VALUE)).hasMessageContaining("more than 10 values");
        d.countElements(10);
        assertThatThrownBy(() -> d.countElements(1)).hasMessageContaining("more than 10 values");
    }

    @Test
    void bytesBeyondTheFreeBufferAreReservedAndGivenBackWhenTheFrameCompletes() {
        int big = BoundedFrameDecoder.FREE_BUFFER * 4;
        DecodeLimits limits = DecodeLimits.of(1 << 20, big + 1, 1 << 20);
        Semicolons small = new Semicolons(limits);
        small.decode(direct("x".repeat(BoundedFrameDecoder.FREE_BUFFER / 2)), sink);
        assertThat(limits.bufferedBytes()).as("a small frame takes nothing from the budget").isZero();

        Semicolons first = new Semicolons(limits);
        first.decode(direct("x".repeat(big)), sink);
        assertThat(limits.bufferedBytes()).isEqualTo(big - BoundedFrameDecoder.FREE_BUFFER); // grown to 2^18
        first.decode(heap(";"), sink);
        assertThat(sizes).containsExactly(big + 1);
        assertThat(limits.bufferedBytes()).isZero();
        assertThat(first.pending()).isZero();
    }

    @Test
    void aDecoderThatFindsTheBudgetSpentFailsAndTheOtherGoesOn() {
        DecodeLimits limits = DecodeLimits.of(1 << 20, 1 << 20, 290_000);
        Semicolons first = new Semicolons(limits);
        Semicolons second = new Semicolons(limits);
        first.decode(heap("x".repeat(300_000)), sink); // a heap chunk: the incomplete frame is copied as it is
        assertThat(limits.bufferedBytes()).isEqualTo(300_000 - BoundedFrameDecoder.FREE_BUFFER);
        second.decode(heap("y".repeat(BoundedFrameDecoder.FREE_BUFFER)), sink);
        assertThatThrownBy(() -> second.decode(heap("y".repeat(BoundedFrameDecoder.FREE_BUFFER)), sink))
                .isExactlyInstanceOf(CodecException.class)
                .hasMessageStartingWith("semi: cannot hold ")
                .hasMessageContaining(" more bytes of an incomplete message: the node's decoders hold ")
                .hasMessageEndingWith(" bytes, and their budget is 290000 bytes (decode_buffer_budget)");
        assertThat(limits.bufferedBytes()).as("the failed decoder holds nothing").isEqualTo(234_464);
        first.decode(heap("x;"), sink); // grows by just what it needs when the budget is short
        assertThat(got).hasSize(1);
        assertThat(limits.bufferedBytes()).isZero();
    }

    @Test
    void closeGivesTheBytesBackAndEndsTheStream() {
        DecodeLimits limits = DecodeLimits.of(1 << 20);
        Semicolons d = new Semicolons(limits);
        d.decode(heap("x".repeat(200_000)), sink);
        assertThat(limits.bufferedBytes()).isPositive();
        d.close();
        assertThat(limits.bufferedBytes()).isZero();
        assertThat(d.pending()).isZero();
        d.close();
        assertThat(limits.bufferedBytes()).isZero();
        assertThatThrownBy(() -> d.decode(heap("a;"), sink)).isExactlyInstanceOf(CodecException.class)
                .hasMessage("semi: the decoder is closed");
    }

    @Test
    void nullArgumentsAreTheCallersBugNotAFailureOfTheStream() {
        Semicolons d = new Semicolons(DecodeLimits.of(1024));
        assertThatThrownBy(() -> d.decode(null, sink)).isExactlyInstanceOf(NullPointerException.class).hasMessage("chunk");
        assertThatThrownBy(() -> d.decode(heap("a;"), null)).isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("sink");
        d.decode(heap("a;"), sink);
        assertThat(got).containsExactly(chars("a"));
    }

    @Test
    void aLargeBufferIsNotKeptAfterItsFrame() {
        DecodeLimits limits = DecodeLimits.of(1 << 20);
        Semicolons d = new Semicolons(limits);
        d.decode(direct("x".repeat(500_000)), sink);
        assertThat(limits.bufferedBytes()).isPositive();
        d.decode(direct("x;" + "y".repeat(100)), sink);
        assertThat(d.pending()).isEqualTo(100);
        assertThat(limits.bufferedBytes()).as("the next frame's 100 bytes fit the free buffer").isZero();
        d.decode(direct(";"), sink);
        assertThat(got).extracting(List::size).containsExactly(500_001, 100);
    }
}
