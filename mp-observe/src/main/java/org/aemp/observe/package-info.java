/**
 * Watching an AEMP network from a browser. {@link org.aemp.observe.Observer} runs on a node of its
 * own, a normal leaf: it learns the network's nodes from the global database (families {@code 'l}
 * and {@code 'g}), each node's links from the {@code up_nodes} request that Perl and Java nodes
 * answer, and the numbers of a Java node's links from its {@link org.aemp.observe.StatsAgent}, and
 * serves one page that draws it all, updated by server-sent events. Perl nodes need nothing new.
 */
package org.aemp.observe;
