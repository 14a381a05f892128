package io.streamfold.aggregator.internal.dialect.anthropic;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;

/** How AUTO recognises an Anthropic Messages stream: events typed {@code message_*} or {@code content_block_*}. */
public final class AnthropicHints implements FormatHints
{
    public static final AnthropicHints INSTANCE = new AnthropicHints();

    private AnthropicHints()
    {
    }

    @Override
    public Format format()
    {
        return Format.ANTHROPIC;
    }

    @Override
    public boolean namesEvent(final String type)
    {
        return type.startsWith("message_") || type.startsWith("content_block_");
    }
}
