/** The {@code aemp} command-line tool: configuration commands, network commands and the demo. */
package org.aemp.cli;
