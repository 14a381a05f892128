package io.streamfold.aggregator;

import java.nio.ByteBuffer;

import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.JsonArrayFramer;
import io.streamfold.parser.SniffingFramer;
import io.streamfold.parser.SseTokenizer;
import org.agrona.DirectBuffer;

/**
 * Gemini's two transports behind one framer: a streamed JSON array when the body starts with {@code [},
 * else SSE. One leniency over plain SSE, matching how Google's client libraries read these streams line
 * by line: a last event whose closing blank line never came is still dispatched at {@link #end()} (some
 * recorded Gemini bodies end with a single CRLF). A body cut off inside an event then yields a malformed
 * payload error rather than a silent drop.
 */
final class GeminiFramer implements Framer
{
    private static final byte[] BLANK_LINE = { '\n', '\n' };

    private final SseTokenizer sse;
    private final SniffingFramer framer;
    private boolean ended;

    GeminiFramer(final FrameListener listener, final FramingLimits limits)
    {
        sse = new SseTokenizer(listener, limits);
        framer = new SniffingFramer((byte)'[', new JsonArrayFramer(listener, limits), sse);
    }

    @Override
    public void feed(final byte[] bytes, final int offset, final int length)
    {
        framer.feed(bytes, offset, length);
    }

    @Override
    public void feed(final ByteBuffer buffer)
    {
        framer.feed(buffer);
    }

    @Override
    public void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        framer.feed(buffer, offset, length);
    }

    @Override
    public void end()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        if (framer.chosen() == sse)
        {
            // A blank line after a complete one dispatches nothing, so this only adds the missing terminator.
            sse.feed(BLANK_LINE, 0, BLANK_LINE.length);
        }
        framer.end();
    }

    @Override
    public void reset()
    {
        framer.reset();
        ended = false;
    }

    @Override
    public long bytesFed()
    {
        final long fed = framer.bytesFed();
        return ended && framer.chosen() == sse ? fed - BLANK_LINE.length : fed;
    }

    @Override
    public long framesDelivered()
    {
        return framer.framesDelivered();
    }
}
