package io.streamfold.aggregator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.streamfold.parser.internal.DirectBufferFramer;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.composite.SniffingFramer;
import io.streamfold.parser.sse.SseTokenizer;
import io.streamfold.parser.StreamError;
import org.agrona.DirectBuffer;

/**
 * Gemini's two transports behind one framer: a streamed JSON array when the body starts with {@code [},
 * else SSE. Two leniencies over plain SSE, matching how Google's client libraries read these streams line
 * by line:
 * <ul>
 *   <li>A last event whose closing blank line never came is still dispatched at {@link #end()} (some
 *       recorded Gemini bodies end with a single CRLF). A body cut off inside an event then yields a
 *       malformed payload error rather than a silent drop.</li>
 *   <li>A line that starts with {@code {} is not an SSE field line (Gemini sends none such) but a bare
 *       JSON value written straight into the body: Vertex ends a stream that fails mid-way with a
 *       pretty-printed {@code {"error": {...}}} object. From that byte on the rest of the body is read as
 *       bare JSON values, each delivered as one frame with its stream offset, so that the dialect sees the
 *       error. An event still waiting for its blank line is dispatched first, as a line reader would have.
 *       After a bare value only whitespace is expected (a comma between values is tolerated, as they are
 *       framed as array elements); anything else is a {@link ErrorKind#MALFORMED_FRAMING} error and the rest
 *       of the body is ignored, since SSE framing was already broken. A bare value cut off by the end of
 *       input is a {@link ErrorKind#TRUNCATED} error at its start. The SSE bytes before it and their events
 *       are untouched.</li>
 * </ul>
 */
final class GeminiFramer implements Framer
{
    private static final byte[] BLANK_LINE = { '\n', '\n' };

    private final SseThenBare sseThenBare;
    private final SniffingFramer framer;
    private boolean ended;

    GeminiFramer(final FrameListener listener, final FramingLimits limits)
    {
        sseThenBare = new SseThenBare(listener, limits);
        framer = new SniffingFramer((byte)'[', new JsonArrayFramer(listener, limits), sseThenBare);
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
        return framer.bytesFed();
    }

    @Override
    public long framesDelivered()
    {
        return framer.framesDelivered();
    }

    /** @return true once a bare JSON value was met in SSE mode, for tests. */
    boolean readingBareValues()
    {
        return framer.chosen() == sseThenBare && sseThenBare.bare;
    }

    /**
     * SSE until a line starts with {@code {}, then bare JSON values: the SSE tokenizer is fed up to that
     * line (it holds no partial line there), and the JSON array framer, primed with a synthetic {@code [}
     * placed one byte before, gets everything after. Finding line starts costs a word-at-a-time scan for
     * CR and LF; the bytes themselves still go to the tokenizer as the caller's views.
     */
    private static final class SseThenBare extends DirectBufferFramer implements FrameListener
    {
        private static final byte[] OPEN_ARRAY = { '[' };
        private static final long LF_WORD = 0x0A0A0A0A0A0A0A0AL;
        private static final long CR_WORD = 0x0D0D0D0D0D0D0D0DL;
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGHS = 0x8080808080808080L;

        private final FrameListener listener;
        private final SseTokenizer sse;
        private final JsonArrayFramer values;

        /** The next byte fed is the first of a line. */
        private boolean lineStart = true;
        /** Bytes of a leading UTF-8 byte order mark seen; the tokenizer drops it, so it starts no line. */
        private int bomMatched;
        private boolean bare;
        private boolean ending;
        private boolean ended;

        SseThenBare(final FrameListener listener, final FramingLimits limits)
        {
            this.listener = listener;
            sse = new SseTokenizer(listener, limits);
            values = new JsonArrayFramer(this, limits);
        }

        @Override
        public void feed(final DirectBuffer buffer, final int offset, final int length)
        {
            if (bare)
            {
                values.feed(buffer, offset, length);
                return;
            }
            checkRange(buffer, offset, length);
            if (ended || length == 0)
            {
                return;
            }
            final int valueStart = findBareValue(buffer, offset, offset + length);
            if (valueStart < 0)
            {
                sse.feed(buffer, offset, length);
                return;
            }
            if (valueStart > offset)
            {
                sse.feed(buffer, offset, valueStart - offset);
            }
            final long streamOffset = sse.bytesFed();
            // The tokenizer stands at a line start: a blank line dispatches the event still open, if any (two
            // line ends, as the first may only complete a CRLF whose CR ended the previous slice).
            sse.feed(BLANK_LINE, 0, BLANK_LINE.length);
            bare = true;
            values.continueAt(streamOffset - 1, sse.framesDelivered());
            values.feed(OPEN_ARRAY, 0, 1);
            values.feed(buffer, valueStart, offset + length - valueStart);
        }

        /** @return index of a {@code {} that starts a line, or -1; tracks line starts across slices. */
        private int findBareValue(final DirectBuffer buffer, final int offset, final int end)
        {
            final long base = sse.bytesFed() - offset;
            boolean lineStart = this.lineStart;
            int i = offset;
            while (i < end)
            {
                if (lineStart)
                {
                    final byte b = buffer.getByte(i);
                    if (b == '{')
                    {
                        this.lineStart = true;
                        return i;
                    }
                    i++;
                    if (bomMatched < 3 && base + i - 1 == bomMatched && b == bomByte(bomMatched))
                    {
                        bomMatched++;
                        continue;
                    }
                    if (b == '\n' || b == '\r')
                    {
                        continue;
                    }
                    lineStart = false;
                }
                i = nextLineEnd(buffer, i, end);
                if (i < end)
                {
                    lineStart = true;
                    i++;
                }
            }
            this.lineStart = lineStart;
            return -1;
        }

        /** @return index of the first CR or LF at or after {@code from}, or {@code end}. */
        private static int nextLineEnd(final DirectBuffer buffer, final int from, final int end)
        {
            int i = from;
            while (i <= end - Long.BYTES)
            {
                final long word = buffer.getLong(i, ByteOrder.LITTLE_ENDIAN);
                final long lf = word ^ LF_WORD;
                final long cr = word ^ CR_WORD;
                if ((((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS) != 0)
                {
                    break;
                }
                i += Long.BYTES;
            }
            while (i < end)
            {
                final byte b = buffer.getByte(i);
                if (b == '\n' || b == '\r')
                {
                    return i;
                }
                i++;
            }
            return end;
        }

        @Override
        public void end()
        {
            if (ended)
            {
                return;
            }
            ended = true;
            if (bare)
            {
                ending = true;
                values.end();
                ending = false;
            }
            else
            {
                // A blank line after a complete one dispatches nothing, so this only adds the missing terminator.
                sse.feed(BLANK_LINE, 0, BLANK_LINE.length);
                sse.end();
            }
        }

        @Override
        public void reset()
        {
            sse.reset();
            values.reset();
            lineStart = true;
            bomMatched = 0;
            bare = false;
            ending = false;
            ended = false;
        }

        @Override
        public long bytesFed()
        {
            if (bare)
            {
                return values.bytesFed();
            }
            return ended ? sse.bytesFed() - BLANK_LINE.length : sse.bytesFed();
        }

        @Override
        public long framesDelivered()
        {
            return bare ? values.framesDelivered() : sse.framesDelivered();
        }

        @Override
        public void onFrame(final Frame frame)
        {
            listener.onFrame(frame);
        }

        @Override
        public void onError(final StreamError error)
        {
            // The array was never opened in the body, so its missing ']' is no error; a value left open is.
            if (ending && error.kind() == ErrorKind.TRUNCATED && error.byteOffset() == values.bytesFed())
            {
                return;
            }
            listener.onError(error);
        }

        private static byte bomByte(final int index)
        {
            return index == 0 ? (byte)0xEF : index == 1 ? (byte)0xBB : (byte)0xBF;
        }
    }
}
