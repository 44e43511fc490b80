package org.aemp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.aemp.spi.AuthMethod;
import org.aemp.spi.Codec;
import org.aemp.spi.TlsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the SPI providers on the class path with {@link ServiceLoader}, once per node. A provider
 * that fails to load is logged and skipped; a missing one gives an error that lists what exists and
 * names the module to add.
 */
final class Providers {
    private static final Logger log = LoggerFactory.getLogger(Providers.class);
    private static final Map<String, String> MODULE_OF = Map.of(
            "json", "mp-codec-json", "cbor", "mp-codec-cbor", "kryo", "mp-codec-kryo",
            "hmac_sha3_512", "mp-auth", "cleartext", "mp-auth",
            "tls_sha3_512", "mp-tls", "tls_anon", "mp-tls");

    private Providers() {
    }

    /** Every provider of {@code spi} that loads. */
    static <T> List<T> load(Class<T> spi, ClassLoader loader) {
        List<T> found = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(spi, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                log.warn("skipping a {} provider that failed to load: {}", spi.getSimpleName(), e.getMessage());
            }
        }
        return found;
    }

    /**
     * The codecs to offer, in order: the configured {@code framing_format} names that are present,
     * or, with none configured, every codec found, most preferred first (JSON last among equals).
     *
     * @throws AempException if no codec is found, or none of the configured ones is
     */
    static List<Codec> codecs(List<Codec> found, List<String> framingFormat) {
        if (found.isEmpty()) {
            throw new AempException("No codec found on the class path. Add mp-codec-json"
                    + " (org.aemp:mp-codec-json), the default JSON framing, to the class path.");
        }
        Map<String, Codec> byName = byName(found, Codec::name);
        if (framingFormat == null) {
            List<Codec> all = new ArrayList<>(byName.values());
            all.sort(Comparator.comparingInt(Codec::preference).reversed().thenComparing(Codec::name));
            return all;
        }
        List<Codec> chosen = new ArrayList<>();
        for (String name : framingFormat) {
            Codec c = byName.get(name);
            if (c != null && !chosen.contains(c)) {
                chosen.add(c);
            } else if (c == null) {
                log.debug("framing_format names '{}', which is not on the class path", name);
            }
        }
        if (chosen.isEmpty()) {
            throw new AempException("No codec named in framing_format " + framingFormat + " is on the class path;"
                    + " available: " + byName.keySet() + ". Add the module that provides it ("
                    + moduleFor(framingFormat.isEmpty() ? "json" : framingFormat.get(0)) + ") to the class path.");
        }
        return chosen;
    }

    /** The auth methods found, by name. */
    static Map<String, AuthMethod> authMethods(List<AuthMethod> found) {
        return byName(found, AuthMethod::name);
    }

    /** The TLS provider, or an error naming mp-tls if a certificate is configured without one. */
    static TlsProvider tls(List<TlsProvider> found) {
        if (found.isEmpty()) {
            throw new AempException("A certificate (cert) is configured, but no TLS provider is on the class path."
                    + " Add mp-tls (org.aemp:mp-tls) to the class path.");
        }
        return found.get(0);
    }

    /** The module that provides a codec or auth method of this name, for error messages. */
    static String moduleFor(String name) {
        return MODULE_OF.getOrDefault(name, "the module that provides '" + name + "'");
    }

    private static <T> Map<String, T> byName(List<T> found, Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T t : found) {
            T old = map.putIfAbsent(name.apply(t), t);
            if (old != null) {
                log.warn("two providers for '{}': using {}, ignoring {}", name.apply(t),
                        old.getClass().getName(), t.getClass().getName());
            }
        }
        return map;
    }
}
