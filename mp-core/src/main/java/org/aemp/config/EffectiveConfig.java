package org.aemp.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aemp.NodeConfig;

/**
 * The configuration a profile gives after defaults, arguments and the rc file are merged (see
 * {@link Profiles}): every key, including those the Java node does not use ({@code autocork},
 * {@code nodelay}, {@code eval}, {@code version}, {@code parent}, and
 * {@code profile}, the rc file's whole profile table), which stay available through
 * {@link #values()}. Immutable and thread-safe.
 */
public final class EffectiveConfig {
    private final String profile;
    private final Map<String, Object> values;

    EffectiveConfig(String profile, Map<String, Object> values) {
        this.profile = requireNonNull(profile, "profile");
        this.values = PerlValues.copyMap(values, true);
    }

    /** The profile name this configuration was resolved for (also the default node id's prefix). */
    public String profile() {
        return profile;
    }

    /** Every key and value, unmodifiable; values are plain JSON values and may be null. */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * What {@code aemp showconfig} prints: {@link #values()} without {@code profile} and
     * {@code parent}. {@code nodeid} appears only if a source sets it (it is not the computed id).
     */
    public Map<String, Object> showConfig() {
        Map<String, Object> out = new LinkedHashMap<>(values);
        out.remove("profile");
        out.remove("parent");
        return Collections.unmodifiableMap(out);
    }

    /**
     * A {@link NodeConfig.Builder} holding this configuration, ready for further settings
     * (functions, codecs) and {@code build()}. How keys map:
     *
     * <ul>
     *   <li>{@code nodeid}: kept unexpanded ({@code Node.start} expands {@code %n}, {@code %u} and a
     *       trailing {@code /}); if missing, {@code <profile>/}. A null, empty or {@code "0"} value
     *       is an error, as in Perl.
     *   <li>{@code binds}, {@code seeds}: arrays of strings (a number such as {@code 4040} counts as
     *       its text); each entry is split at commas as Perl's {@code split /,/} does (empty pieces
     *       kept except at the end). A missing or Perl-false {@code binds} means {@code ["*"]}; an
     *       empty array means no listener. A missing or null {@code seeds} means none.
     *   <li>{@code secret}, {@code cert}: strings (null = not set).
     *   <li>{@code monitor_timeout}, {@code connect_interval}: seconds, as a number or a numeric
     *       string ({@code "20"}, {@code "0.5"}); must be above zero.
     *   <li>Java-only keys, which Perl nodes ignore: {@code handshake_timeout},
     *       {@code auth_failure_delay}, {@code liveness_timeout} and {@code close_timeout} in seconds
     *       as above; {@code max_handshakes}, {@code max_handshakes_per_address},
     *       {@code link_busy_threshold}, {@code link_backlog_limit}, {@code mailbox_busy_messages},
     *       {@code mailbox_busy_bytes} and {@code max_frame_elements}, whole numbers from 1 (the
     *       byte sizes at least 1024); {@code decode_buffer_budget}, a whole number of bytes from 0.
     *   <li>{@code framing_format}, {@code auth_offer}, {@code auth_accept}: arrays of strings. A
     *       {@code framing_format} equal to Perl's default {@code ["cbor","json","storable"]} is
     *       passed on as "not configured", so that the node offers the codecs it actually has on the
     *       class path; any other list is passed on as given.
     *   <li>{@code secure}: Perl truthiness ({@link PerlValues#isTrue}).
     *   <li>{@code services}: an array of names or {@code [name, args...]} lists, started by name
     *       through {@link org.aemp.Service} ({@code AnyEvent::MP::Global::} makes the node global).
     * </ul>
     *
     * @throws ConfigException if a value has the wrong type or is out of range; the message names
     *     the key and the profile (and never shows the secret or the certificate)
     */
    public NodeConfig.Builder toNodeConfigBuilder() {
        return NodeConfigConverter.toBuilder(profile, values);
    }

    @Override
    public String toString() {
        return "EffectiveConfig[profile=" + profile + ", keys=" + values.keySet() + "]";
    }
}
