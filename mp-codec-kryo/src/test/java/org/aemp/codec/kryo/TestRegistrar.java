package org.aemp.codec.kryo;

import java.util.List;
import java.util.Map;

/** The application classes of the tests, registered through the service file in src/test/resources. */
public final class TestRegistrar implements KryoRegistrar {

    /** The registrar, as {@link java.util.ServiceLoader} creates it. */
    public TestRegistrar() {
    }

    /** A small record. */
    public record Point(int x, int y, String label) {
    }

    /** A record holding plain values, a nested record and an enum. */
    public record Envelope(String tag, List<Object> items, Map<String, Object> attrs, Point where, Color color) {
    }

    /** An enum, one constant with a body. */
    public enum Color {
        RED,
        GREEN {
            @Override
            public String toString() {
                return "green";
            }
        }
    }

    /** A record nobody registers. */
    public record Unregistered(String why) {
    }

    @Override
    public void register(KryoRegistry registry) {
        registry.register(Point.class, 100)
                .register(Envelope.class, 101)
                .register(Color.class, 102);
    }
}
