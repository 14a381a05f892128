package io.streamfold.gateway;

import java.util.Locale;

import io.streamfold.aggregator.Format;

/**
 * Picks the stream format from what a gateway knows before the first body byte: the request path and the
 * response {@code Content-Type}. A definite answer lets the pooled aggregator skip detection; anything
 * unclear is {@link Format#AUTO}, which detects from the bytes.
 */
public final class FormatChooser
{
    private FormatChooser()
    {
    }

    /**
     * @param path        the request path (query allowed), or null.
     * @param contentType the response {@code Content-Type}, or null.
     * @return the format, {@link Format#AUTO} when neither says enough.
     */
    public static Format choose(final String path, final String contentType)
    {
        final String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        final String p = path == null ? "" : stripQuery(path);
        if (p.endsWith("/invoke-with-response-stream"))
        {
            // Bedrock's invoke stream carries the model's own events: Claude's are Anthropic's, Nova's Converse-shaped.
            // The first chunk tells.
            return Format.AUTO;
        }
        if (type.startsWith("application/vnd.amazon.eventstream"))
        {
            return Format.BEDROCK;
        }
        if (p.endsWith("/converse-stream"))
        {
            return Format.BEDROCK;
        }
        if (p.endsWith("/messages"))
        {
            return Format.ANTHROPIC;
        }
        if (p.endsWith("/responses"))
        {
            return Format.OPENAI_RESPONSES;
        }
        if (p.endsWith("/chat/completions") || p.endsWith("/completions"))
        {
            return p.endsWith("/chat/completions") ? Format.OPENAI_CHAT : Format.AUTO;
        }
        if (p.contains(":streamGenerateContent") || p.contains(":generateContent"))
        {
            return Format.GEMINI;
        }
        if (p.endsWith("/api/chat") || p.endsWith("/api/generate") || type.startsWith("application/x-ndjson"))
        {
            return Format.OLLAMA;
        }
        return Format.AUTO;
    }

    /**
     * @param path        the request path, or null.
     * @param contentType a response {@code Content-Type}, or null.
     * @return true for a streamed body (SSE, NDJSON, eventstream, Gemini's streamed JSON array); false for one
     * JSON document ({@code "stream": false}) or anything else.
     */
    public static boolean isStreaming(final String path, final String contentType)
    {
        if (path != null && path.contains(":streamGenerateContent"))
        {
            return true;
        }
        if (contentType == null)
        {
            return false;
        }
        final String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/event-stream") || type.startsWith("application/x-ndjson") ||
            type.startsWith("application/vnd.amazon.eventstream") || type.startsWith("application/jsonl") ||
            type.startsWith("application/stream+json");
    }

    private static String stripQuery(final String path)
    {
        final int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
