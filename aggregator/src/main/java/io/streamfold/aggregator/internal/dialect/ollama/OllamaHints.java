package io.streamfold.aggregator.internal.dialect.ollama;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;

/** How AUTO recognises an Ollama stream: NDJSON, so its first byte opens an object. */
public final class OllamaHints implements FormatHints
{
    public static final OllamaHints INSTANCE = new OllamaHints();

    private OllamaHints()
    {
    }

    @Override
    public Format format()
    {
        return Format.OLLAMA;
    }

    @Override
    public boolean startsWith(final byte first, final boolean atStreamStart)
    {
        return first == '{';
    }
}
