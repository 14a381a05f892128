package io.streamfold.aggregator;

/** The test switch of every dialect's repeated-event fast path, and how often it was taken. */
final class FastPaths
{
    private FastPaths()
    {
    }

    /** Turns the fast path of the aggregator's dialect on or off; the format must be explicit (not AUTO). */
    static void set(final StreamAggregator aggregator, final boolean on)
    {
        final Dialect dialect = aggregator.dialect();
        if (dialect instanceof OpenAiChatDialect)
        {
            ((OpenAiChatDialect)dialect).fastPath(on);
        }
        else if (dialect instanceof AnthropicDialect)
        {
            ((AnthropicDialect)dialect).fastPath(on);
        }
        else if (dialect instanceof OpenAiResponsesDialect)
        {
            ((OpenAiResponsesDialect)dialect).fastPath(on);
        }
        else if (dialect == null)
        {
            throw new IllegalStateException("no dialect yet: build the aggregator with an explicit format");
        }
    }

    /** @return events the dialect's fast path folded so far (0 for a dialect without one). */
    static long folds(final StreamAggregator aggregator)
    {
        final Dialect dialect = aggregator.dialect();
        if (dialect instanceof OpenAiChatDialect)
        {
            return ((OpenAiChatDialect)dialect).fastFolds();
        }
        if (dialect instanceof AnthropicDialect)
        {
            return ((AnthropicDialect)dialect).fastFolds();
        }
        if (dialect instanceof OpenAiResponsesDialect)
        {
            return ((OpenAiResponsesDialect)dialect).fastFolds();
        }
        return 0;
    }
}
