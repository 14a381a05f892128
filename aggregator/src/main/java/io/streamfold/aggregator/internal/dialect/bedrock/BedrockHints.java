package io.streamfold.aggregator.internal.dialect.bedrock;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.eventstream.InvokeChunks;

/**
 * How AUTO recognises a Bedrock eventstream: its prelude. ConverseStream, or an invoke stream
 * ({@code InvokeModelWithResponseStream}) of Converse-shaped events (Nova), is Bedrock's; an invoke stream whose first
 * chunk carries an Anthropic Messages event ({@code {"type":"message_start",...}}, Claude) is Anthropic's, folded into
 * the Messages API's message.
 */
public final class BedrockHints implements FormatHints
{
    public static final BedrockHints INSTANCE = new BedrockHints();
    private static final byte[] TYPE_KEY = {'"', 't', 'y', 'p', 'e', '"'};

    private BedrockHints()
    {
    }

    @Override
    public Format format()
    {
        return Format.BEDROCK;
    }

    @Override
    public boolean startsWith(final byte first, final boolean atStreamStart)
    {
        // The prelude opens with the big-endian total length, far below 16 MiB, so the first byte is 0.
        return first == 0 && atStreamStart;
    }

    @Override
    public Format framedFormat(final byte[] bytes, final int from, final int length, final boolean ended)
    {
        if (length - from < 4)
        {
            return ended ? Format.BEDROCK : null;
        }
        final long total = (bytes[from] & 0xFFL) << 24 | (bytes[from + 1] & 0xFF) << 16 | (bytes[from + 2] & 0xFF) << 8 |
            bytes[from + 3] & 0xFF;
        if (total > length - from)
        {
            // The first message is framed once, when it is all there: detection stays linear however it is sliced.
            return ended ? Format.BEDROCK : null;
        }
        final FirstChunk first = new FirstChunk();
        final EventStreamFramer framer = new EventStreamFramer(new InvokeChunks(first), FramingLimits.DEFAULT);
        framer.feed(bytes, from, (int)total);
        return first.anthropic ? Format.ANTHROPIC : Format.BEDROCK;
    }

    /** Whether the first message is an invoke stream chunk holding an Anthropic event, whose JSON opens with its type. */
    private static final class FirstChunk implements FrameListener
    {
        boolean anthropic;

        @Override
        public void onFrame(final Frame frame)
        {
            if (!frame.typeEquals(InvokeChunks.CHUNK) || frame.index() != 0)
            {
                return;
            }
            int i = frame.offset();
            final int end = i + frame.length();
            while (i < end && frame.buffer().getByte(i) != '{')
            {
                i++;
            }
            i++;
            while (i < end && (frame.buffer().getByte(i) == ' ' || frame.buffer().getByte(i) == '\n' ||
                frame.buffer().getByte(i) == '\r' || frame.buffer().getByte(i) == '\t'))
            {
                i++;
            }
            if (end - i < TYPE_KEY.length)
            {
                return;
            }
            for (int k = 0; k < TYPE_KEY.length; k++)
            {
                if (frame.buffer().getByte(i + k) != TYPE_KEY[k])
                {
                    return;
                }
            }
            anthropic = true;
        }
    }
}
