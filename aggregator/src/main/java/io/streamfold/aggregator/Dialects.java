package io.streamfold.aggregator;

/** The one place that maps a {@link Format} to its dialect. */
final class Dialects
{
    private Dialects()
    {
    }

    static Dialect create(final Format format, final Aggregate aggregate, final AggregationLimits limits)
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
