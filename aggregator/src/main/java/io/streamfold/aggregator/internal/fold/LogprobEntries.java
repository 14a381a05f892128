package io.streamfold.aggregator.internal.fold;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.event.StreamListener;
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
public final class LogprobEntries implements EventShape.ValueScanner
{
    private static final byte[] TOKEN = "token".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOGPROB = "logprob".getBytes(StandardCharsets.US_ASCII);

    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final MutableTextBuffer token = new MutableTextBuffer();
    private final StringDecoder tokenBytes = new StringDecoder(32);
    private double scannedLogprob;
    /** A number's text as bytes, for {@link ExactDouble}: longer numbers are not exact doubles anyway. */
    private final byte[] number = new byte[32];

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
                logprob = doubleValue(r);
            }
            else
            {
                r.skip();
            }
        }
        if (aggregate.keepsContent() && (!r.appendStructure(start, list) || (copy != null && !r.appendStructure(start, copy))))
        {
            tooLarge();
        }
        aggregate.logprob(choice, refusal, token, logprob);
    }

    /**
     * The number the reader is on, as Jackson reads it: by {@link ExactDouble} when it is sure (no String, where
     * Jackson's own conversion makes one per number), else by Jackson.
     */
    private double doubleValue(final JsonReader r) throws JsonReader.BadPayload
    {
        final CharView v = r.text();
        final int n = v.length();
        if (n <= number.length)
        {
            final char[] chars = v.array();
            for (int i = 0; i < n; i++)
            {
                number[i] = (byte)chars[v.offset() + i];
            }
            final double d = ExactDouble.parse(number, 0, n);
            if (!Double.isNaN(d))
            {
                return d;
            }
        }
        return r.doubleValue();
    }

    /**
     * The fast path's keep of one entry matched whole (an event template's {@link EventShape#OBJECT} slot): kept as
     * sent, as {@link #read} keeps it, and announced with the token and value the caller read, only when a
     * listener hears them.
     */
    public void keepMatched(final byte[] src, final int from, final int to, final MutableChoice choice, final boolean refusal,
        final MutableRawList list, final char[] tokenChars, final int tokenLength, final double logprob)
    {
        keepMatched(src, from, to, choice, refusal, list, null, tokenChars, tokenLength, logprob);
    }

    /**
     * As {@link #keepMatched(byte[], int, int, MutableChoice, boolean, MutableRawList, char[], int, double)}, in a second
     * list too, as {@link #read} (a Responses part's logprobs and its choice's).
     */
    public void keepMatched(final byte[] src, final int from, final int to, final MutableChoice choice, final boolean refusal,
        final MutableRawList list, final MutableRawList copy, final char[] tokenChars, final int tokenLength, final double logprob)
    {
        keep(src, from, to, list, copy);
        if (aggregate.listener() != StreamListener.NONE)
        {
            token.set(tokenChars, 0, tokenLength, limits.maxTextChars());
            aggregate.logprob(choice, refusal, token, logprob);
        }
    }

    /**
     * The fast path's read of one entry (an event template's {@link EventShape#SCANNED} slot), in one pass that
     * checks the bytes as {@link JsonBytes#valueEnd} does and takes out its token and logprob as {@link #read}
     * reads them (the last of a repeated name wins, other types are skipped), kept for {@link #keepScanned}.
     * Refused, besides what {@link JsonBytes} refuses: a value that cannot be read as surely as Jackson reads it
     * (a logprob outside {@link ExactDouble}'s range). Nothing in the aggregate is changed.
     */
    @Override
    public int valueEnd(final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes)
    {
        scannedLogprob = Double.NaN;
        token.clear();
        if (maxDepth <= 0 || from >= limit || src[from] != '{')
        {
            return JsonBytes.REFUSED;
        }
        // Members' values nest one level deeper than the entry, within the 64 levels JsonBytes allows.
        final int depth = Math.min(maxDepth, 64) - 1;
        int i = JsonBytes.skipWhitespace(src, from + 1, limit);
        if (i < limit && src[i] == '}')
        {
            return i + 1;
        }
        while (true)
        {
            final int close = JsonBytes.nameEnd(src, i, limit, maxStringBytes);
            if (close < 0)
            {
                return JsonBytes.REFUSED;
            }
            final int colon = JsonBytes.skipWhitespace(src, close + 1, limit);
            if (colon >= limit || src[colon] != ':')
            {
                return JsonBytes.REFUSED;
            }
            final int v = JsonBytes.skipWhitespace(src, colon + 1, limit);
            if (v >= limit)
            {
                return JsonBytes.REFUSED;
            }
            final int end;
            final byte first = src[v];
            if (first == '"' && isName(src, i, close, TOKEN))
            {
                final int quote = tokenBytes.decode(src, v + 1, limit);
                if (quote < 0 || quote - v - 1 > maxStringBytes)
                {
                    return JsonBytes.REFUSED;
                }
                token.set(tokenBytes.chars(), 0, tokenBytes.length(), limits.maxTextChars());
                end = quote + 1;
            }
            else if ((first == '-' || (first >= '0' && first <= '9')) && isName(src, i, close, LOGPROB))
            {
                end = JsonBytes.numberEnd(src, v, limit);
                if (end < 0)
                {
                    return JsonBytes.REFUSED;
                }
                scannedLogprob = ExactDouble.parse(src, v, end);
                if (Double.isNaN(scannedLogprob))
                {
                    return JsonBytes.REFUSED;
                }
            }
            else
            {
                end = JsonBytes.valueEnd(src, v, limit, depth, maxStringBytes);
                if (end < 0)
                {
                    return JsonBytes.REFUSED;
                }
            }
            i = JsonBytes.skipWhitespace(src, end, limit);
            if (i >= limit)
            {
                return JsonBytes.REFUSED;
            }
            if (src[i] == '}')
            {
                return i + 1;
            }
            if (src[i] != ',')
            {
                return JsonBytes.REFUSED;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
        }
    }

    /** @return whether the name quoted from {@code quote} to {@code close} is {@code name}'s ASCII bytes. */
    private static boolean isName(final byte[] src, final int quote, final int close, final byte[] name)
    {
        return close - quote - 1 == name.length && Arrays.equals(src, quote + 1, close, name, 0, name.length);
    }

    /** Keeps the entry {@link #valueEnd} read last, as {@link #read} keeps it, and announces it. */
    public void keepScanned(
        final byte[] src, final int from, final int to, final MutableChoice choice, final boolean refusal, final MutableRawList list)
    {
        keepScanned(src, from, to, choice, refusal, list, null);
    }

    /** As {@link #keepScanned(byte[], int, int, MutableChoice, boolean, MutableRawList)}, in a second list too, as {@link #read}. */
    public void keepScanned(final byte[] src, final int from, final int to, final MutableChoice choice, final boolean refusal,
        final MutableRawList list, final MutableRawList copy)
    {
        keep(src, from, to, list, copy);
        aggregate.logprob(choice, refusal, token, scannedLogprob);
    }

    /** Keeps an entry's bytes in {@code list} (and {@code copy}) unless the fold drops streamed content; says so past the limit. */
    private void keep(final byte[] src, final int from, final int to, final MutableRawList list, final MutableRawList copy)
    {
        if (aggregate.keepsContent() &&
            (!list.add(src, from, to - from, limits.maxRawBytes()) || (copy != null && !copy.add(src, from, to - from, limits.maxRawBytes()))))
        {
            tooLarge();
        }
    }

    private void tooLarge()
    {
        aggregate.error(ErrorKind.LIMIT_EXCEEDED, "logprobs larger than " + limits.maxRawBytes() + " bytes");
    }
}
