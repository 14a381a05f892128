package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.Format;

/**
 * The markers by which {@link Format#AUTO} recognises one provider's stream, kept in the provider's own
 * package and listed once in {@link Dialects}. Each test answers for this provider alone; the order of the
 * registry settles a stream that shows markers of two (a chat chunk beside Gemini keys is chat).
 */
public interface FormatHints
{
    /** @return the format these markers name. */
    Format format();

    /**
     * @param first         the first byte of content (after a BOM and leading whitespace).
     * @param atStreamStart true when no BOM or whitespace came before it.
     * @return true when a stream starting so can only be this format (a framing of its own, not SSE).
     */
    default boolean startsWith(final byte first, final boolean atStreamStart)
    {
        return false;
    }

    /**
     * The format of a stream {@link #startsWith} claimed, once enough of it is there: by default this one at once. A
     * framing that carries other providers' events (Bedrock's invoke stream carries Claude's) looks at its first frame.
     *
     * @param bytes  the stream's first bytes.
     * @param from   where its content starts (after a BOM and leading whitespace).
     * @param length how many bytes there are.
     * @param ended  true when no more bytes will come, or no more will be looked at.
     * @return the format, or null while more bytes are needed.
     */
    default Format framedFormat(final byte[] bytes, final int from, final int length, final boolean ended)
    {
        return format();
    }

    /**
     * @param type an SSE event name or the top-level JSON {@code type} of an event (keepalives never come here).
     * @return true when it names one of this provider's events.
     */
    default boolean namesEvent(final String type)
    {
        return false;
    }

    /**
     * @param object the top-level JSON {@code object} string of an event.
     * @return true when it names this provider's chunks.
     */
    default boolean namesObject(final String object)
    {
        return false;
    }

    /**
     * @param key a top-level JSON key of an event, other than a string {@code type} or {@code object}.
     * @return true when only this provider's events carry it.
     */
    default boolean hasKey(final String key)
    {
        return false;
    }
}
