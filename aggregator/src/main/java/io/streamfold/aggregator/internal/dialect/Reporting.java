package io.streamfold.aggregator.internal.dialect;

import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;

/**
 * What one provider reports about usage and why a choice stopped: where its usage numbers live and how they
 * accumulate, and its finish words. Constant per provider, so a caller that reads a provider's JSON without
 * a stream (a non-streaming response) gets it from {@link Dialects#reporting} without creating a decoder.
 */
public final class Reporting
{
    /** Where the provider keeps the normalized usage numbers, and how its reports accumulate. */
    public final UsageKeys usage;
    /** The provider's finish / stop words and what each means. */
    public final StopReasonTable stopReasons;

    public Reporting(final UsageKeys usage, final StopReasonTable stopReasons)
    {
        this.usage = usage;
        this.stopReasons = stopReasons;
    }
}
