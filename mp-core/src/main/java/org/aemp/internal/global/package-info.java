/**
 * Not API; may change in any release. The global service of AEMP 2.02 ({@code gproto=1}), in
 * parts of one job each: seeds ({@code Seeds}), the node's own database and master
 * ({@code Leaf}), the network's database once the node is global ({@code GlobalRole},
 * {@code GlobalDatabase}, with the keepalive mesh between global nodes, {@code Keepalive}), the
 * {@code g_*} requests ({@code GlobalRequests}), and one {@code Backoff} for both retry loops.
 * {@link org.aemp.internal.global.GlobalService} is where they meet. All state lives on one
 * serial executor, so no lock is needed inside.
 */
package org.aemp.internal.global;
