package org.aemp;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aemp.config.ConfigException;
import org.aemp.config.EffectiveConfig;
import org.aemp.config.PerlValues;
import org.aemp.config.PrettyJson;
import org.aemp.config.Profiles;

/**
 * Turns an effective configuration's plain values into a {@link NodeConfig.Builder}; the rules
 * are documented on {@link NodeConfig#builder(EffectiveConfig)}. Stateless.
 */
final class ProfileConversion {
    private ProfileConversion() {
    }

    static NodeConfig.Builder toBuilder(EffectiveConfig effective) {
        String profile = effective.profile();
        Map<String, Object> v = effective.values();
        NodeConfig.Builder b = NodeConfig.builder();
        Errors err = new Errors(profile);

        String nodeId = v.containsKey("nodeid") ? text(err, "nodeid", v.get("nodeid"), true) : profile + "/";
        err.apply("nodeid", () -> b.nodeId(nodeId));

        // Perl: $binds ||= ["*"], so only a missing or false value falls back; [] means no listener
        Object binds = v.get("binds");
        b.binds(PerlValues.isTrue(binds) ? addresses(err, "binds", binds) : List.of("*"));

        Object seeds = v.get("seeds");
        b.seeds(seeds == null ? List.of() : addresses(err, "seeds", seeds));

        if (v.get("secret") != null) {
            String secret = text(err, "secret", v.get("secret"), false);
            err.apply("secret", () -> b.secret(secret));
        }
        if (v.get("cert") != null) {
            Object cert = v.get("cert");
            if (!(cert instanceof String pem)) {
                throw err.wrongType("cert", "PEM text (a string)", PerlValues.typeName(cert));
            }
            err.apply("cert", () -> b.cert(pem));
        }

        Duration monitorTimeout = seconds(err, "monitor_timeout", v);
        if (monitorTimeout != null) {
            b.monitorTimeout(monitorTimeout);
        }
        Duration connectInterval = seconds(err, "connect_interval", v);
        if (connectInterval != null) {
            b.connectInterval(connectInterval);
        }

        Duration handshakeTimeout = seconds(err, "handshake_timeout", v);
        if (handshakeTimeout != null) {
            b.handshakeTimeout(handshakeTimeout);
        }
        Duration authFailureDelay = seconds(err, "auth_failure_delay", v);
        if (authFailureDelay != null) {
            b.authFailureDelay(authFailureDelay);
        }
        Duration livenessTimeout = seconds(err, "liveness_timeout", v);
        if (livenessTimeout != null) {
            b.livenessTimeout(livenessTimeout);
        }
        Duration closeTimeout = seconds(err, "close_timeout", v);
        if (closeTimeout != null) {
            b.closeTimeout(closeTimeout);
        }
        Integer linkBusy = count(err, "link_busy_threshold", v);
        if (linkBusy != null) {
            err.apply("link_busy_threshold", () -> b.linkBusyThreshold(linkBusy));
        }
        Integer backlog = count(err, "link_backlog_limit", v);
        if (backlog != null) {
            err.apply("link_backlog_limit", () -> b.linkBacklogLimit(backlog));
        }
        Long chunkSize = bytes(err, "link_chunk_size", v);
        if (chunkSize != null) {
            err.apply("link_chunk_size", () -> b.linkChunkSize((int) Math.min(Integer.MAX_VALUE, chunkSize)));
        }
        Integer mailboxMessages = count(err, "mailbox_busy_messages", v);
        if (mailboxMessages != null) {
            b.mailboxBusyMessages(mailboxMessages);
        }
        Integer mailboxBytes = count(err, "mailbox_busy_bytes", v);
        if (mailboxBytes != null) {
            err.apply("mailbox_busy_bytes", () -> b.mailboxBusyBytes(mailboxBytes));
        }
        Integer maxHandshakes = count(err, "max_handshakes", v);
        if (maxHandshakes != null) {
            b.maxHandshakes(maxHandshakes);
        }
        Integer maxPerAddress = count(err, "max_handshakes_per_address", v);
        if (maxPerAddress != null) {
            b.maxHandshakesPerAddress(maxPerAddress);
        }
        Integer maxFrameElements = count(err, "max_frame_elements", v);
        if (maxFrameElements != null) {
            b.maxFrameElements(maxFrameElements);
        }
        Long decodeBufferBudget = bytes(err, "decode_buffer_budget", v);
        if (decodeBufferBudget != null) {
            b.decodeBufferBudget(decodeBufferBudget);
        }

        if (v.containsKey("framing_format")) {
            List<String> framings = strings(err, "framing_format", v.get("framing_format"), "[\"json\"]");
            b.framingFormat(framings.equals(Profiles.DEFAULT_FRAMING_FORMAT) ? null : framings);
        }
        if (v.containsKey("auth_offer")) {
            b.authOffer(strings(err, "auth_offer", v.get("auth_offer"), "[\"hmac_sha3_512\"]"));
        }
        if (v.containsKey("auth_accept")) {
            b.authAccept(strings(err, "auth_accept", v.get("auth_accept"), "[\"hmac_sha3_512\",\"cleartext\"]"));
        }

        b.secure(PerlValues.isTrue(v.get("secure")));
        b.inlineCallbacks(PerlValues.isTrue(v.get("inline_callbacks")));

        Object services = v.get("services");
        if (services != null) {
            if (!(services instanceof List<?> list)) {
                throw err.wrongType("services", "a JSON array of service names or [name, args...] lists",
                        PerlValues.describe(services));
            }
            List<Object> entries = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Object e = list.get(i);
                if (e instanceof String || (e instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String)) {
                    entries.add(e);
                } else {
                    throw err.wrongType("services[" + i + "]", "a name or a list [name, args...]", PerlValues.describe(e));
                }
            }
            b.services(entries);
        }
        return b;
    }

    /** A string, or a number as Perl would print it; {@code showValue} false keeps secrets out of messages. */
    private static String text(Errors err, String key, Object value, boolean showValue) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number n && !(n instanceof Double d && !Double.isFinite(d))) {
            return PrettyJson.write(n).strip(); // as Perl prints it
        }
        throw err.wrongType(key, "a string", showValue ? PerlValues.describe(value) : PerlValues.typeName(value));
    }

    /** An array of address strings, each split at commas the way Perl's split /,/ splits. */
    private static List<String> addresses(Errors err, String key, Object value) {
        if (!(value instanceof List<?> list)) {
            throw err.wrongType(key, "a JSON array of strings such as [\"host:4040\"]", PerlValues.describe(value));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object entry = list.get(i);
            if (!(entry instanceof String) && !(entry instanceof Number)) {
                throw err.wrongType(key + "[" + i + "]", "a string", PerlValues.describe(entry));
            }
            out.addAll(PerlValues.splitComma(text(err, key + "[" + i + "]", entry, true)));
        }
        return out;
    }

    private static List<String> strings(Errors err, String key, Object value, String example) {
        if (!(value instanceof List<?> list)) {
            String hint = value instanceof String
                    ? " (a plain word on the aemp command line is stored as a string; give the list as JSON: aemp set"
                            + key + " '" + example + "')"
                    : "";
            throw err.wrongType(key, "a JSON array of strings such as " + example,
                    PerlValues.describe(value) + hint);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw err.wrongType(key + "[" + i + "]", "a string", PerlValues.describe(list.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    /** A positive number of seconds, from a number or numeric string; null if the key is missing. */
    private static Duration seconds(Errors err, String key, Map<String, Object> v) {
        if (!v.containsKey(key)) {
            return null;
        }
        Object value = v.get(key);
        Optional<BigDecimal> n = PerlValues.toNumber(value);
        if (n.isEmpty()) {
            throw err.wrongType(key, "a number of seconds (a JSON number or a numeric string such as \"20\")",
                    PerlValues.describe(value));
        }
        if (n.get().signum() <= 0) {
            throw err.fail(key, "must be > 0 seconds, found " + PerlValues.describe(value));
        }
        try {
            long nanos = n.get().movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
            if (nanos == 0) {
                throw err.fail(key, "must be at least 1 ns, found " + PerlValues.describe(value));
            }
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException e) {
            throw err.fail(key, "is too large (at most about 292 years), found " + PerlValues.describe(value));
        }
    }

    /** A whole number from 1 to {@link Integer#MAX_VALUE}, from a number or numeric string; null if missing. */
    private static Integer count(Errors err, String key, Map<String, Object> v) {
        if (!v.containsKey(key)) {
            return null;
        }
        Object value = v.get(key);
        Optional<BigDecimal> n = PerlValues.toNumber(value);
        if (n.isEmpty()) {
            throw err.wrongType(key, "a whole number (a JSON number or a numeric string such as \"64\")",
                    PerlValues.describe(value));
        }
        try {
            int i = n.get().intValueExact();
            if (i < 1) {
                throw err.fail(key, "must be >= 1, found " + PerlValues.describe(value));
            }
            return i;
        } catch (ArithmeticException e) {
            throw err.fail(key, "must be a whole number from 1 to " + Integer.MAX_VALUE + ", found "
                    + PerlValues.describe(value));
        }
    }

    /** A whole number of bytes from 0 to {@link Long#MAX_VALUE}, from a number or numeric string; null if missing. */
    private static Long bytes(Errors err, String key, Map<String, Object> v) {
        if (!v.containsKey(key)) {
            return null;
        }
        Object value = v.get(key);
        Optional<BigDecimal> n = PerlValues.toNumber(value);
        if (n.isEmpty()) {
            throw err.wrongType(key, "a whole number of bytes (a JSON number or a numeric string such as"
                    + " \"268435456\")", PerlValues.describe(value));
        }
        try {
            long l = n.get().longValueExact();
            if (l < 0) {
                throw err.fail(key, "must be >= 0, found " + PerlValues.describe(value));
            }
            return l;
        } catch (ArithmeticException e) {
            throw err.fail(key, "must be a whole number from 0 to " + Long.MAX_VALUE + ", found "
                    + PerlValues.describe(value));
        }
    }

    /** Builds messages that name the profile and the key. */
    private static final class Errors {
        private final String profile;

        Errors(String profile) {
            this.profile = profile;
        }

        ConfigException wrongType(String key, String expected, String found) {
            return fail(key, "must be " + expected + ", found " + found);
        }

        ConfigException fail(String key, String problem) {
            return new ConfigException("profile '" + profile + "': " + key + " " + problem);
        }

        /** Runs a builder call, turning its IllegalArgumentException into a ConfigException. */
        void apply(String key, Runnable call) {
            try {
                call.run();
            } catch (IllegalArgumentException e) {
                throw new ConfigException("profile '" + profile + "': " + key + ": " + e.getMessage(), e);
            }
        }
    }
}
