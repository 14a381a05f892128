package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;

/**
 * Folds what arrives in delta types a dialect does not know (Anthropic {@code compaction_delta}, a new Bedrock delta
 * member, a Responses {@code response.*.delta} event) into its part by the generic rule of {@link MutableDeltaFields},
 * the same for every dialect; refused as late data once the part stopped or its choice finished for good.
 */
public final class GenericDeltas
{
    private final MutableAggregate aggregate;
    private final LateData late;
    private final AggregationLimits limits;

    GenericDeltas(final MutableAggregate aggregate, final LateData late, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.late = late;
        this.limits = limits;
    }

    /**
     * Folds the reader's value as field {@code name} of {@code part}.
     *
     * @param state true when the value is a state sent whole (an opaque token): it replaces, never joins.
     */
    public void fold(final MutableChoice choice, final MutablePart part, final String name, final JsonReader r, final boolean state)
        throws JsonReader.BadPayload
    {
        if (late.isLate(choice, part))
        {
            late.report(choice, part);
            r.skip();
            return;
        }
        if (!(state ? part.deltas().replace(name, r, limits) : part.deltas().fold(name, r, limits, part.extra())))
        {
            dropped(part, name);
        }
    }

    /** As {@link #fold} for a string increment a dialect has already read. */
    public void append(final MutableChoice choice, final MutablePart part, final String name, final CharSequence text)
    {
        if (late.isLate(choice, part))
        {
            late.report(choice, part);
        }
        else if (!part.deltas().append(name, text, limits, part.extra()))
        {
            dropped(part, name);
        }
    }

    /** As {@link #append}, into member {@code key} of object field {@code name} (see {@link MutableDeltaFields#appendKeyed}). */
    public void appendKeyed(final MutableChoice choice, final MutablePart part, final String name, final String key,
        final CharSequence text)
    {
        if (late.isLate(choice, part))
        {
            late.report(choice, part);
        }
        else if (!part.deltas().appendKeyed(name, key, text, limits))
        {
            dropped(part, name);
        }
    }

    private void dropped(final MutablePart part, final String name)
    {
        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "delta field '" + name + "' of " + part.kind() + " part " + part.ordinal() +
            " past a limit (" + limits.maxRawFields() + " fields, " + limits.maxTextChars() + " characters, " +
            limits.maxRawBytes() + " bytes); dropped");
    }
}
