package io.streamfold.parser.sse;

import org.agrona.DirectBuffer;

import io.streamfold.parser.FrameListener;

/**
 * A {@link FrameListener} that also wants what an SSE stream carries besides events: comments (which
 * gateways and servers use as keep-alives) and {@code retry} updates. Pass one to {@link SseTokenizer};
 * a plain {@link FrameListener} gets events only, and comments then cost nothing beyond the scan.
 */
public interface SseListener extends FrameListener
{
    /**
     * A complete comment line was read.
     *
     * @param buffer holding the comment; valid only during this call.
     * @param offset first byte after the {@code ':'} (a leading space, if any, is kept).
     * @param length bytes up to, not including, the line end.
     */
    default void onComment(final DirectBuffer buffer, final int offset, final int length)
    {
    }

    /**
     * A valid {@code retry} field set the reconnection time. Called in stream order, also for blocks that
     * never dispatch an event.
     *
     * @param millis the new reconnection time in milliseconds; values past {@link Long#MAX_VALUE} saturate.
     */
    default void onRetry(final long millis)
    {
    }
}
