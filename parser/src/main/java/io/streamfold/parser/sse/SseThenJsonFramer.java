package io.streamfold.parser.sse;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.internal.DirectBufferFramer;
import io.streamfold.parser.internal.JsonValuesFramer;

/**
 * SSE that may end in bare JSON, as Gemini and Vertex AI stream it with {@code alt=sse}. Two leniencies over
 * plain {@link SseTokenizer}, matching how Google's client libraries read these streams line by line:
 * <ul>
 *   <li>A last event whose closing blank line never came is still dispatched at {@link #end()} (some
 *       recorded Gemini bodies end with a single CRLF); an incomplete last line is read as complete.</li>
 *   <li>A line that starts with <code>{</code> is not an SSE field line (Gemini sends none such) but a bare
 *       JSON value written straight into the body: Vertex ends a stream that fails mid-way with a
 *       pretty-printed {@code {"error": {...}}} object. From that byte on the rest of the body is read as
 *       bare JSON values, each delivered as one frame, continuing the stream's offsets and frame indexes. An
 *       event still waiting for its blank line is dispatched first, as a line reader would have. Values are
 *       framed by the JSON array rules (see {@link io.streamfold.parser.jsonarray.JsonArrayFramer}) as elements
 *       of an array that was never opened: whitespace and a comma between values are accepted, anything else
 *       is a {@link ErrorKind#MALFORMED_FRAMING} error and the rest of the body is ignored, since SSE framing
 *       was already broken. A value cut off by the end of input is a {@link ErrorKind#TRUNCATED} error at its
 *       start. The SSE bytes before it and their events are untouched.</li>
 * </ul>
 * No byte is scanned twice: the tokenizer notices the <code>{</code> at a line start while it reads lines.
 */
public final class SseThenJsonFramer extends DirectBufferFramer
{
    private final SseTokenizer sse;
    private final JsonValuesFramer values;
    private boolean json;

    /**
     * Creates a framer with the default limits.
     *
     * @param listener receives events, JSON values and errors (and comments, if it is an {@link SseListener}).
     */
    public SseThenJsonFramer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives events, JSON values and errors (and comments, if it is an {@link SseListener}).
     * @param limits   bounds on lines, events and values, and so on memory.
     */
    public SseThenJsonFramer(final FrameListener listener, final FramingLimits limits)
    {
        sse = new SseTokenizer(listener, limits, this);
        values = new JsonValuesFramer(listener, limits);
    }

    /** @return true once a line starting with <code>{</code> switched the stream to bare JSON values. */
    public boolean readingJsonValues()
    {
        return json;
    }

    @Override
    public void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        if (json)
        {
            values.feed(buffer, offset, length);
        }
        else
        {
            sse.feed(buffer, offset, length);
        }
    }

    /** Called by the tokenizer at the first line starting with <code>{</code>. */
    void startJson(
        final DirectBuffer buffer, final int offset, final int length, final long streamOffset, final long frameIndex)
    {
        json = true;
        values.continueBare(streamOffset, frameIndex);
        values.feed(buffer, offset, length);
    }

    @Override
    public void end()
    {
        if (json)
        {
            values.end();
        }
        else
        {
            sse.dispatchUnterminated();
            sse.end();
        }
    }

    @Override
    public void reset()
    {
        sse.reset();
        values.reset();
        json = false;
    }

    @Override
    public long bytesFed()
    {
        return json ? values.bytesFed() : sse.bytesFed();
    }

    @Override
    public long framesDelivered()
    {
        return json ? values.framesDelivered() : sse.framesDelivered();
    }

    /** @return bytes held by the reusable buffers now: bounded by the {@link FramingLimits}, for monitoring. */
    public long retainedBytes()
    {
        return sse.retainedBytes() + values.retainedBytes();
    }
}
