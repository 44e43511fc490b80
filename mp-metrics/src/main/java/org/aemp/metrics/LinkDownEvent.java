package org.aemp.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code org.aemp.LinkDown}: a link to another node went down. Committed by {@link AempJfr}. */
@Name("org.aemp.LinkDown")
@Label("AEMP Link Down")
@Category({"AEMP", "Links"})
@Description("A link to another node went down; its monitors fired")
@StackTrace(false)
final class LinkDownEvent extends Event {
    @Label("Node")
    @Description("This node's id")
    String node;

    @Label("Peer")
    @Description("The other node's id")
    String peer;

    @Label("Reason")
    @Description("Why, as the transport_error kill reason says it")
    String reason;
}
