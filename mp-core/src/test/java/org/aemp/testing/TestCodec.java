package org.aemp.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.spi.BoundedFrameDecoder;
import org.aemp.spi.Codec;
import org.aemp.spi.CodecException;
import org.aemp.spi.DecodeLimits;
import org.aemp.spi.FrameDecoder;
import org.aemp.spi.FrameEncoder;
import org.aemp.spi.FrameTooLongException;

/**
 * A small framing for mp-core's own tests, found through its service file (the real codecs live
 * in their own modules): each frame is a 4-byte length and a tagged value (n null, s string,
 * i long, d double, b boolean, x bytes, B big integer, l list, m map).
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
            write(new DataOutputStream(body), message);
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(body.size());
            body.writeTo(data);
            data.flush();
        };
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte('n');
        } else if (v instanceof String s) {
            out.writeByte('s');
            out.writeUTF(s);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            out.writeByte('i');
            out.writeLong(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.writeByte('d');
            out.writeDouble(((Number) v).doubleValue());
        } else if (v instanceof Boolean b) {
            out.writeByte('b');
            out.writeBoolean(b);
        } else if (v instanceof BigInteger b) {
            out.writeByte('B');
            out.writeUTF(b.toString());
        } else if (v instanceof byte[] bytes) {
            out.writeByte('x');
            out.writeInt(bytes.length);
            out.write(bytes);
        } else if (v instanceof List<?> list) {
            out.writeByte('l');
            out.writeInt(list.size());
            for (Object o : list) {
                write(out, o);
            }
        } else if (v instanceof Map<?, ?> map) {
            out.writeByte('m');
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new CodecException("test: map keys must be strings");
                }
                out.writeUTF(k);
                write(out, e.getValue());
            }
        } else {
            throw new CodecException("test: cannot encode " + v.getClass().getName());
        }
    }

    @Override
    public FrameDecoder newDecoder(DecodeLimits limits) {
        return new Decoder(limits);
    }

    /** A 4-byte length, then that many bytes of one tagged value. */
    private static final class Decoder extends BoundedFrameDecoder {
        Decoder(DecodeLimits limits) {
            super("test", limits);
        }

        @Override
        protected int frameLength(byte[] buf, int start, int end) {
            if (end - start < 4) {
                return NEED_MORE;
            }
            int len = ByteBuffer.wrap(buf, start, 4).getInt();
            if (len < 0 || len > limits().maxFrameLength() - 4) {
                throw new FrameTooLongException("test", 4L + (len & 0xffffffffL), limits().maxFrameLength());
            }
            return end - start >= 4 + len ? 4 + len : NEED_MORE;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected List<Object> parse(byte[] buf, int start, int length) {
            try {
                countElements(1);
                Object v = read(new DataInputStream(new ByteArrayInputStream(buf, start + 4, length - 4)));
                if (!(v instanceof List<?>)) {
                    throw new CodecException("test: a message must be a list");
                }
                return (List<Object>) v;
            } catch (IOException e) {
                throw new CodecException("test: truncated value", e);
            }
        }

        /** One value; its elements are counted as they are read (the value itself by its container). */
        private Object read(DataInputStream in) throws IOException {
            int tag = in.readByte();
            switch (tag) {
                case 'n':
                    return null;
                case 's':
                    return in.readUTF();
                case 'i': {
                    long l = in.readLong();
                    return l == (int) l ? (Object) (int) l : l;
                }
                case 'd':
                    return in.readDouble();
                case 'b':
                    return in.readBoolean();
                case 'B':
                    return new BigInteger(in.readUTF());
                case 'x': {
                    int n = in.readInt();
                    if (n < 0 || n > in.available()) {
                        throw new CodecException("test: a byte string longer than its frame");
                    }
                    byte[] b = new byte[n];
                    in.readFully(b);
                    return b;
                }
                case 'l': {
                    int n = in.readInt();
                    countElements(n);
                    List<Object> list = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        list.add(read(in));
                    }
                    return list;
                }
                case 'm': {
                    int n = in.readInt();
                    countElements(2L * n);
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        map.put(in.readUTF(), read(in));
                    }
                    return map;
                }
                default:
                    throw new CodecException("test: bad tag " + tag);
            }
        }
    }
}
