package org.aemp.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aemp.cli.CommandTable.Group;
import org.aemp.config.ConfigException;
import org.aemp.config.EffectiveConfig;
import org.aemp.config.PerlValues;
import org.aemp.config.PrettyJson;
import org.aemp.config.Profiles;
import org.aemp.tls.CertificateGenerator;

/**
 * The configuration commands of {@code aemp} 2.02 (CONFIG-CLI.md §4.6, §4.7): they change the
 * current scope of the rc file's tree (the global defaults, or the profile chosen with
 * {@code profile <name>}), or print from it. Each one does what Perl's does, with Perl's message
 * when an argument is missing; the table in {@link #register} is the list. Values are stored
 * exactly as given: a plain word is a JSON string ({@code setmonitor_timeout 20} stores
 * {@code "20"}), a JSON-form argument any JSON value. Stateless and thread-safe.
 */
final class ConfigCommands {
    /** The options with plain {@code set<opt>}/{@code del<opt>} commands, in Perl's order. */
    static final List<String> OPTIONS = List.of("monitor_timeout", "connect_interval", "framing_format",
            "auth_offer", "auth_accept", "autocork", "nodelay", "secure",
            // Java-only keys; Perl nodes ignore them
            "handshake_timeout", "max_handshakes", "max_handshakes_per_address", "auth_failure_delay",
            "liveness_timeout", "max_frame_elements", "decode_buffer_budget", "close_timeout", "link_busy_threshold",
            "link_backlog_limit", "link_chunk_size", "mailbox_busy_messages", "mailbox_busy_bytes", "inline_callbacks");

    /** The characters of a generated secret (Perl's {@code nonce62}). */
    static final String SECRET_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** The length of a generated secret: 180 characters, about 1071 bits. */
    static final int SECRET_LENGTH = 180;

    /** Made on first use: seeding it costs start-up time that most commands never need. */
    private static final class SecretRandom {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    private ConfigCommands() {
    }

    /** Adds every configuration and show command to the table. */
    static void register(CommandTable.Builder t) {
        t.add("profile", Group.CONFIG, "<name>",
                "Makes the following commands change profile <name> (created if needed) instead of the global"
                        + " defaults.",
                (s, a) -> {
                    String name = name(a.next("profile name is missing"));
                    s.enterProfile(name);
                    s.markDirty();
                });
        t.add("delprofile", Group.CONFIG, "<name>",
                "Deletes profile <name>. If it is the current scope, later commands change a copy that is not saved.",
                (s, a) -> {
                    String name = name(a.next("profile name is missing"));
                    s.profileTable().remove(name);
                    s.markDirty();
                });
        set(t, "setparent", "parent", "<name>", "profile name is missing",
                "Sets the profile that the current one inherits from (ignored at the top level).");
        del(t, "delparent", "parent");

        set(t, "setnodeid", "nodeid", "<id>", "shared secret missing",
                "Sets the node ID: %n is the host name, %u or a trailing / a random part.");
        del(t, "delnodeid", "nodeid");
        t.add("gensecret", Group.CONFIG, "",
                "Sets secret to " + SECRET_LENGTH + " random characters from [0-9A-Za-z].",
                (s, a) -> {
                    s.scope().put("secret", newSecret());
                    s.markDirty();
                });
        set(t, "setsecret", "secret", "<secret>", "shared secret missing",
                "Sets the shared secret of the hmac_sha3_512 and cleartext authentication.");
        del(t, "delsecret", "secret");
        t.add("gencert", Group.CONFIG, "",
                "Makes a self-signed certificate (RSA 2048, CN=AnyEvent::MP, valid 3650 days) and stores it,"
                        + " then its private key, as PEM in cert. A cert turns TLS on.",
                (s, a) -> {
                    s.scope().put("cert", CertificateGenerator.selfSigned());
                    s.markDirty();
                });
        t.add("setcert", Group.CONFIG, "<file>",
                "Stores the contents of a PEM file (private key, certificate, CA certificates) in cert.",
                (s, a) -> {
                    String file = Words.text(a.next("key+certificate pem filename missing"));
                    s.scope().put("cert", readPem(file));
                    s.markDirty();
                });
        del(t, "delcert", "cert");

        list(t, "seeds", "seed", "<host:port>", "seed addresses missing", "seed address missing",
                "the seed nodes (host:port) used to find other nodes");
        list(t, "binds", "bind", "<host:port>", "bind addresses missing", "bind address missing",
                "the listen endpoints (*, *:4040, 4040, host:port); an empty list means no listener");
        set(t, "setservices", "services", "<list>", "service specifications missing",
                "Sets the services started after configuration: module names ending in ::, function names, or"
                        + " [func, args...] arrays (JSON form).", true);
        del(t, "delservices", "services");
        t.add("addservice", Group.CONFIG, "<spec>", "Appends a service to the list (duplicates are kept).",
                (s, a) -> {
                    Object spec = a.next("service specification missing");
                    mutableList(s.scope(), "services").add(spec);
                    s.markDirty();
                });
        t.add("delservice", Group.CONFIG, "<spec>",
                "Removes the first service equal to <spec> (array entries never match). Leaves [] if the"
                        + " list was missing.",
                (s, a) -> {
                    Object spec = a.next("service specification missing");
                    List<Object> services = mutableList(s.scope(), "services");
                    for (int i = 0; i < services.size(); i++) {
                        if (Words.perlEquals(services.get(i), spec)) {
                            services.remove(i);
                            break;
                        }
                    }
                    s.markDirty();
                });
        set(t, "seteval", "eval", "<perl>", "eval string missing",
                "Sets Perl code that a Perl node runs at the end of its configuration.");
        del(t, "deleval", "eval");

        for (String opt : OPTIONS) {
            set(t, "set" + opt, opt, "<value>", opt + " value is missing", optionDescription(opt));
            del(t, "del" + opt, opt);
        }

        t.add("showprofile", Group.SHOW, "<name>",
                "Prints the keys stored in profile <name>, without inherited ones ({} if there is none).",
                ConfigCommands::showProfile);
        t.add("showconfig", Group.SHOW, "[<name> [<key> <value>]...]",
                "Prints the effective configuration of profile <name> (default: the host name), with the built-in"
                        + " defaults and the pairs given as configure arguments (norc 1 and force 1 work too). Takes"
                        + " all remaining words.",
                ConfigCommands::showConfig);
    }

    /** Perl: {@code $cfg->{profile}{$name} || {}}, so a Perl-false profile prints {} too. */
    private static void showProfile(Session s, Arguments a) {
        String name = name(a.next("profile name is missing"));
        Object p = s.profileTable().get(name);
        Map<String, Object> shown;
        try {
            shown = PerlValues.isTrue(p) ? Profiles.of(s.rc(), s.env().hostName()).showProfile(name) : Map.of();
        } catch (ConfigException e) {
            throw CommandException.failure(e.getMessage(), e);
        }
        s.out().print(PrettyJson.write(shown));
    }

    private static void showConfig(Session s, Arguments a) {
        List<Object> rest = a.rest();
        String name = rest.isEmpty() ? s.env().hostName().get() : name(rest.get(0));
        Map<String, Object> kv = new LinkedHashMap<>();
        for (int i = 1; i < rest.size(); i += 2) {
            // Perl's my ($name, %kv) = @_: an odd last key gets undef
            kv.put(Words.text(rest.get(i)), i + 1 < rest.size() ? rest.get(i + 1) : null);
        }
        EffectiveConfig effective;
        try {
            effective = Profiles.of(s.rc(), () -> name).effective(name, kv);
        } catch (ConfigException e) {
            throw CommandException.failure(e.getMessage(), e);
        }
        s.out().print(PrettyJson.write(effective.showConfig()));
    }

    /** {@code set<key> <value>}: stores the value, or for list keys the {@link Words#listArgument} of it. */
    private static void set(CommandTable.Builder t, String command, String key, String synopsis, String missing,
                            String description) {
        set(t, command, key, synopsis, missing, description, false);
    }

    private static void set(CommandTable.Builder t, String command, String key, String synopsis, String missing,
                            String description, boolean isList) {
        t.add(command, Group.CONFIG, synopsis, description, (s, a) -> {
            Object value = a.next(missing);
            s.scope().put(key, isList ? Words.listArgument(value) : value);
            s.markDirty();
        });
    }

    private static void del(CommandTable.Builder t, String command, String key) {
        t.add(command, Group.CONFIG, "", "Removes " + key + " from the current scope (it is inherited again).",
                (s, a) -> {
                    s.scope().remove(key);
                    s.markDirty();
                });
    }

    /** set/del/add/del-one for seeds and binds, which behave the same. */
    private static void list(CommandTable.Builder t, String key, String one, String synopsis, String missingList,
                             String missingOne, String what) {
        set(t, "set" + key, key, "<list>", missingList,
                "Sets " + key + " (a JSON array, or a comma-separated list): " + what + ".", true);
        del(t, "del" + key, key);
        t.add("add" + one, Group.CONFIG, synopsis,
                "Adds " + synopsis + " to " + key + " (removing equal entries first).",
                (s, a) -> {
                    Object item = a.next(missingOne);
                    List<Object> list = mutableList(s.scope(), key);
                    list.removeIf(x -> Words.perlEquals(x, item));
                    list.add(item);
                    s.markDirty();
                });
        t.add("del" + one, Group.CONFIG, synopsis,
                "Removes every entry equal to " + synopsis + " from " + key + ". Leaves [] if " + key
                        + " was missing, which stops inheritance.",
                (s, a) -> {
                    Object item = a.next(missingOne);
                    mutableList(s.scope(), key).removeIf(x -> Words.perlEquals(x, item));
                    s.markDirty();
                });
    }

    /**
     * The scope's list under {@code key}, created as {@code []} if missing or null (Perl
     * autovivifies it), as a mutable copy put back in its place.
     *
     * @throws CommandException if the key holds something else than an array
     */
    private static List<Object> mutableList(Map<String, Object> scope, String key) {
        Object value = scope.get(key);
        if (value != null && !(value instanceof List)) {
            throw CommandException.failure("cannot change " + key + ": it must be a JSON array, found "
                    + PerlValues.describe(value));
        }
        List<Object> list = value == null ? new ArrayList<>() : new ArrayList<>((List<?>) value);
        scope.put(key, list);
        return list;
    }

    /** A profile name, as Perl uses a value as a hash key. Arrays and objects are refused. */
    private static String name(Object value) {
        if (value instanceof List || value instanceof Map) {
            throw CommandException.usage("profile name must be a string, found " + PerlValues.describe(value));
        }
        return Words.text(value);
    }

    /** 180 characters from [0-9A-Za-z], from a cryptographic generator (Perl uses rand). */
    static String newSecret() {
        StringBuilder b = new StringBuilder(SECRET_LENGTH);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            b.append(SECRET_ALPHABET.charAt(SecretRandom.INSTANCE.nextInt(SECRET_ALPHABET.length())));
        }
        return b.toString();
    }

    /** The file's whole text, unchecked, as Perl's setcert reads it; errors as {@code <file>: <reason>}. */
    private static String readPem(String file) {
        byte[] bytes;
        try {
            if (file.isEmpty()) {
                throw new NoSuchFileException(file);
            }
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException | InvalidPathException e) {
            throw CommandException.failure(IoErrors.describe(file, e), e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CommandException.failure(file + ": not a PEM text file (not UTF-8)", e);
        }
    }

    private static String optionDescription(String opt) {
        return switch (opt) {
            case "secure" -> "Sets secure: if true, refuse remote eval and remote function calls (spawn).";
            case "monitor_timeout" -> "Sets monitor_timeout, in seconds (default 30).";
            case "connect_interval" -> "Sets connect_interval, in seconds (default 2).";
            case "framing_format" -> "Sets framing_format, the framings in order of preference; give a JSON array,"
                    + " e.g. '[\"json\",\"storable\"]'.";
            case "auth_offer" -> "Sets auth_offer, the authentication methods this node may send; give a JSON array.";
            case "auth_accept" -> "Sets auth_accept, the authentication methods announced to others; give a JSON"
                    + " array.";
            case "autocork" -> "Sets autocork (write batching; default false).";
            case "nodelay" -> "Sets nodelay (TCP_NODELAY; default true).";
            case "handshake_timeout" -> "Sets handshake_timeout, the deadline of a handshake in seconds (default 10;"
                    + " Java only).";
            case "max_handshakes" -> "Sets max_handshakes, handshakes under way at once (default 256; Java only).";
            case "max_handshakes_per_address" -> "Sets max_handshakes_per_address (default 32; Java only).";
            case "auth_failure_delay" -> "Sets auth_failure_delay, the longest wait after failed authentication,"
                    + " in seconds (default 5; Java only).";
            case "liveness_timeout" -> "Sets liveness_timeout: a link silent this long, in seconds, counts as lost"
                    + " (default 15; Java only).";
            case "max_frame_elements" -> "Sets max_frame_elements, the most values one received message may hold"
                    + " (default 1000000; Java only).";
            case "decode_buffer_budget" -> "Sets decode_buffer_budget, the bytes all links together may hold for"
                    + " messages still arriving (default 4 times the frame limit, 256 MiB; Java only).";
            case "close_timeout" -> "Sets close_timeout, how long closing waits for queued messages to be sent, in"
                    + " seconds (default 5; Java only).";
            case "link_busy_threshold" -> "Sets link_busy_threshold, the bytes queued on a link above which it is"
                    + " busy (default 1 MiB; Java only).";
            case "link_backlog_limit" -> "Sets link_backlog_limit, the bytes queued on a link at which a send fails"
                    + " the link (default 16 MiB; Java only).";
            case "link_chunk_size" -> "Sets link_chunk_size, the chunk size of large messages between Java nodes, in"
                    + " bytes (default 65536; 0 turns chunking off; Java only).";
            case "mailbox_busy_messages" -> "Sets mailbox_busy_messages, the messages waiting in a mailbox above which"
                    + " its links stop reading (default 10000; Java only).";
            case "mailbox_busy_bytes" -> "Sets mailbox_busy_bytes, the bytes of remote messages waiting in a mailbox"
                    + " above which its links stop reading (default 8 MiB; Java only).";
            case "inline_callbacks" -> "Sets inline_callbacks: if true, a callback for a message from another node"
                    + " runs on the I/O thread that read it (default false; Java only).";
            default -> "Sets " + opt + ".";
        };
    }
}
