package org.aemp.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameTooLongException;

/**
 * Parses a stream of concatenated JSON arrays incrementally (what JSON::XS {@code incr_parse}
 * does), with Jackson's non-blocking parser: values are built from tokens as bytes arrive, so a
 * message may be split anywhere. The messages a chunk completes are handed to the consumer once
 * the chunk is parsed, so an exception the consumer throws is its own, not a failure of the
 * stream. If a chunk holds bad bytes, the messages completed before the bad bytes are delivered,
 * then it throws. Not thread-safe.
 */
final class JsonFrameDecoder implements FrameDecoder {
    private final JsonParser parser;
    private final ByteBufferFeeder feeder;
    private final int maxFrameLength;
    private final Deque<Object> open = new ArrayDeque<>(); // containers being built, innermost first
    private final Deque<String> keys = new ArrayDeque<>(); // pending field names of the open maps
    private final List<List<Object>> ready = new ArrayList<>(); // messages completed by the current chunk
    private long fed; // bytes fed so far
    private long frameStart = -1; // offset of the current message's '[', or -1 between messages
    private boolean failed;

    JsonFrameDecoder(JsonFactory factory, int maxFrameLength) {
        try {
            this.parser = factory.createNonBlockingByteBufferParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<List<Object>> out) {
        if (failed) {
            throw new CodecException("json: the stream already failed");
        }
        int n = chunk.remaining();
        if (n == 0) {
            return;
        }
        CodecException failure = null;
        try {
            feeder.feedInput(chunk);
            fed += n;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
                onToken(token);
            }
            chunk.position(chunk.limit());
            if (frameStart >= 0 && fed - frameStart > maxFrameLength) {
                throw new FrameTooLongException("json", fed - frameStart, maxFrameLength);
            }
        } catch (JsonProcessingException e) {
            failure = new CodecException("json: invalid input near byte " + parser.currentLocation().getByteOffset()
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            failure = new CodecException("json: " + e.getMessage(), e);
        } catch (CodecException e) {
            failure = e;
        } catch (RuntimeException e) { // a bug here must still close only this connection
            failure = new CodecException("json: cannot decode: " + e, e);
        }
        if (failure != null) {
            failed = true;
        }
        // hand the messages over outside the try: a consumer's exception is not a codec failure
        FrameDecoder.handOver(ready, out, failure);
    }

    private void onToken(JsonToken token) throws IOException {
        switch (token) {
            case START_ARRAY -> {
                if (open.isEmpty()) {
                    frameStart = parser.currentTokenLocation().getByteOffset();
                }
                open.push(new ArrayList<>());
            }
            case START_OBJECT -> {
                if (open.isEmpty()) {
                    throw new CodecException("json: expected a message array, got an object");
                }
                open.push(new LinkedHashMap<String, Object>());
            }
            case FIELD_NAME -> keys.push(parser.currentName());
            case END_ARRAY, END_OBJECT -> {
                Object done = open.pop();
                if (open.isEmpty()) {
                    // a message that arrived whole within one chunk is checked here, not after the chunk
                    long length = parser.currentLocation().getByteOffset() - frameStart;
                    if (length > maxFrameLength) {
                        throw new FrameTooLongException("json", length, maxFrameLength);
                    }
                    frameStart = -1;
                    @SuppressWarnings("unchecked")
                    List<Object> message = (List<Object>) done;
                    ready.add(message);
                } else {
                    add(done);
                }
            }
            case VALUE_STRING -> add(parser.getText());
            case VALUE_NUMBER_INT -> add(parser.getNumberValue());
            case VALUE_NUMBER_FLOAT -> add(parser.getDoubleValue());
            case VALUE_TRUE -> add(Boolean.TRUE);
            case VALUE_FALSE -> add(Boolean.FALSE);
            case VALUE_NULL -> add(null);
            default -> throw new CodecException("json: unexpected token " + token);
        }
    }

    @SuppressWarnings("unchecked")
    private void add(Object value) {
        Object container = open.peek();
        if (container == null) {
            throw new CodecException("json: expected a message array, got " + (value == null ? "null" : "a scalar"));
        }
        if (container instanceof List<?> list) {
            ((List<Object>) list).add(value);
        } else {
            ((Map<String, Object>) container).put(keys.pop(), value);
        }
    }

    @Override
    public int pending() {
        return frameStart < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, fed - frameStart);
    }
}
