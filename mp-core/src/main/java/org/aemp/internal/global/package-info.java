/**
 * Not API; may change in any release. The global service of AEMP 2.02 ({@code gproto=1}): seeds,
 * the choice of a master, the distributed database ({@code g_*} requests) held by global nodes,
 * address lookup ({@code g_find}) and the keepalive mesh between global nodes. All state lives
 * on one serial executor, so no lock is needed inside.
 */
package org.aemp.internal.global;
