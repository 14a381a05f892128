package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.aggregator.internal.json.CharView;

/** The vocabulary of the Responses stream: event types, output item kinds, and the text tests the decoder needs. */
final class ResponsesEvents
{
    private ResponsesEvents()
    {
    }

    static final int UNKNOWN = 0;
    static final int LIFECYCLE = 1;
    static final int COMPLETED = 2;
    static final int INCOMPLETE = 3;
    static final int FAILED = 4;
    static final int ERROR = 5;
    static final int ITEM_ADDED = 6;
    static final int ITEM_DONE = 7;
    static final int CONTENT_PART_ADDED = 8;
    static final int CONTENT_PART_DONE = 9;
    static final int OUTPUT_TEXT_DELTA = 10;
    static final int OUTPUT_TEXT_DONE = 11;
    static final int ANNOTATION_ADDED = 12;
    static final int REFUSAL_DELTA = 13;
    static final int REFUSAL_DONE = 14;
    static final int ARGUMENTS_DELTA = 15;
    static final int ARGUMENTS_DONE = 16;
    static final int SUMMARY_PART_ADDED = 17;
    static final int SUMMARY_PART_DONE = 18;
    static final int SUMMARY_TEXT_DELTA = 19;
    static final int SUMMARY_TEXT_DONE = 20;
    static final int REASONING_TEXT_DELTA = 21;
    static final int REASONING_TEXT_DONE = 22;

    /** Event type names, indexed by the constants above. */
    static final String[] EVENT_TYPES = {
        null,
        null,
        "response.completed",
        "response.incomplete",
        "response.failed",
        "error",
        "response.output_item.added",
        "response.output_item.done",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_text.delta",
        "response.output_text.done",
        "response.output_text.annotation.added",
        "response.refusal.delta",
        "response.refusal.done",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_part.done",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_text.delta",
        "response.reasoning_text.done",
    };

    static final int ITEM_UNKNOWN = 0;
    static final int ITEM_MESSAGE = 1;
    static final int ITEM_REASONING = 2;
    static final int ITEM_FUNCTION_CALL = 3;
    static final int ITEM_OTHER = 4;

    static final String FUNCTION_CALL = "function_call";

    static boolean isDelta(final int eventType)
    {
        return eventType == OUTPUT_TEXT_DELTA || eventType == REFUSAL_DELTA || eventType == ARGUMENTS_DELTA ||
            eventType == SUMMARY_TEXT_DELTA || eventType == REASONING_TEXT_DELTA;
    }

    /** {@link #EVENT_TYPES} as their bytes (ASCII, no escapes). */
    private static final byte[][] EVENT_TYPE_BYTES = new byte[EVENT_TYPES.length][];

    static
    {
        for (int i = 2; i < EVENT_TYPES.length; i++)
        {
            EVENT_TYPE_BYTES[i] = EVENT_TYPES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * @return the known event type whose name is, byte for byte, the string body {@code src[from, to)} (a string whose bytes
     *         are a name without a backslash decodes to that name), or {@link #UNKNOWN} when none is: then the decoded
     *         string decides, as {@link #eventType(CharView)}.
     */
    static int knownEventType(final byte[] src, final int from, final int to)
    {
        final int n = to - from;
        for (int i = 2; i < EVENT_TYPE_BYTES.length; i++)
        {
            final byte[] name = EVENT_TYPE_BYTES[i];
            if (name.length == n && Arrays.equals(name, 0, n, src, from, to))
            {
                return i;
            }
        }
        return UNKNOWN;
    }

    static int eventType(final CharView type)
    {
        for (int i = 2; i < EVENT_TYPES.length; i++)
        {
            if (type.contentEquals(EVENT_TYPES[i]))
            {
                return i;
            }
        }
        // response.created, response.in_progress, response.queued and any future lifecycle event.
        return type.length() > LIFECYCLE_PREFIX.length && startsWith(type, "response.") ? LIFECYCLE : UNKNOWN;
    }

    /**
     * {@link #eventType(CharView)} for a type written as itself in {@code src[from, to)} (plain ASCII, no escape) that
     * {@link #knownEventType} did not know: a lifecycle event's or an unknown one's.
     */
    static int otherEventType(final byte[] src, final int from, final int to)
    {
        final int n = LIFECYCLE_PREFIX.length;
        return to - from > n && Arrays.equals(src, from, from + n, LIFECYCLE_PREFIX, 0, n) ? LIFECYCLE : UNKNOWN;
    }

    /** What every lifecycle event's type starts with. */
    private static final byte[] LIFECYCLE_PREFIX = "response.".getBytes(StandardCharsets.US_ASCII);

    static int itemKind(final CharSequence type)
    {
        if (contentEquals(type, "message"))
        {
            return ITEM_MESSAGE;
        }
        if (contentEquals(type, "reasoning"))
        {
            return ITEM_REASONING;
        }
        if (contentEquals(type, FUNCTION_CALL))
        {
            return ITEM_FUNCTION_CALL;
        }
        return ITEM_OTHER;
    }

    static CharSequence stringOrNull(final MutableRawJson v)
    {
        return v != null && v.type() == MutableRawJson.Type.STRING && v.text().length() > 0 ? v.text() : null;
    }

    static boolean startsWith(final CharSequence s, final CharSequence prefix)
    {
        if (prefix.length() > s.length())
        {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++)
        {
            if (s.charAt(i) != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    static boolean contentEquals(final CharSequence a, final CharSequence b)
    {
        // Ids of one stream share long prefixes and differ towards the end: the last character settles most pairs.
        final int n = a.length();
        if (n != b.length() || (n > 0 && a.charAt(n - 1) != b.charAt(n - 1)))
        {
            return false;
        }
        if (a instanceof MutableTextBuffer && b instanceof MutableTextBuffer)
        {
            // Kept ids (an item's against a terminal event's): one array compare rather than a call per character.
            return Arrays.equals(((MutableTextBuffer)a).array(), 0, n, ((MutableTextBuffer)b).array(), 0, n);
        }
        return startsWith(a, b);
    }
}
