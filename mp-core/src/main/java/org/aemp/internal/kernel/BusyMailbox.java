package org.aemp.internal.kernel;

/**
 * A local port whose mailbox is over its threshold now.
 *
 * @param name the port's name
 * @param messages messages waiting
 * @param bytes bytes waiting (counted for messages from other nodes)
 */
public record BusyMailbox(String name, int messages, long bytes) {
}
