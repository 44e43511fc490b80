/**
 * Not API; may change in any release. The kernel: the local port table, mailboxes, monitors, the
 * node-port request handlers and the function registry.
 */
package org.aemp.internal.kernel;
