package org.aemp.spi;

/** A received message is longer than the configured frame limit. */
public final class FrameTooLongException extends CodecException {
    private static final long serialVersionUID = 1L;

    public FrameTooLongException(String codec, long length, int limit) {
        super(codec + ": message of at least " + length + " bytes exceeds the frame limit of " + limit + " bytes");
    }
}
