package org.aemp.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code org.aemp.Overflow}: a send hit a link's backlog limit (kind {@code link}: the
 * link fails), or a port went over its mailbox capacity (kind {@code mailbox}: it is killed).
 * Committed by {@link AempJfr}.
 */
@Name("org.aemp.Overflow")
@Label("AEMP Overflow")
@Category({"AEMP", "Flow Control"})
@Description("A link's backlog limit or a mailbox's capacity was exceeded")
@StackTrace(false)
final class OverflowEvent extends Event {
    static final String LINK = "link";
    static final String MAILBOX = "mailbox";

    @Label("Node")
    @Description("This node's id")
    String node;

    @Label("Kind")
    @Description("link (backlog limit) or mailbox (capacity)")
    String kind;

    @Label("Where")
    @Description("The other node's id (link), or the port's id (mailbox)")
    String where;

    @Label("Reason")
    String reason;
}
