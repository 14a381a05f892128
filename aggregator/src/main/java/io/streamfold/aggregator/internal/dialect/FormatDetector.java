package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.Format;

/**
 * Decides a stream's format from its first bytes and first telling event, for {@link Format#AUTO}. Every
 * supported provider's first real event carries a marker no other provider's has; keepalives before it
 * are passed over ({@link FormatSniffer}). Only a prefix of at most {@link #MAX_SNIFF_BYTES} is ever
 * looked at, so detection costs nothing once decided.
 */
public final class FormatDetector
{
    /** Past this many bytes without a complete first event, decide from what there is. */
    public static final int MAX_SNIFF_BYTES = 64 * 1024;

    private FormatDetector()
    {
    }

    /**
     * @param bytes  the stream's first bytes.
     * @param length how many.
     * @param ended  true when no more bytes will come.
     * @return the format, or null when more bytes are needed.
     */
    public static Format detect(final byte[] bytes, final int length, final boolean ended)
    {
        return new FormatSniffer().offer(bytes, length, ended);
    }
}
