package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.model.RawJson;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Verdict;

/** The verdict of one aggregate, worked out again each time it is asked for (see {@link MutableAggregate#verdict()}). */
public final class MutableVerdict implements Verdict
{
    private static final MutableRawJson ABSENT = new MutableRawJson();

    private StopReason reason = StopReason.IN_PROGRESS;
    private Truncation truncation = Truncation.NONE;
    private CharSequence providerReason = "";
    private RawJson providerError = ABSENT;
    private String detail = "";

    void set(
        final StopReason reason, final Truncation truncation, final CharSequence providerReason,
        final RawJson providerError, final String detail)
    {
        this.reason = reason;
        this.truncation = truncation;
        this.providerReason = providerReason;
        this.providerError = providerError;
        this.detail = detail;
    }

    /** @return the normalized reason. */
    public StopReason reason()
    {
        return reason;
    }

    /** @return how the stream was cut when TRUNCATED, else NONE. */
    public Truncation truncation()
    {
        return truncation;
    }

    /** @return the provider's own finish word, or empty. */
    public CharSequence providerReason()
    {
        return providerReason;
    }

    /** @return the provider's error object, or ABSENT. */
    public RawJson providerError()
    {
        return providerError;
    }

    /** @return detail, or empty. */
    public String detail()
    {
        return detail;
    }

    @Override
    public String toString()
    {
        return reason + (truncation == Truncation.NONE ? "" : "(" + truncation + ")") +
            (detail.isEmpty() ? "" : ": " + detail);
    }
}
