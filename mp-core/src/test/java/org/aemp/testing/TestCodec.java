package org.aemp.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameTooLongException;

/**
 * A tiny framing for mp-core's own tests, found through its service file: messages of strings
 * only, each frame a 4-byte length, then the strings as UTF-8, each ended by a zero byte.
 */
public final class TestCodec implements Codec {

    @Override
    public String name() {
        return "test";
    }

    @Override
    public FrameEncoder newEncoder() {
        return (List<?> message, OutputStream out) -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Object o : message) {
                if (!(o instanceof String s)) {
                    throw new CodecException("test: only strings, got " + o);
                }
                body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(body.size());
            body.writeTo(data);
            data.flush();
        };
    }

    @Override
    public FrameDecoder newDecoder(int maxFrameLength) {
        return new FrameDecoder() {
            private ByteBuffer held = ByteBuffer.allocate(0);

            @Override
            public void decode(ByteBuffer chunk, Consumer<List<Object>> out) {
                ByteBuffer all = ByteBuffer.allocate(held.remaining() + chunk.remaining());
                all.put(held).put(chunk).flip();
                while (all.remaining() >= 4) {
                    int len = all.getInt(all.position());
                    if (len < 0 || len > maxFrameLength) {
                        throw new FrameTooLongException("test", len, maxFrameLength);
                    }
                    if (all.remaining() < 4 + len) {
                        break;
                    }
                    all.getInt();
                    byte[] body = new byte[len];
                    all.get(body);
                    List<Object> message = new ArrayList<>();
                    int start = 0;
                    for (int i = 0; i < len; i++) {
                        if (body[i] == 0) {
                            message.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                            start = i + 1;
                        }
                    }
                    out.accept(message);
                }
                held = all.slice();
            }

            @Override
            public int pending() {
                return held.remaining();
            }
        };
    }

}
