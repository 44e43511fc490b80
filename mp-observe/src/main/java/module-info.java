/**
 * A live view of an AEMP network in the browser ({@code aemp observe}) for {@code org.aemp.core}:
 * an observer on a leaf node, the page it serves, and the stats agent that Java nodes may run.
 */
module org.aemp.observe {
    requires transitive org.aemp.core;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports org.aemp.observe;

    provides org.aemp.Service with org.aemp.observe.StatsAgentService;
}
