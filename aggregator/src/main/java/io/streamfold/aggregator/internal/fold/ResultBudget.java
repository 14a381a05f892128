package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.parser.ErrorKind;

/**
 * What one result may keep as a whole ({@link AggregationLimits#maxResultChars()},
 * {@link AggregationLimits#maxResultBytes()}): per-part limits do not bound a stream that alternates content and
 * reasoning, starting a new part each time. Content is charged as it is kept, parts and choices as they are made;
 * once spent, later content is refused and what was kept stays. A charge is an add and a compare.
 */
public final class ResultBudget
{
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final long maxChars;
    private final long maxBytes;
    private long chars;
    private long bytes;
    private boolean reported;

    ResultBudget(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
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
    int keepChars(final int wanted)
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

    /**
     * @return how many of {@code length} characters {@code part} keeps: its own {@code limit} first, then what the
     * whole result may still keep. A part the result's limit cut is truncated, as one its own limit cut.
     */
    int keep(final MutablePart part, final int length, final int limit)
    {
        final int fits = part.fit(length, limit);
        final int kept = keepChars(fits);
        if (kept < fits)
        {
            part.truncated();
            part.overBudget(true);
            refused(part.kind() + " of part " + part.ordinal());
        }
        return kept;
    }

    /** The whole result is at its limit: said once, as LIMIT_EXCEEDED; later content is refused, nothing kept is lost. */
    void refused(final String what)
    {
        if (!reported)
        {
            reported = true;
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "result larger than its limits (maxResultChars " + limits.maxResultChars() +
                " characters, maxResultBytes " + limits.maxResultBytes() + " bytes) at " + what + "; later content is dropped");
        }
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
