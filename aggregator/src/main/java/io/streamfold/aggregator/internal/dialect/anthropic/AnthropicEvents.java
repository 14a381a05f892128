package io.streamfold.aggregator.internal.dialect.anthropic;

import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.parser.Frame;

/** The kinds of Anthropic Messages events, told by the payload's {@code type} or, without one, the SSE event name. */
final class AnthropicEvents
{
    static final int KIND_NONE = 0;
    static final int MESSAGE_START = 1;
    static final int CONTENT_BLOCK_START = 2;
    static final int CONTENT_BLOCK_DELTA = 3;
    static final int CONTENT_BLOCK_STOP = 4;
    static final int MESSAGE_DELTA = 5;
    static final int MESSAGE_STOP = 6;
    static final int PING = 7;
    static final int ERROR = 8;
    static final int UNKNOWN = 9;

    private static final String[] TYPES = {
        null, "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
        "ping", "error",
    };

    private AnthropicEvents()
    {
    }

    /** @return whether events of {@code kind} apply to the content block their {@code index} names. */
    static boolean needsIndex(final int kind)
    {
        return kind == CONTENT_BLOCK_START || kind == CONTENT_BLOCK_DELTA || kind == CONTENT_BLOCK_STOP;
    }

    /** @return the kind a payload's {@code type} names ({@link #UNKNOWN} for any other). */
    static int kindOf(final CharView type)
    {
        // The high-volume kinds first.
        for (int kind = CONTENT_BLOCK_START; kind < TYPES.length; kind++)
        {
            if (type.contentEquals(TYPES[kind]))
            {
                return kind;
            }
        }
        return type.contentEquals(TYPES[MESSAGE_START]) ? MESSAGE_START : UNKNOWN;
    }

    /** @return the kind the frame's SSE event name gives, for a payload without a type. */
    static int kindOfEventName(final Frame frame)
    {
        if (frame.typeLength() == 0)
        {
            return UNKNOWN;
        }
        for (int kind = MESSAGE_START; kind < TYPES.length; kind++)
        {
            if (frame.typeEquals(TYPES[kind]))
            {
                return kind;
            }
        }
        return UNKNOWN;
    }
}
