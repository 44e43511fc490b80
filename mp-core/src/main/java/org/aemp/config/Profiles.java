package org.aemp.config;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The profiles of one rc file, and the effective configuration they give, by AEMP 2.02's rules
 * ({@code AnyEvent::MP::Config::find_profile}, CONFIG-CLI.md §3). With D the built-in
 * {@link #DEFAULTS}, K the arguments a program passes to {@code configure}, and RC(name) what the
 * file gives for a profile:
 *
 * <pre>{@code
 * RC(name)     = RC(parent of profile[name]) overlaid with profile[name]'s own keys
 *                (a missing profile adds nothing; the chain always ends at the top level,
 *                 whose keys, "profile" and "version" included, are the global defaults)
 * normal:        effective = D < K < RC(name)     ("<" = is overridden by: the rc file wins)
 * norc => true:  effective = D < K
 * force => true: effective = RC(name) < (D < K)   (even D beats the rc file, as in 2.02)
 * }</pre>
 *
 * Merging is shallow: a later source replaces a whole key. {@code norc} and {@code force} are
 * read with Perl truthiness ({@link PerlValues#isTrue}) and removed from K. A {@code parent} at
 * the top level is never followed, as in Perl. A loop of parents, which makes Perl recurse until
 * it runs out of memory, throws {@link ConfigException} here.
 *
 * <p>Holds a deep, unmodifiable copy of the rc tree it was given: later changes to that tree are
 * not seen. Immutable and thread-safe.
 */
public final class Profiles {
    /** The {@code configure} argument that ignores the rc file. */
    public static final String NORC = "norc";
    /** The {@code configure} argument that lets the arguments (and D) win over the rc file. */
    public static final String FORCE = "force";
    /** The {@code configure} argument that names the profile. */
    public static final String PROFILE = "profile";

    /**
     * AEMP 2.02's built-in defaults D, in Perl's form: {@code monitor_timeout} 30,
     * {@code connect_interval} 2, {@code framing_format} {@code ["cbor","json","storable"]},
     * {@code auth_offer} {@link #DEFAULT_AUTH_OFFER} and {@code auth_accept}
     * {@link #DEFAULT_AUTH_ACCEPT} (which {@code NodeConfig} uses too). They
     * show in {@code aemp showconfig} exactly as Perl shows them; {@code NodeConfig.builder(EffectiveConfig)}
     * treats this default framing list as "not configured" (see there).
     */
    public static final Map<String, Object> DEFAULTS;

    /** Perl's default {@code framing_format}. */
    public static final List<String> DEFAULT_FRAMING_FORMAT = List.of("cbor", "json", "storable");
    /** AEMP's default {@code auth_offer}: the methods a node may send. */
    public static final List<String> DEFAULT_AUTH_OFFER = List.of("tls_sha3_512", "hmac_sha3_512");
    /** AEMP's default {@code auth_accept}: the methods announced in the greeting. */
    public static final List<String> DEFAULT_AUTH_ACCEPT =
            List.of("tls_sha3_512", "hmac_sha3_512", "tls_anon", "cleartext");

    static {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("monitor_timeout", 30L);
        d.put("connect_interval", 2L);
        d.put("framing_format", DEFAULT_FRAMING_FORMAT);
        d.put("auth_offer", DEFAULT_AUTH_OFFER);
        d.put("auth_accept", DEFAULT_AUTH_ACCEPT);
        DEFAULTS = PerlValues.copyMap(d, true);
    }

    private final Map<String, Object> rc;
    private final Supplier<String> hostName;

    private Profiles(Map<String, Object> rc, Supplier<String> hostName) {
        this.rc = rc;
        this.hostName = hostName;
    }

    /**
     * The profiles of this rc tree (as {@link RcFile#load()} returns it); the default profile name
     * is the host name, as {@code uname -n} gives it.
     */
    public static Profiles of(Map<String, ?> rc) {
        return of(rc, Profiles::hostName);
    }

    /**
     * The host's name as {@code uname -n} gives it: the default profile name, and what {@code %n}
     * in a node id stands for (AEMP's {@code %n}). {@code $HOSTNAME} if set, else the local host's
     * name, else {@code localhost}.
     */
    public static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * The profiles of this rc tree, with the host name (the default profile name) taken from
     * {@code hostName}, so that tests need not depend on the machine.
     */
    public static Profiles of(Map<String, ?> rc, Supplier<String> hostName) {
        requireNonNull(rc, "rc");
        requireNonNull(hostName, "hostName");
        return new Profiles(PerlValues.copyMap(rc, true), hostName);
    }

    /** The whole rc tree, unmodifiable. */
    public Map<String, Object> rc() {
        return rc;
    }

    /** The profile name used when none is given: the host name. */
    public String defaultProfileName() {
        return requireNonNull(hostName.get(), "hostName.get()");
    }

    /**
     * {@code aemp showprofile <name>}: only the keys stored in that profile, {@code parent}
     * included, without anything inherited; empty if there is no such profile.
     *
     * @throws ConfigException if the file's {@code profile} key or this profile is not an object
     */
    public Map<String, Object> showProfile(String name) {
        Map<String, Object> p = profile(requireNonNull(name, "name"));
        return p == null ? Map.of() : p;
    }

    /**
     * RC(name): what the rc file alone gives for a profile, following its {@code parent} chain up
     * to the top level.
     *
     * @param name the profile; may be null for the top level alone
     * @throws ConfigException on a loop of parents, a {@code parent} that is not a string, or a
     *     profile that is not an object
     */
    public Map<String, Object> resolve(String name) {
        List<Map<String, Object>> layers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String n = name;
        while (n != null) {
            if (!seen.add(n)) {
                throw new ConfigException("profile '" + name + "': loop of parent profiles: "
                        + String.join(" -> ", seen) + " -> " + n);
            }
            Map<String, Object> p = profile(n);
            if (p == null) {
                break;
            }
            layers.add(p);
            Object parent = p.get("parent");
            if (parent != null && !(parent instanceof String)) {
                throw new ConfigException("profile '" + n + "': parent must be a profile name (a string), found "
                        + PerlValues.describe(parent));
            }
            n = (String) parent;
        }
        Map<String, Object> out = new LinkedHashMap<>(rc);
        for (int i = layers.size() - 1; i >= 0; i--) {
            out.putAll(layers.get(i));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The effective configuration for profile {@code name} with {@code configure} arguments
     * {@code args} (AEMP {@code find_profile}; {@code aemp showconfig <name> <key> <value>...}).
     * {@code norc} and {@code force} in {@code args} choose the rule (see the class comment); every
     * other key is a K value, {@code profile} included (showconfig then hides it).
     *
     * @throws ConfigException if the rc file's profiles cannot be resolved (not with {@code norc})
     */
    public EffectiveConfig effective(String name, Map<String, ?> args) {
        requireNonNull(name, "name");
        Map<String, Object> k = PerlValues.copyMap(requireNonNull(args, "args"), true);
        Map<String, Object> kv = new LinkedHashMap<>(DEFAULTS);
        boolean norc = false;
        boolean force = false;
        for (Map.Entry<String, Object> e : k.entrySet()) {
            switch (e.getKey()) {
                case NORC -> norc = PerlValues.isTrue(e.getValue());
                case FORCE -> force = PerlValues.isTrue(e.getValue());
                default -> kv.put(e.getKey(), e.getValue());
            }
        }
        if (!norc) {
            Map<String, Object> fromRc = resolve(name);
            if (force) {
                Map<String, Object> merged = new LinkedHashMap<>(fromRc);
                merged.putAll(kv);
                kv = merged;
            } else {
                kv.putAll(fromRc);
            }
        }
        return new EffectiveConfig(name, kv);
    }

    /**
     * What AEMP's {@code configure(%args)} uses: the profile named by {@code args.profile} (if
     * present and not null), else the host name, with the remaining arguments as K.
     *
     * @throws IllegalArgumentException if {@code profile} is given but is not a string
     * @throws ConfigException as {@link #effective}
     */
    public EffectiveConfig configure(Map<String, ?> args) {
        Map<String, Object> k = new LinkedHashMap<>(requireNonNull(args, "args"));
        Object name = k.remove(PROFILE);
        if (name != null && !(name instanceof String)) {
            throw new IllegalArgumentException("profile must be a string: " + PerlValues.describe(name));
        }
        return effective(name == null ? defaultProfileName() : (String) name, k);
    }

    /** profile[name] from the rc file, or null if there is none. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> profile(String name) {
        Object all = rc.get(PROFILE);
        if (all == null) {
            return null;
        }
        if (!(all instanceof Map)) {
            throw new ConfigException("rc file: the top-level key \"profile\" must be an object mapping profile"
                    + " names to objects, found " + PerlValues.describe(all));
        }
        Object p = ((Map<String, Object>) all).get(name);
        if (p == null) {
            return null;
        }
        if (!(p instanceof Map)) {
            throw new ConfigException("profile '" + name + "' must be a JSON object, found " + PerlValues.describe(p));
        }
        return (Map<String, Object>) p;
    }
}
