package org.aemp.codec.cbor;

import java.util.List;
import org.aemp.spi.BoundedFrameDecoder;
import org.aemp.spi.DecodeLimits;

/**
 * Splits a stream of concatenated CBOR arrays into messages (what CBOR::XS
 * {@code incr_parse_multiple} does). A {@link CborScanner} finds where each item ends, checking
 * every declared length against the frame limit and every declared count against the element limit
 * as soon as it sees it; only then is the item read, by a {@link CborReader}. Not thread-safe;
 * confined to one connection.
 */
final class CborFrameDecoder extends BoundedFrameDecoder {
    private final CborScanner scanner;
    private final CborReader reader;

    CborFrameDecoder(DecodeLimits limits) {
        super("cbor", limits);
        this.scanner = new CborScanner(limits.maxFrameLength(), this::checkElements);
        this.reader = new CborReader(this::countElements);
    }

    @Override
    protected int frameLength(byte[] buf, int start, int end) {
        int length = scanner.scan(buf, start, end);
        if (length < 0) {
            return NEED_MORE;
        }
        scanner.reset();
        return length;
    }

    @Override
    protected List<Object> parse(byte[] buf, int start, int length) {
        return reader.readMessage(buf, start, start + length);
    }
}
