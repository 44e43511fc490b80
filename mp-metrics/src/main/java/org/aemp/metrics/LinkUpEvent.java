package org.aemp.metrics;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code org.aemp.LinkUp}: a link to another node came up. Committed by {@link AempJfr}. */
@Name("org.aemp.LinkUp")
@Label("AEMP Link Up")
@Category({"AEMP", "Links"})
@Description("A link to another node came up")
@StackTrace(false)
final class LinkUpEvent extends Event {
    @Label("Node")
    @Description("This node's id")
    String node;

    @Label("Peer")
    @Description("The other node's id")
    String peer;
}
