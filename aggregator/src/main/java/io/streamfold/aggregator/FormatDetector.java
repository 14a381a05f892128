package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import io.streamfold.parser.internal.Bom;

/**
 * Decides a stream's format from its first bytes and first event, for {@link Format#AUTO}. The first
 * event of every supported provider carries a marker no other provider's first event has; only that
 * prefix is ever looked at, so detection costs nothing once decided.
 */
final class FormatDetector
{
    /** Past this many bytes without a complete first event, decide from what there is. */
    static final int MAX_SNIFF_BYTES = 64 * 1024;

    private FormatDetector()
    {
    }

    /**
     * @param bytes  the stream's first bytes.
     * @param length how many.
     * @param ended  true when no more bytes will come.
     * @return the format, or null when more bytes are needed.
     */
    static Format detect(final byte[] bytes, final int length, final boolean ended)
    {
        int i = 0;
        if (Bom.startsWith(bytes, 0, length))
        {
            i = Bom.LENGTH;
        }
        while (i < length && isWhitespace(bytes[i]))
        {
            i++;
        }
        if (i >= length)
        {
            // Only whitespace so far: waiting for more would hold an endless blank stream in memory.
            return ended || length >= MAX_SNIFF_BYTES ? Format.OPENAI_CHAT : null;
        }
        final byte first = bytes[i];
        if (first == 0 && i == 0)
        {
            // An eventstream prelude: big-endian total length, far below 16 MiB, so the first byte is 0.
            return Format.BEDROCK;
        }
        if (first == '[')
        {
            return Format.GEMINI;
        }
        if (first == '{')
        {
            return Format.OLLAMA;
        }
        // Only the first event is looked at, and only within the first MAX_SNIFF_BYTES, so the decision is
        // the same however the stream was sliced (the fuzzers check it).
        final int scanLimit = Math.min(length, MAX_SNIFF_BYTES);
        int end = firstEventEnd(bytes, i, scanLimit);
        if (end < 0)
        {
            if (!ended && length < MAX_SNIFF_BYTES)
            {
                return null;
            }
            end = scanLimit;
        }
        final String head = new String(bytes, i, end - i, StandardCharsets.UTF_8);
        final int anthropic = firstOf(head, "message_start", "content_block_start");
        final int responses = firstOf(head, "\"response.created\"", "event: response.", "event:response.", "\"type\":\"response.", "\"type\": \"response.");
        final int gemini = firstOf(head, "\"candidates\"", "\"usageMetadata\"", "\"promptFeedback\"");
        final int chat = firstOf(head, "chat.completion.chunk", "\"choices\"");
        int best = Integer.MAX_VALUE;
        Format format = Format.OPENAI_CHAT;
        if (responses < best)
        {
            best = responses;
            format = Format.OPENAI_RESPONSES;
        }
        if (anthropic < best)
        {
            best = anthropic;
            format = Format.ANTHROPIC;
        }
        if (gemini < best)
        {
            best = gemini;
            format = Format.GEMINI;
        }
        if (chat < best)
        {
            format = Format.OPENAI_CHAT;
        }
        return format;
    }

    /**
     * @return the index just past the blank line that ends the first event holding a data line, or -1 when
     * it is not within {@code [from, limit)}. A CR as the last byte waits for a possible LF.
     */
    private static int firstEventEnd(final byte[] bytes, final int from, final int limit)
    {
        boolean sawData = false;
        int lineStart = from;
        for (int i = from; i < limit; i++)
        {
            final byte b = bytes[i];
            if (b == '\n' || b == '\r')
            {
                int next = i + 1;
                if (b == '\r')
                {
                    if (next >= limit)
                    {
                        return -1;
                    }
                    if (bytes[next] == '\n')
                    {
                        next++;
                    }
                }
                if (i == lineStart && sawData)
                {
                    return next;
                }
                if (i - lineStart >= 4 && bytes[lineStart] == 'd' && bytes[lineStart + 1] == 'a' &&
                    bytes[lineStart + 2] == 't' && bytes[lineStart + 3] == 'a')
                {
                    sawData = true;
                }
                lineStart = next;
                i = next - 1;
            }
        }
        return -1;
    }

    private static int firstOf(final String head, final String... markers)
    {
        int best = Integer.MAX_VALUE;
        for (final String m : markers)
        {
            final int at = head.indexOf(m);
            if (at >= 0 && at < best)
            {
                best = at;
            }
        }
        return best;
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
