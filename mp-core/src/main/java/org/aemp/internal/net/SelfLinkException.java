package org.aemp.internal.net;

import java.io.IOException;

/**
 * A dial reached this very node. For a seed address this means "I am one of my own seeds", which
 * makes a node global, as in AEMP 2.02.
 */
public final class SelfLinkException extends IOException {
    private static final long serialVersionUID = 1L;

    SelfLinkException(String message) {
        super(message);
    }
}
