/** The AEMP {@code json} framing: UTF-8 JSON arrays back to back, parsed incrementally. */
package org.aemp.codec.json;
