package org.aemp.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of {@code aemp observe}: its own options, wherever they stand, and the rest, which
 * configure the node as {@code run}'s words do ({@code [<profile>] [<key> <value>]...}).
 *
 * <pre>{@code
 * http=<host>:<port>   where the page is served (default 127.0.0.1:0, a port the OS picks)
 * public               allow a non-loopback http address; the page then needs a token
 * families=<f>,<f>...  database families to show besides 'l, 'g and the agents'
 * }</pre>
 *
 * @param nodeWords the words for the node, in their order
 * @param http the {@code http=} value, or null for the default
 * @param publicAccess true if {@code public} was given
 * @param families the families asked for
 */
record ObserveArguments(List<Object> nodeWords, String http, boolean publicAccess, List<String> families) {
    static final String HTTP = "http=";
    static final String PUBLIC = "public";
    static final String FAMILIES = "families=";

    ObserveArguments {
        nodeWords = java.util.Collections.unmodifiableList(new ArrayList<>(nodeWords));
        families = List.copyOf(families);
    }

    /**
     * Sorts {@code words} into options and node words.
     *
     * @throws CommandException a usage error for an option given twice or an empty family name
     */
    static ObserveArguments parse(List<Object> words) {
        List<Object> node = new ArrayList<>();
        String http = null;
        boolean isPublic = false;
        List<String> families = null;
        for (Object w : words) {
            String text = w instanceof String s ? s : null;
            if (text != null && text.startsWith(HTTP)) {
                if (http != null) {
                    throw CommandException.usage("observe: http= given twice");
                }
                http = text.substring(HTTP.length());
            } else if (PUBLIC.equals(text)) {
                if (isPublic) {
                    throw CommandException.usage("observe: public given twice");
                }
                isPublic = true;
            } else if (text != null && text.startsWith(FAMILIES)) {
                if (families != null) {
                    throw CommandException.usage("observe: families= given twice");
                }
                families = new ArrayList<>();
                for (String f : text.substring(FAMILIES.length()).split(",", -1)) {
                    if (f.isEmpty()) {
                        throw CommandException.usage("observe: an empty family name in '" + text + "'");
                    }
                    families.add(f);
                }
            } else {
                node.add(w);
            }
        }
        return new ObserveArguments(node, http, isPublic, families == null ? List.of() : families);
    }
}
