package org.aemp.codec.kryo;

import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.aemp.spi.FrameEncoder;

/**
 * Writes each message as a varint length and the Kryo bytes of the list. The message is written
 * into a buffer kept for the connection, after 5 bytes left free for the prefix, then sent with one
 * call: a message that fails to encode writes nothing. Not thread-safe; owns its Kryo instance.
 */
final class KryoFrameEncoder implements FrameEncoder {
    private static final int PREFIX = 5;
    private static final int KEEP = 64 * 1024; // largest buffer kept between messages

    private final MessageKryo kryo;
    private final PlainSerializers.ListSerializer list = new PlainSerializers.ListSerializer();
    private Output output = new Output(4096, -1);

    KryoFrameEncoder(MessageKryo kryo) {
        this.kryo = kryo;
    }

    @Override
    public void encode(List<?> message, OutputStream out) throws IOException {
        output.setPosition(PREFIX);
        try {
            kryo.writeObject(output, message, list);
        } catch (RuntimeException e) {
            output = new Output(4096, -1);
            throw KryoCodec.failure(e, "cannot encode");
        }
        byte[] buf = output.getBuffer();
        int end = output.position();
        int length = end - PREFIX;
        int start = PREFIX - varIntSize(length);
        int p = start;
        int v = length;
        while ((v & ~0x7f) != 0) {
            buf[p++] = (byte) (v & 0x7f | 0x80);
            v >>>= 7;
        }
        buf[p] = (byte) v;
        out.write(buf, start, end - start);
        if (buf.length > KEEP) {
            output = new Output(4096, -1);
        }
    }

    private static int varIntSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
