package org.aemp.internal.kernel;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.function.Predicate;

/** Small helpers for messages as AEMP sees them: lists of plain values. */
public final class Messages {
    private Messages() {
    }

    /**
     * The tag a message element stands for, as Perl's string comparison sees it: a string as is,
     * an integer as its decimal text; null for anything else.
     */
    static String tagOf(Object first) {
        if (first instanceof String s) {
            return s;
        }
        if (first instanceof Integer || first instanceof Long || first instanceof BigInteger
                || first instanceof Short || first instanceof Byte) {
            return first.toString();
        }
        return null;
    }

    /**
     * The tag as AEMP 2.02 quotes it in {@code unhandled_message}: the first 30 characters of the
     * first element, each character outside printable ASCII replaced by a dot.
     */
    static String describeTag(List<Object> message) {
        String text = message.isEmpty() || message.get(0) == null ? "" : String.valueOf(message.get(0));
        if (text.length() > 30) {
            text = text.substring(0, 30);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c <= 0x7e ? c : '.');
        }
        return out.toString();
    }

    /** The text of {@code ("die", text)} for an exception: its message without trailing newlines. */
    static String dieText(Throwable t) {
        String text = t.getMessage();
        if (text == null || text.isEmpty()) {
            text = t.getClass().getName();
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * An unmodifiable view of {@code head} followed by the elements of {@code tail}: a message with
     * its port name in front, as it goes on the wire, made without copying the elements.
     */
    public static List<Object> withHead(Object head, List<?> tail) {
        return new WithHead(head, tail);
    }

    /** An unmodifiable list view over {@code elements}, which the caller must not change. */
    public static List<Object> wrap(Object[] elements) {
        return new ArrayView(elements);
    }

    /** A new unmodifiable list: the elements of {@code a}, then those of {@code b}. */
    public static List<Object> concat(List<?> a, List<?> b) {
        Object[] all = new Object[a.size() + b.size()];
        int i = 0;
        for (Object o : a) {
            all[i++] = o;
        }
        for (Object o : b) {
            all[i++] = o;
        }
        return wrap(all);
    }

    /**
     * Checks that every element is a plain AEMP value that any codec can carry (null, String,
     * Boolean, a number, byte[], a List of plain values, a Map with String keys and plain values),
     * or of a type {@code extra} accepts (such as classes registered with Kryo).
     *
     * @throws IllegalArgumentException naming the offending element and its type
     */
    /**
     * About how many bytes {@code message} takes encoded: enough to bound the messages held for a
     * node while its link is being made, before the framing is known. Never less than 1.
     */
    public static long estimateSize(List<?> message) {
        return Math.max(1, estimate(message, 0));
    }

    private static long estimate(Object v, int depth) {
        if (v == null || v instanceof Boolean) {
            return 5;
        }
        if (v instanceof String s) {
            return s.length() + 2L;
        }
        if (v instanceof byte[] b) {
            return b.length + 2L;
        }
        if (v instanceof Number) {
            return 9;
        }
        if (depth > 512) {
            return 1;
        }
        long n = 2;
        if (v instanceof List<?> list) {
            for (Object o : list) {
                n += 1 + estimate(o, depth + 1);
            }
        } else if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += 2 + estimate(e.getKey(), depth + 1) + estimate(e.getValue(), depth + 1);
            }
        } else {
            n += 16; // a type some codec carries: a rough guess
        }
        return n;
    }

    public static void checkPlain(List<?> message, Predicate<Class<?>> extra) {
        for (int i = 0, n = message.size(); i < n; i++) {
            Object v = message.get(i);
            Class<?> type = v == null ? null : v.getClass();
            if (type == null || type == String.class || type == Integer.class || type == Long.class) {
                continue; // the common leaves, decided without the walk below
            }
            String problem = plainProblem(v, 0, extra);
            if (problem != null) {
                throw new IllegalArgumentException("message element " + i + " " + problem
                        + "; messages hold only null, String, Boolean, Number, byte[], List and Map<String, ?>");
            }
        }
    }

    private static String plainProblem(Object v, int depth, Predicate<Class<?>> extra) {
        if (depth > 512) {
            return "is nested more than 512 levels deep";
        }
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number || v instanceof byte[]) {
            return null;
        }
        if (v instanceof List<?> list) {
            for (Object o : list) {
                String p = plainProblem(o, depth + 1, extra);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    return "has a map key of type " + typeName(e.getKey()) + " (keys must be strings)";
                }
                String p = plainProblem(e.getValue(), depth + 1, extra);
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        return extra.test(v.getClass()) ? null : "has type " + typeName(v) + ", which no codec on the class path can carry";
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static final class ArrayView extends AbstractList<Object> implements RandomAccess {
        private final Object[] elements;

        ArrayView(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public Object get(int index) {
            return elements[index];
        }

        @Override
        public int size() {
            return elements.length;
        }
    }

    private static final class WithHead extends AbstractList<Object> implements RandomAccess {
        private final Object head;
        private final List<?> tail;

        WithHead(Object head, List<?> tail) {
            this.head = head;
            this.tail = tail;
        }

        @Override
        public Object get(int index) {
            return index == 0 ? head : tail.get(index - 1);
        }

        @Override
        public int size() {
            return tail.size() + 1;
        }
    }
}
