package org.aemp.internal.global;

import java.util.List;

/** Sends a node-port request ({@code [tag, args...]}) to another node: the kernel's way out, for the global service. */
@FunctionalInterface
public interface RequestSender {
    void send(String node, List<Object> request);
}
