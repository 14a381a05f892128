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
            case OPENAI_RESPONSES:
                return new OpenAiResponsesDialect(aggregate, limits);
            default:
                throw new IllegalArgumentException("format " + format.cliName() + " is not supported yet");
        }
    }
}
