package io.streamfold.aggregator.internal.fold;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.parser.ErrorKind;

/**
 * Reads OpenAI-style logprob entries ({@code {"token": ..., "logprob": ..., "bytes": ..., "top_logprobs": ...}}),
 * shared by chat and Responses: each entry is kept whole, as sent, and announced with its token and value.
 */
public final class LogprobEntries
{
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final MutableTextBuffer token = new MutableTextBuffer();

    public LogprobEntries(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
    }

    /**
     * Reads the entry object the reader is on.
     *
     * @param refusal true for an entry of the refusal, false for the content.
     * @param list    where the entry is kept.
     * @param copy    a second list that keeps it too, or null.
     */
    public void read(
        final JsonReader r, final MutableChoice choice, final boolean refusal, final MutableRawList list, final MutableRawList copy)
        throws JsonReader.BadPayload
    {
        final int start = r.structureStartOffset();
        double logprob = Double.NaN;
        token.clear();
        while (r.next() == JsonToken.FIELD_NAME)
        {
            final String name = r.name();
            final JsonToken value = r.next();
            if ("token".equals(name) && value == JsonToken.VALUE_STRING)
            {
                final CharView v = r.text();
                token.set(v.array(), v.offset(), v.length(), limits.maxTextChars());
            }
            else if ("logprob".equals(name) && (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT))
            {
                logprob = r.doubleValue();
            }
            else
            {
                r.skip();
            }
        }
        if (!r.appendStructure(start, list) || (copy != null && !r.appendStructure(start, copy)))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "logprobs larger than " + limits.maxRawBytes() + " bytes");
        }
        aggregate.logprob(choice, refusal, token, logprob);
    }
}
