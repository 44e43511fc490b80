package org.aemp.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The words of an {@code aemp} command line that have not been used yet, after the JSON
 * rewriting of {@link JsonArguments}: plain values ({@link String}, or any JSON value for
 * JSON-form arguments; {@code null} is a legal word). Each command takes what it needs from the
 * front; the next word is the next command. Not thread-safe; confined to the thread running the
 * command line.
 */
final class Arguments {
    private final List<Object> words;
    private int next;

    Arguments(List<Object> words) {
        this.words = new ArrayList<>(words);
    }

    /** True if any word is left. */
    boolean hasNext() {
        return next < words.size();
    }

    /**
     * Takes the next word. Like Perl's {@code @ARGV >= 1 or die}, any word counts, even an empty
     * string or {@code null}.
     *
     * @param missing the message if no word is left (Perl's text, e.g. {@code seed address missing})
     * @throws CommandException a usage error with that message if no word is left
     */
    Object next(String missing) {
        if (!hasNext()) {
            throw CommandException.usage(missing);
        }
        return words.get(next++);
    }

    /** Takes every word that is left (possibly none). */
    List<Object> rest() {
        List<Object> rest = Collections.unmodifiableList(new ArrayList<>(words.subList(next, words.size())));
        next = words.size();
        return rest;
    }

    /** How many words have been taken so far, the command words included. */
    int position() {
        return next;
    }
}
