package io.streamfold.aggregator.internal.fold;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.CharView;
import io.streamfold.aggregator.internal.json.ExactDouble;
import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.internal.json.StringDecoder;
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
    private final StringDecoder tokenBytes = new StringDecoder(32);
    private double scannedLogprob;

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

    /**
     * The fast path's read of one entry whose bytes are already checked whole as JSON (an event template's raw
     * slot): its token and logprob, read as {@link #read} reads them (the last of a repeated name wins, other
     * types are skipped), kept here for {@link #keepScanned}. Nothing is changed.
     *
     * @return false when a value cannot be read as surely as Jackson reads it (a name written with escapes, a
     * number outside {@link ExactDouble}'s range): the event must go to the full decoder.
     */
    public boolean scan(final byte[] src, final int from, final int to)
    {
        scannedLogprob = Double.NaN;
        token.clear();
        int i = JsonBytes.skipWhitespace(src, from + 1, to);
        while (i < to && src[i] == '"')
        {
            final int close = JsonBytes.stringEnd(src, i + 1, to);
            if (close < 0)
            {
                return false;
            }
            for (int k = i + 1; k < close; k++)
            {
                if (src[k] == '\\')
                {
                    return false;
                }
            }
            final boolean isToken = close - i - 1 == 5 && src[i + 1] == 't' && src[i + 2] == 'o' && src[i + 3] == 'k' &&
                src[i + 4] == 'e' && src[i + 5] == 'n';
            final boolean isLogprob = close - i - 1 == 7 && src[i + 1] == 'l' && src[i + 2] == 'o' && src[i + 3] == 'g' &&
                src[i + 4] == 'p' && src[i + 5] == 'r' && src[i + 6] == 'o' && src[i + 7] == 'b';
            final int v = JsonBytes.skipWhitespace(src, JsonBytes.skipWhitespace(src, close + 1, to) + 1, to);
            final int valueEnd = validatedValueEnd(src, v, to);
            if (isToken && src[v] == '"')
            {
                if (tokenBytes.decode(src, v + 1, valueEnd) != valueEnd - 1)
                {
                    return false;
                }
                token.set(tokenBytes.chars(), 0, tokenBytes.length(), limits.maxTextChars());
            }
            else if (isLogprob && (src[v] == '-' || (src[v] >= '0' && src[v] <= '9')))
            {
                scannedLogprob = ExactDouble.parse(src, v, valueEnd);
                if (Double.isNaN(scannedLogprob))
                {
                    return false;
                }
            }
            i = JsonBytes.skipWhitespace(src, valueEnd, to);
            if (i < to && src[i] == ',')
            {
                i = JsonBytes.skipWhitespace(src, i + 1, to);
            }
        }
        return true;
    }

    /**
     * The end of a value inside bytes already checked whole as JSON: only quotes, escapes and brackets matter
     * (checking it again was most of the cost of a logprob chunk).
     */
    private static int validatedValueEnd(final byte[] src, final int from, final int to)
    {
        int depth = 0;
        int i = from;
        while (i < to)
        {
            final byte b = src[i];
            if (b == '"')
            {
                i++;
                while (src[i] != '"')
                {
                    i += src[i] == '\\' ? 2 : 1;
                }
            }
            else if (b == '{' || b == '[')
            {
                depth++;
            }
            else if (b == '}' || b == ']')
            {
                if (depth == 0)
                {
                    return i;
                }
                depth--;
            }
            else if (depth == 0 && (b == ',' || b == ' ' || b == '\n' || b == '\r' || b == '\t'))
            {
                return i;
            }
            i++;
            if (depth == 0 && (b == '"' || b == '}' || b == ']'))
            {
                return i;
            }
        }
        return i;
    }

    /** Keeps the entry {@link #scan} read, as {@link #read} keeps it, and announces it. */
    public void keepScanned(
        final byte[] src, final int from, final int to, final MutableChoice choice, final boolean refusal, final MutableRawList list)
    {
        if (!list.add(src, from, to - from, limits.maxRawBytes()))
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "logprobs larger than " + limits.maxRawBytes() + " bytes");
        }
        aggregate.logprob(choice, refusal, token, scannedLogprob);
    }
}
