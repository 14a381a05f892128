package io.streamfold.aggregator;

import io.streamfold.aggregator.internal.dialect.Dialect;

/** Lets tests in the internal packages reach the parts of a {@link StreamAggregator} that are not API. */
public final class AggregatorInternals
{
    private AggregatorInternals()
    {
    }

    /** @return the dialect reading the stream, or null while AUTO has not decided. */
    public static Dialect dialect(final StreamAggregator aggregator)
    {
        return aggregator.dialect();
    }
}
