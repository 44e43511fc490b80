/**
 * Testing with aemp-java in JUnit 5: {@link org.aemp.testkit.AempNetwork} gives a test a network of
 * nodes on loopback (shared random secret, one seed, chosen framing, optional TLS), closed after
 * it; {@link org.aemp.testkit.Inbox}, {@link org.aemp.testkit.Calls},
 * {@link org.aemp.testkit.DownWatch} and {@link org.aemp.testkit.NodeWatch} wait, with timeouts and
 * failure messages that say what was expected and what came, for a message, a reply, a monitor
 * firing and a node going down; {@link org.aemp.testkit.LinkFaults} and
 * {@link org.aemp.testkit.TcpRelay} break a link on purpose (cut, stall, black hole, delay); and
 * {@link org.aemp.testkit.PerlPeer} runs a live Perl AnyEvent::MP 2.02 node, skipping the test
 * where Perl is not installed.
 *
 * <p>The kit uses only the public API of mp-core ({@code org.aemp}, {@code org.aemp.config},
 * {@code org.aemp.spi}), as a user's test would.
 */
package org.aemp.testkit;
