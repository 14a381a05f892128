package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.json.ArgumentFieldReader;
import io.streamfold.aggregator.internal.json.ArgumentFields;
import io.streamfold.aggregator.internal.json.CharView;

/**
 * Whether a tool call's arguments are one complete JSON value. A listener that wants argument fields has them
 * read as the fragments arrive (and learns the answer then); otherwise the arguments are parsed once, only when
 * someone asks whether the call is complete. One per aggregate; its readers are made on first use.
 */
final class ToolArgumentCheck
{
    private static final ArgumentFieldReader.FieldHandler IGNORE_FIELDS = (p, pl, t, vo, vl) -> {};

    private final AggregationLimits limits;
    private final CharView pointerView = new CharView();
    private final CharView valueView = new CharView();
    private final ArgumentFields.Sink sink;
    private ArgumentFields fields;
    private ArgumentFieldReader reader;

    ToolArgumentCheck(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.limits = limits;
        // The aggregate's listener is read at each field: it may be replaced after construction.
        this.sink = (c, t, p, pl, v, vo, vl) ->
            aggregate.listener().onToolArgumentField(c, t, pointerView.wrap(p, 0, pl), valueView.wrap(v, vo, vl));
    }

    void clear()
    {
        if (fields != null)
        {
            fields.clear();
        }
    }

    /** Reads {@code length} new characters of {@code call}'s arguments for {@link StreamListener#onToolArgumentField}. */
    void feed(final MutableChoice choice, final MutablePart call, final char[] chars, final int offset, final int length)
    {
        if (fields == null)
        {
            fields = new ArgumentFields(limits.maxNestingDepth(), limits.maxArgumentChars());
        }
        final boolean first = call.text().length() == length;
        fields.feed(call, first, (int)choice.index(), call.ordinal(), sink, chars, offset, length);
    }

    /**
     * The call ended. Its arguments must be one complete JSON value: the field reader already knows when it ran;
     * otherwise they are read when first asked. Blank arguments are a tool without parameters. Raw text is kept
     * either way.
     */
    void ended(final MutablePart call, final Outcome outcome)
    {
        // Free text (see MutablePart#freeformArguments) is whole when the call ended: nothing to parse.
        if (!call.freeformArguments() && fields != null && fields.reads(call))
        {
            final String failure = fields.end(call);
            if (failure != null && !isBlank(call.text()))
            {
                call.incomplete(failure);
            }
        }
        else if (!call.freeformArguments() && !isBlank(call.text()))
        {
            // Parsed only when someone asks whether the call is complete: most callers never do.
            call.checkArgumentsLater(this);
        }
        if (outcome != Outcome.IN_PROGRESS && outcome != Outcome.COMPLETE)
        {
            call.incomplete("the stream ended before the call finished");
        }
    }

    /** @return why {@code call}'s arguments are not one whole JSON value, or null when they are. */
    String failure(final MutablePart call)
    {
        if (reader == null)
        {
            reader = new ArgumentFieldReader(limits.maxNestingDepth(), Integer.MAX_VALUE);
        }
        reader.reset(IGNORE_FIELDS);
        reader.feed(call.text().array(), 0, call.text().length());
        reader.end();
        return reader.failure();
    }

    private static boolean isBlank(final MutableTextBuffer text)
    {
        final char[] chars = text.array();
        for (int i = 0; i < text.length(); i++)
        {
            final char c = chars[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            {
                return false;
            }
        }
        return true;
    }
}
