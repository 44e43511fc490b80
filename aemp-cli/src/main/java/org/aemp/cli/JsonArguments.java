package org.aemp.cli;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.aemp.config.JsonSyntaxException;
import org.aemp.config.JsonValues;

/**
 * The JSON rewriting that Perl's {@code aemp} applies to its whole argument list before any
 * command runs (CONFIG-CLI.md §4.1):
 *
 * <ol>
 *   <li>If there is exactly one argument and it starts with {@code [}, it is decoded as JSON and
 *       its elements become the argument list: {@code aemp '["setmonitor_timeout", 20]'} passes
 *       the number 20.
 *   <li>Otherwise each argument starting with {@code [}, <code>{</code> or {@code "} is decoded as
 *       JSON (any value; {@code '"text"'} gives the string {@code text}) and replaced by the
 *       result. Other words stay strings: {@code 20}, {@code true} and {@code null} are text.
 *   <li>Invalid JSON stops {@code aemp} before anything runs (a usage error).
 * </ol>
 *
 * <p>Before that, every argument is checked for U+FFFD, the replacement character the JVM puts
 * where the bytes of an argument are not valid in the locale's encoding (any non-ASCII byte
 * under {@code LANG=C}): such an argument is refused with a usage error instead of being stored
 * corrupted (it could be a secret). Perl would store the bytes; Java cannot get them back.
 *
 * <p>Error messages quote a malformed argument (shortened) and Jackson's description of the
 * problem, except where the argument may hold a secret: the value after a
 * {@linkplain #SECRET_COMMANDS secret or certificate command}, and the whole-list form if its
 * text contains {@code secret} or {@code cert}. Those messages give only the argument's position,
 * the command word and the character offset, since the problem text may quote a token of it.
 *
 * Decoding is strict, as Perl's {@code JSON::XS->new->utf8} is, and done by the rc file's reader
 * in strict mode ({@link JsonValues#parseStrict}, which also says which Java values JSON values
 * become). Stateless and thread-safe.
 */
final class JsonArguments {
    /** The commands (and aliases) whose argument is not repeated in an error message. */
    static final Set<String> SECRET_COMMANDS = Set.of("setsecret", "secret", "setcert", "cert");
    /** What the JVM makes of bytes that are not valid in the locale's encoding. */
    private static final char REPLACEMENT = '\uFFFD';

    private JsonArguments() {
    }

    /**
     * Applies the rules above to a command line.
     *
     * @return the words, a new list that may hold any JSON value, {@code null} included
     * @throws CommandException a usage error naming the argument, the problem and the character
     *     offset, if an argument meant as JSON is not valid JSON, or if an argument was not valid
     *     in the locale's encoding
     */
    static List<Object> rewrite(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).indexOf(REPLACEMENT) >= 0) {
                throw notInLocaleEncoding(i + 1);
            }
        }
        if (args.size() == 1 && args.get(0).startsWith("[")) {
            String text = args.get(0);
            @SuppressWarnings("unchecked")
            List<Object> all = (List<Object>) decode(text, 1,
                    text.contains("secret") || text.contains("cert") ? "" : null);
            return all;
        }
        List<Object> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String before = i == 0 ? null : Words.text(out.get(i - 1));
            String secretOf = before != null && SECRET_COMMANDS.contains(before) ? before : null;
            out.add(isJson(a) ? decode(a, i + 1, secretOf) : a);
        }
        return out;
    }

    private static CommandException notInLocaleEncoding(int position) {
        String encoding = System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name());
        return CommandException.usage("argument " + position + " is not valid in the locale's character encoding ("
                + encoding + "): it holds bytes that would be stored as U+FFFD replacement characters. Use a UTF-8"
                + " locale (e.g. LANG=C.UTF-8), or give non-ASCII text in JSON form with \\u escapes, e.g."
                + " '\"caf\\u00e9\"'");
    }

    /** True if the argument is decoded as JSON under rule 2: it starts with {@code [}, <code>{</code> or {@code "}. */
    static boolean isJson(String arg) {
        return !arg.isEmpty() && (arg.charAt(0) == '[' || arg.charAt(0) == '{' || arg.charAt(0) == '"');
    }

    /**
     * Decodes one JSON text (any value).
     *
     * @param position the argument's 1-based position, for the error message
     * @throws CommandException a usage error if the text is not one valid JSON value
     */
    static Object decode(String text, int position) {
        return decode(text, position, null);
    }

    /**
     * @param secretOf null to quote the argument and the problem in an error message; else the
     *     command word whose value it is (empty for the whole-list form), and only the position,
     *     that word and the offset are shown
     */
    private static Object decode(String text, int position, String secretOf) {
        try {
            return JsonValues.parseStrict(text);
        } catch (JsonSyntaxException e) {
            String at = e.offset() >= 0 ? " (at character offset " + e.offset() + ")" : "";
            if (secretOf != null) {
                throw CommandException.usage("malformed JSON in argument " + position
                        + (secretOf.isEmpty() ? "" : ", the value of " + secretOf)
                        + " (not shown, it may hold a secret)" + at);
            }
            throw CommandException.usage("malformed JSON in argument " + position + " " + Words.quote(text) + ": "
                    + e.problem().replace('\n', ' ') + at);
        }
    }
}
