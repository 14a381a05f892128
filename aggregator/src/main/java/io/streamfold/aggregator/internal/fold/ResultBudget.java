package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.AggregationLimits;

/**
 * What one result may keep as a whole ({@link AggregationLimits#maxResultChars()},
 * {@link AggregationLimits#maxResultBytes()}): per-part limits do not bound a stream that alternates content and
 * reasoning, starting a new part each time. Content is charged as it is kept, parts and choices as they are made;
 * once spent, later content is refused and what was kept stays. A charge is an add and a compare.
 */
public final class ResultBudget
{
    private final long maxChars;
    private final long maxBytes;
    private long chars;
    private long bytes;
    private boolean reported;

    public ResultBudget(final AggregationLimits limits)
    {
        maxChars = limits.maxResultChars();
        maxBytes = limits.maxResultBytes();
    }

    public void clear()
    {
        chars = 0;
        bytes = 0;
        reported = false;
    }

    /** @return how many of {@code wanted} characters may still be kept; they are charged. */
    public int keepChars(final int wanted)
    {
        final long room = maxChars - chars;
        final int kept = wanted <= room ? wanted : (int)room;
        chars += kept;
        return kept;
    }

    /** @return true, charging them, when {@code n} more bytes of bookkeeping fit. */
    public boolean keepBytes(final int n)
    {
        if (n > maxBytes - bytes)
        {
            return false;
        }
        bytes += n;
        return true;
    }

    /** @return true the first time the budget refuses something: report once, not for every later event. */
    public boolean firstRefusal()
    {
        final boolean first = !reported;
        reported = true;
        return first;
    }

    /** @return characters kept so far. */
    public long chars()
    {
        return chars;
    }

    /** @return bytes of bookkeeping charged so far. */
    public long bytes()
    {
        return bytes;
    }
}
