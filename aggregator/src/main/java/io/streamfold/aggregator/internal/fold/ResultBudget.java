package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.parser.ErrorKind;

/**
 * What one result may keep as a whole ({@link AggregationLimits#maxResultChars()},
 * {@link AggregationLimits#maxResultBytes()}): per-part limits do not bound a stream that alternates content and
 * reasoning, starting a new part each time, nor one that keeps millions of token ids or distinct raw fields.
 * Content (text, reasoning, refusal, arguments) is charged in characters as it is kept; everything else in bytes:
 * a fixed cost per part, choice and kept field, and the growth of the buffers that hold raw values, token ids,
 * logprob entries and unknown delta fields. Growth, not each capture: a field replaced in every chunk reuses its
 * buffer and is charged once. Once spent, later content is refused and what was kept stays. A charge is an add and
 * a compare.
 *
 * <p>It also counts the capacity an aggregator has grown since it last dropped its pool ({@link #pooled()}), so a
 * reset can tell when the buffers it would keep for the next stream are too large to keep.
 */
public final class ResultBudget
{
    /** What a kept raw field or unknown delta field is charged when it is made, on top of its value's buffers. */
    static final int FIELD_BYTES = 128;

    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private long maxChars;
    private long maxBytes;
    private long chars;
    private long bytes;
    private long pooled;
    private boolean reported;
    /** Where a field goes that the result has no room for: it keeps nothing (made on first need). */
    private MutableRawJson discard;

    ResultBudget(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
        maxChars = limits.maxResultChars();
        maxBytes = limits.maxResultBytes();
    }

    /** A snapshot copies what its source kept, which was charged there: it is not charged again. */
    void unbounded()
    {
        maxChars = Long.MAX_VALUE;
        maxBytes = Long.MAX_VALUE;
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
     * A buffer of a raw value, token ids, logprobs or a delta field wants to grow by {@code n} bytes.
     *
     * @param what names the kind of value in the one error, should this be the refusal that spends the budget.
     * @return true, charging them, when they fit; false (said once, as {@link #refused}) when the buffer must keep
     * what it has and drop the new value.
     */
    boolean grow(final long n, final String what)
    {
        if (n > maxBytes - bytes)
        {
            refused(what);
            return false;
        }
        bytes += n;
        pooled += n;
        return true;
    }

    /**
     * A content buffer grew by {@code n} bytes: its characters are charged as they are kept, this only counts the pool.
     * So does a short string kept as its bytes, charged for its characters' room instead.
     */
    void grewContent(final long n)
    {
        pooled += n;
    }

    /** A part or choice object was made (not taken from the spares): counted in the pool. */
    void made()
    {
        pooled += AggregationLimits.PART_BYTES;
    }

    /**
     * @return bytes of buffer capacity and objects grown since the pool was last dropped: at least what a reset keeps
     * for the next stream (slack: a buffer replaced, not reused, still counts until the pool is dropped).
     */
    long pooled()
    {
        return pooled;
    }

    /** The pool was dropped: nothing is kept from earlier streams. */
    void poolDropped()
    {
        pooled = 0;
    }

    /** @return a field slot that keeps nothing, for a new field the result has no room for. */
    MutableRawJson discard()
    {
        if (discard == null)
        {
            discard = MutableRawJson.discarding();
        }
        return discard;
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
