package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.FormatHints;

/** How AUTO recognises a Responses stream: events typed {@code response.*}. */
public final class OpenAiResponsesHints implements FormatHints
{
    public static final OpenAiResponsesHints INSTANCE = new OpenAiResponsesHints();

    private OpenAiResponsesHints()
    {
    }

    @Override
    public Format format()
    {
        return Format.OPENAI_RESPONSES;
    }

    @Override
    public boolean namesEvent(final String type)
    {
        return type.startsWith("response.");
    }
}
