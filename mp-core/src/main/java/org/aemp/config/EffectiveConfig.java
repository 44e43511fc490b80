package org.aemp.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration a profile gives after defaults, arguments and the rc file are merged (see
 * {@link Profiles}): every key, including those the Java node does not use ({@code autocork},
 * {@code nodelay}, {@code eval}, {@code version}, {@code parent}, and
 * {@code profile}, the rc file's whole profile table), which stay available through
 * {@link #values()}. {@code NodeConfig.builder(EffectiveConfig)} turns it into a node's
 * configuration. Immutable and thread-safe.
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

    @Override
    public String toString() {
        return "EffectiveConfig[profile=" + profile + ", keys=" + values.keySet() + "]";
    }
}
