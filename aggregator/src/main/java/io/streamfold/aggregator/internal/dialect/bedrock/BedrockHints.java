package io.streamfold.aggregator.internal.dialect.bedrock;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;

/** How AUTO recognises a Bedrock eventstream: its prelude. */
public final class BedrockHints implements FormatHints
{
    public static final BedrockHints INSTANCE = new BedrockHints();

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
}
