package org.aemp.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AEMP rc file ({@code ~/.perl-anyevent-mp}), shared with Perl's AnyEvent::MP 2.02 and its
 * {@code aemp} tool: all nodes of one user read the secret and the profiles from it.
 *
 * <p><b>Where:</b> {@code $PERL_ANYEVENT_MP_RC} if set, else {@code $HOME/.perl-anyevent-mp} if
 * {@code HOME} is set, else {@code $APPDATA/perl-anyevent-mp} ({@link #locate(Map)}).
 *
 * <p><b>Reading</b> ({@link #load()}) is as lenient as Perl's {@code JSON::XS} relaxed mode:
 * trailing commas and {@code #} comments are fine. The result is a mutable tree of plain values
 * ({@link String}, {@link Boolean}, {@link Number}, {@code null}, {@link java.util.List},
 * {@link Map}) with keys in file order. A missing file reads as {@code {"version":1}}, as in Perl.
 * A file that cannot be parsed throws {@link RcFileException}; here we part from Perl, which
 * would silently use {@code {"version":1}} and later write over the broken file.
 *
 * <p><b>Writing</b> ({@link #save(Map)}) produces exactly Perl's layout ({@link PrettyJson} plus
 * one more newline, so the file ends in {@code "}\n\n"}), with keys in the map's iteration order
 * where Perl uses its random hash order. The steps are Perl's: write {@code <file>~new~}, remove
 * any {@code <file>~}, hard-link the old file to {@code <file>~} (we copy it if linking fails), and
 * rename {@code <file>~new~} over the file. A top-level {@code dirty} key, Perl's "needs saving"
 * flag, is left out as Perl leaves it out. Three differences, all for safety: a file that exists
 * but cannot be parsed is never overwritten; {@code <file>~new~} is created with its final
 * permissions (the old file's, or readable by its owner only for a first file, since it holds
 * the secret), where Perl creates it with the umask, so the secret is never readable by more users
 * than the finished file allows; and if writing or renaming fails, the partial
 * {@code <file>~new~} is deleted before the error is thrown.
 *
 * <p>Immutable and thread-safe, but the file is not locked: two processes saving at once each
 * write their whole tree and the last rename wins, as with Perl.
 */
public final class RcFile {
    /** The environment variable naming the rc file. */
    public static final String ENV_RC = "PERL_ANYEVENT_MP_RC";
    /** The rc file's name in {@code $HOME}. */
    public static final String HOME_NAME = ".perl-anyevent-mp";
    /** The rc file's name in {@code $APPDATA} (Windows). */
    public static final String APPDATA_NAME = "perl-anyevent-mp";

    private static final Logger log = LoggerFactory.getLogger(RcFile.class);
    /** The mode of a first rc file: it holds the secret. */
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    private RcFile(Path path) {
        this.path = path;
    }

    /** The rc file at this path. */
    public static RcFile at(Path path) {
        return new RcFile(requireNonNull(path, "path"));
    }

    /** The rc file that this process's environment names; see {@link #locate(Map)}. */
    public static RcFile locate() {
        return locate(System.getenv());
    }

    /**
     * The rc file that {@code env} names, as Perl finds it: {@code PERL_ANYEVENT_MP_RC} if the
     * variable exists, else {@code HOME}, else {@code APPDATA}.
     *
     * @throws IllegalStateException if {@code PERL_ANYEVENT_MP_RC} is set but empty, or none of
     *     the three variables is set (Perl would then use {@code /perl-anyevent-mp})
     */
    public static RcFile locate(Map<String, String> env) {
        requireNonNull(env, "env");
        String rc = env.get(ENV_RC);
        if (rc != null) {
            if (rc.isEmpty()) {
                throw new IllegalStateException(ENV_RC + " is set but empty; unset it or name the rc file");
            }
            return at(Path.of(rc));
        }
        String home = env.get("HOME");
        if (home != null) {
            return at(Path.of(home, HOME_NAME));
        }
        String appData = env.get("APPDATA");
        if (appData != null) {
            return at(Path.of(appData, APPDATA_NAME));
        }
        throw new IllegalStateException("cannot locate the rc file: none of " + ENV_RC + ", HOME and APPDATA is set");
    }

    /** Where the file is. */
    public Path path() {
        return path;
    }

    /** Where {@link #save} keeps the previous version: {@code <file>~}. */
    public Path backupPath() {
        return sibling("~");
    }

    /** The temporary file {@link #save} writes first: {@code <file>~new~}. */
    public Path newPath() {
        return sibling("~new~");
    }

    /**
     * Reads the file: a new, mutable tree with keys in file order, or {@code {"version":1}} if the
     * file does not exist.
     *
     * @throws RcFileException if the file is not UTF-8, not relaxed JSON, or not a JSON object;
     *     the message names the file, the line and column, and the problem
     * @throws IOException if the file exists but cannot be read
     */
    public Map<String, Object> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            log.debug("no rc file at {}; using {{\"version\":1}}", path);
            return empty();
        }
        return RelaxedJsonReader.parseObject(bytes, path.toString());
    }

    /** The tree of a missing rc file: {@code {"version":1}}, mutable. */
    public static Map<String, Object> empty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1L);
        return m;
    }

    /**
     * Parses rc file text (relaxed JSON whose top level is an object) into a mutable tree of plain
     * values with keys in text order.
     *
     * @param source names the text in error messages (a file name)
     * @throws RcFileException if the text cannot be parsed or is not an object
     */
    public static Map<String, Object> parse(String text, String source) throws RcFileException {
        return RelaxedJsonReader.parseObject(requireNonNull(text, "text"), requireNonNull(source, "source"));
    }

    /**
     * Parses rc file bytes, which must be UTF-8; see {@link #parse(String, String)}.
     *
     * @throws RcFileException if the bytes are not UTF-8, or as {@link #parse(String, String)}
     */
    public static Map<String, Object> parse(byte[] utf8, String source) throws RcFileException {
        return RelaxedJsonReader.parseObject(requireNonNull(utf8, "utf8"), requireNonNull(source, "source"));
    }

    /**
     * The exact text {@link #save} writes for this tree: Perl's pretty JSON followed by one more
     * newline, without a top-level {@code dirty} key.
     *
     * @throws IllegalArgumentException if the tree holds something JSON cannot express
     */
    public static String format(Map<String, ?> config) {
        Map<String, Object> copy = new LinkedHashMap<>(requireNonNull(config, "config"));
        copy.remove("dirty");
        return PrettyJson.write(copy) + "\n";
    }

    /**
     * Writes the tree to the file, keeping the previous version as {@code <file>~}.
     *
     * @throws RcFileException if the file exists but cannot be parsed: it is left as it is, so
     *     that nothing in it is lost; fix or remove it first
     * @throws IllegalArgumentException if the tree holds something JSON cannot express
     * @throws IOException if writing, or renaming the new file into place, fails (the old file is
     *     then untouched and {@code <file>~new~} is removed)
     */
    public void save(Map<String, ?> config) throws IOException {
        byte[] text = format(config).getBytes(StandardCharsets.UTF_8);
        boolean exists = Files.exists(path);
        if (exists) {
            try {
                RelaxedJsonReader.parseObject(Files.readAllBytes(path), path.toString());
            } catch (RcFileException e) {
                throw new RcFileException(path.toString(), -1, -1,
                        "refusing to overwrite an rc file that cannot be parsed; fix or remove it first ("
                                + e.getMessage() + ")", e);
            }
        }

        Path tmp = newPath();
        Files.deleteIfExists(tmp);
        Set<PosixFilePermission> mode = exists ? modeOf(path) : OWNER_ONLY;
        try {
            writeNew(tmp, text, mode);
            Path backup = backupPath();
            if (exists) {
                backup(backup);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // leave no partial <file>~new~ (it may hold the secret) behind
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.debug("saved rc file {} ({} bytes)", path, text.length);
    }

    /**
     * Creates {@code tmp} (which must not exist) with {@code mode} from the start, so that the
     * text is never readable by more users than {@code mode} allows, writes and syncs the text,
     * then sets {@code mode} exactly (the umask may have narrowed it at creation). Where the file
     * system has no POSIX permissions (Windows), the file gets the default ones.
     */
    static void writeNew(Path tmp, byte[] text, Set<PosixFilePermission> mode) throws IOException {
        boolean posix = tmp.getFileSystem().supportedFileAttributeViews().contains("posix");
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel ch = posix
                ? FileChannel.open(tmp, options, PosixFilePermissions.asFileAttribute(mode))
                : FileChannel.open(tmp, options)) {
            ByteBuffer buf = ByteBuffer.wrap(text);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (posix) {
            try {
                Files.setPosixFilePermissions(tmp, mode);
            } catch (FileSystemException e) {
                log.debug("cannot set the permissions of {}: {}", tmp, e.toString());
            }
        }
    }

    /** Perl: unlink "$file~"; link $file, "$file~". Failure only loses the backup, as in Perl. */
    private void backup(Path backup) {
        try {
            Files.deleteIfExists(backup);
            try {
                Files.createLink(backup, path);
            } catch (IOException | UnsupportedOperationException e) {
                log.debug("cannot hard-link {} to {} ({}); copying instead", path, backup, e.toString());
                Files.copy(path, backup, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            log.atWarn().addKeyValue("file", path).setCause(e).log("cannot keep a backup of the rc file as {}", backup);
        }
    }

    /** The old file's mode, which the new file keeps; owner-only if it cannot be read. */
    private static Set<PosixFilePermission> modeOf(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return OWNER_ONLY;
        }
    }

    private Path sibling(String suffix) {
        return path.resolveSibling(path.getFileName() + suffix);
    }

    @Override
    public String toString() {
        return "RcFile[" + path + "]";
    }
}
