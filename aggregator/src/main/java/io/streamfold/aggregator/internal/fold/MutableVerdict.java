package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.dialect.Dialect;
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

    /** Works the verdict out from the aggregate's outcome, its errors and its choices' finish words. */
    void work(final MutableAggregate a, final ErrorLog errors, final boolean inputCut)
    {
        final MutableRawJson providerError = a.providerError();
        final Outcome outcome = a.outcome();
        if (outcome == Outcome.IN_PROGRESS)
        {
            set(StopReason.IN_PROGRESS, Truncation.NONE, "", providerError, "");
            return;
        }
        final int count = a.choiceCount();
        final MutableChoice first = count == 0 ? null : a.choiceAt(0);
        final CharSequence word = first == null ? "" : first.finishReason();
        if (!providerError.isNullish())
        {
            set(StopReason.PROVIDER_ERROR, Truncation.NONE, word, providerError, providerError.summary("", Dialect.ABBREVIATED_CHARS));
            return;
        }
        if (errors.firstLimit() != null)
        {
            set(StopReason.LIMIT_EXCEEDED, Truncation.NONE, word, providerError, errors.firstLimit().message());
            return;
        }
        if (outcome == Outcome.ERROR)
        {
            set(StopReason.MALFORMED_STREAM, Truncation.NONE, word, providerError, errors.lastMessage());
            return;
        }
        if (outcome == Outcome.TRUNCATED)
        {
            final Truncation how = inputCut ? Truncation.MID_EVENT :
                a.allChoicesFinished() || count == 0 ? Truncation.TERMINAL_EVENT_MISSING :
                Truncation.CHOICE_UNFINISHED;
            set(StopReason.TRUNCATED, how, word, providerError, errors.lastTruncationMessage());
            return;
        }
        // With several choices the most telling reason wins: a filter or error in any choice matters to the caller.
        StopReason best = null;
        MutableChoice from = first;
        for (int i = 0; i < count; i++)
        {
            final MutableChoice c = a.choiceAt(i);
            StopReason r = c.stopReason();
            if (r == StopReason.IN_PROGRESS && c.hasClientToolCall())
            {
                // No finish reason, but the terminal event said the response was whole and it asks the client to run
                // calls (some OpenAI-compatible servers never send one): the turn waits on the client all the same.
                r = StopReason.TOOL_CALLS;
            }
            if (best == null || rank(r) < rank(best))
            {
                best = r;
                from = c;
            }
        }
        if (best == null || best == StopReason.IN_PROGRESS)
        {
            // COMPLETE although a choice has no finish reason: the terminal event said the response was whole.
            set(StopReason.COMPLETE, Truncation.NONE, "", providerError,
                count == 0 ? "" : "no finish reason before the terminal event");
            return;
        }
        set(best, Truncation.NONE, from.finishReason(), providerError,
            from.finishReason().length() == 0 ? "no finish reason before the terminal event" : "");
    }

    private static int rank(final StopReason r)
    {
        switch (r)
        {
            case CONTENT_FILTER:
                return 0;
            case PROVIDER_ERROR:
                return 1;
            case LENGTH:
                return 2;
            case TOOL_CALLS:
                return 3;
            case OTHER:
                return 4;
            case COMPLETE:
                return 5;
            default:
                return 6;
        }
    }

    private void set(
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
