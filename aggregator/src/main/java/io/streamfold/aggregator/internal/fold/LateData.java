package io.streamfold.aggregator.internal.fold;

import io.streamfold.parser.ErrorKind;

/**
 * Decides whether text, arguments or a new part come too late to fold (after their part stopped, or after
 * their choice's final finish reason) and reports them as {@link ErrorKind#LATE_DATA}. One per aggregate.
 */
final class LateData
{
    private final MutableAggregate aggregate;
    /** The dialect's {@code finishIsFinal()}, cached when it is chosen: false while none is. */
    private boolean finishIsFinal;

    LateData(final MutableAggregate aggregate)
    {
        this.aggregate = aggregate;
    }

    void finishIsFinal(final boolean finishIsFinal)
    {
        this.finishIsFinal = finishIsFinal;
    }

    /** @return true when the choice has finished and its dialect says nothing may follow its finish reason. */
    boolean finishedForGood(final MutableChoice choice)
    {
        return choice.isFinished() && finishIsFinal;
    }

    /**
     * @return true when the part stopped or its choice finished for good. A finish that is not final
     * (Gemini repeats it while the text grows) closed the parts too, and does not make them late.
     */
    boolean isLate(final MutableChoice choice, final MutablePart part)
    {
        if (!choice.isFinished())
        {
            return part.isEnded();
        }
        return finishIsFinal;
    }

    void report(final MutableChoice choice, final MutablePart part)
    {
        if (part.isEnded() && !choice.isFinished())
        {
            aggregate.error(ErrorKind.LATE_DATA, part.kind() + " for part " + part.ordinal() + " of choice " +
                choice.index() + " after that part stopped; not folded");
        }
        else
        {
            report(choice, part.kind().toString());
        }
    }

    void report(final MutableChoice choice, final String what)
    {
        aggregate.error(ErrorKind.LATE_DATA, what + " for choice " + choice.index() + " after it finished (" +
            choice.finishReason() + "); not folded");
    }
}
