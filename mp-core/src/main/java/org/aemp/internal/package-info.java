/** Not API; may change in any release. The node's implementation: kernel, network, global service. */
package org.aemp.internal;
