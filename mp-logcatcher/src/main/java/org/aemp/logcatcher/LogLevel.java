package org.aemp.logcatcher;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * The nine levels of AnyEvent::Log, which AEMP's log catcher puts on the wire as the numbers 1
 * (fatal, most severe) to 9 (trace), and how they map to SLF4J's five levels and to
 * java.util.logging's.
 *
 * <h2>Mapping</h2>
 * <pre>
 *  AEMP          number   SLF4J   back to AEMP
 *  fatal           1      ERROR   error 4   (lossy)
 *  alert           2      ERROR   error 4   (lossy)
 *  critical        3      ERROR   error 4   (lossy)
 *  error           4      ERROR   error 4
 *  warn            5      WARN    warn 5
 *  note            6      INFO    info 7    (lossy)
 *  info            7      INFO    info 7
 *  debug           8      DEBUG   debug 8
 *  trace           9      TRACE   trace 9
 * </pre>
 * SLF4J to AEMP and back is lossless; AEMP to SLF4J and back loses fatal, alert and critical
 * (they become error) and note (it becomes info). The catcher keeps the original number in the
 * record's {@code aemp_level} key-value pair, so nothing is lost for a backend that shows it.
 * A caught record never ends a process, whatever its level (Perl's catcher lowers fatal to alert
 * for the same reason).
 *
 * <p>Immutable and thread-safe.
 */
public enum LogLevel {
    /** {@code fatal} (1); Perl's {@code AE::log fatal} also exits the process. */
    FATAL(1, "fatal", Level.ERROR),
    /** {@code alert} (2). */
    ALERT(2, "alert", Level.ERROR),
    /** {@code critical} (3). */
    CRITICAL(3, "critical", Level.ERROR),
    /** {@code error} (4). */
    ERROR(4, "error", Level.ERROR),
    /** {@code warn} (5). */
    WARN(5, "warn", Level.WARN),
    /** {@code note} (6). */
    NOTE(6, "note", Level.INFO),
    /** {@code info} (7). */
    INFO(7, "info", Level.INFO),
    /** {@code debug} (8). */
    DEBUG(8, "debug", Level.DEBUG),
    /** {@code trace} (9). */
    TRACE(9, "trace", Level.TRACE);

    private static final LogLevel[] BY_NUMBER = {null, FATAL, ALERT, CRITICAL, ERROR, WARN, NOTE, INFO, DEBUG, TRACE};

    // AnyEvent::Log's names and their syslog-style aliases, plus SLF4J's and JUL's level names
    private static final Map<String, LogLevel> NAMES = Map.ofEntries(
            Map.entry("fatal", FATAL), Map.entry("emerg", FATAL), Map.entry("exit", FATAL),
            Map.entry("alert", ALERT),
            Map.entry("critical", CRITICAL), Map.entry("crit", CRITICAL),
            Map.entry("error", ERROR), Map.entry("err", ERROR), Map.entry("die", ERROR), Map.entry("severe", ERROR),
            Map.entry("warn", WARN), Map.entry("warning", WARN),
            Map.entry("note", NOTE), Map.entry("notice", NOTE),
            Map.entry("info", INFO),
            Map.entry("debug", DEBUG), Map.entry("fine", DEBUG),
            Map.entry("trace", TRACE), Map.entry("finest", TRACE));

    private final int number;
    private final String aempName;
    private final Level slf4j;

    LogLevel(int number, String aempName, Level slf4j) {
        this.number = number;
        this.aempName = aempName;
        this.slf4j = slf4j;
    }

    /** The wire number, 1 (fatal) to 9 (trace); smaller is more severe. */
    public int number() {
        return number;
    }

    /** The AnyEvent::Log name: {@code fatal alert critical error warn note info debug trace}. */
    public String aempName() {
        return aempName;
    }

    /** The SLF4J level a caught record of this level is logged at (see the class documentation). */
    public Level toSlf4j() {
        return slf4j;
    }

    /** True if a record of this level passes a catcher that asked for {@code threshold} (and more severe). */
    public boolean isAtLeast(LogLevel threshold) {
        return number <= threshold.number;
    }

    /**
     * The level of wire number {@code number}.
     *
     * @throws IllegalArgumentException unless 1 &le; {@code number} &le; 9
     */
    public static LogLevel of(int number) {
        if (number < 1 || number > 9) {
            throw new IllegalArgumentException("invalid AEMP log level " + number + ": expected 1 (fatal) to 9 (trace)");
        }
        return BY_NUMBER[number];
    }

    /** The AEMP level of an SLF4J level: ERROR 4, WARN 5, INFO 7, DEBUG 8, TRACE 9. */
    public static LogLevel fromSlf4j(Level level) {
        return switch (requireNonNull(level, "level")) {
            case ERROR -> ERROR;
            case WARN -> WARN;
            case INFO -> INFO;
            case DEBUG -> DEBUG;
            case TRACE -> TRACE;
        };
    }

    /**
     * The AEMP level of a java.util.logging level, as SLF4J's JUL bridge maps them: SEVERE and
     * above error, WARNING warn, INFO and CONFIG info, FINE and FINER debug, FINEST and below trace.
     */
    public static LogLevel fromJul(java.util.logging.Level level) {
        int v = requireNonNull(level, "level").intValue();
        if (v > java.util.logging.Level.WARNING.intValue()) {
            return ERROR;
        } else if (v > java.util.logging.Level.INFO.intValue()) {
            return WARN;
        } else if (v > java.util.logging.Level.FINE.intValue()) {
            return INFO;
        } else if (v > java.util.logging.Level.FINEST.intValue()) {
            return DEBUG;
        }
        return TRACE;
    }

    /**
     * Reads a level the way AnyEvent::Log does: a number 1 to 9 (a fraction is cut off, as Perl
     * does), the same as a decimal string, or a name, case-insensitive: the AEMP names and their
     * aliases ({@code emerg exit crit err die warning notice}), and the SLF4J and
     * java.util.logging names ({@code severe fine finest}). Empty for anything else, including
     * null, booleans, lists and maps.
     */
    public static Optional<LogLevel> parse(Object value) {
        int n = number(value);
        return n >= 1 && n <= 9 ? Optional.of(BY_NUMBER[n]) : Optional.empty();
    }

    /**
     * Reads a catcher's threshold: what {@link #parse} accepts, plus {@code 0}, {@code off} and
     * {@code none} (forward nothing, 0) and {@code all} (9), as AnyEvent::Log's context levels do.
     *
     * @return 0 to 9, or -1 if {@code value} is no level
     */
    static int threshold(Object value) {
        if (value instanceof String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("off") || t.equals("none")) {
                return 0;
            } else if (t.equals("all")) {
                return 9;
            }
        }
        int n = number(value);
        return n >= 0 && n <= 9 ? n : -1;
    }

    /** 0 to 9 for what looks like a level number or name, -1 otherwise. */
    private static int number(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            return v >= 0 && v <= 9 ? (int) v : -1;
        }
        if (value instanceof Number n) { // Double, Float, BigInteger, BigDecimal
            double d = n.doubleValue();
            return d >= 0 && d <= 9 ? (int) d : -1;
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.length() <= 12 && t.matches("[0-9]+(\\.[0-9]*)?")) {
                return number(Double.parseDouble(t));
            }
            LogLevel named = NAMES.get(t.toLowerCase(Locale.ROOT));
            return named == null ? -1 : named.number;
        }
        return -1;
    }
}
