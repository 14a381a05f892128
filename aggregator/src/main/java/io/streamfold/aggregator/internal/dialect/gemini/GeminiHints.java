package io.streamfold.aggregator.internal.dialect.gemini;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;

/** How AUTO recognises a Gemini stream: a JSON array, or events with Gemini's top-level keys. */
public final class GeminiHints implements FormatHints
{
    public static final GeminiHints INSTANCE = new GeminiHints();

    private GeminiHints()
    {
    }

    @Override
    public Format format()
    {
        return Format.GEMINI;
    }

    @Override
    public boolean startsWith(final byte first, final boolean atStreamStart)
    {
        return first == '[';
    }

    @Override
    public boolean hasKey(final String key)
    {
        return "candidates".equals(key) || "usageMetadata".equals(key) || "promptFeedback".equals(key);
    }
}
