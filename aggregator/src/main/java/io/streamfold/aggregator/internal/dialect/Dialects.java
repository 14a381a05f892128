package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.anthropic.AnthropicDialect;
import io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialect;
import io.streamfold.aggregator.internal.dialect.gemini.GeminiDialect;
import io.streamfold.aggregator.internal.dialect.ollama.OllamaDialect;
import io.streamfold.aggregator.internal.dialect.openai.chat.OpenAiChatDialect;
import io.streamfold.aggregator.internal.dialect.openai.responses.OpenAiResponsesDialect;
import io.streamfold.aggregator.internal.fold.MutableAggregate;

/** The one place that maps a {@link Format} to its dialect. */
public final class Dialects
{
    private Dialects()
    {
    }

    public static Dialect create(final Format format, final MutableAggregate aggregate, final AggregationLimits limits)
    {
        switch (format)
        {
            case OPENAI_CHAT:
                return new OpenAiChatDialect(aggregate, limits);
            case GEMINI:
                return new GeminiDialect(aggregate, limits);
            case OLLAMA:
                return new OllamaDialect(aggregate, limits);
            case BEDROCK:
                return new BedrockDialect(aggregate, limits);
            case ANTHROPIC:
                return new AnthropicDialect(aggregate, limits);
            case OPENAI_RESPONSES:
                return new OpenAiResponsesDialect(aggregate, limits);
            default:
                throw new IllegalArgumentException("format " + format.cliName() + " has no dialect: " +
                    "AUTO is resolved before a dialect is created");
        }
    }
}
