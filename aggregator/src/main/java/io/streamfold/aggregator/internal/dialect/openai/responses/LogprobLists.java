package io.streamfold.aggregator.internal.dialect.openai.responses;

import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.LogprobEntries;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.json.EventBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;
import io.streamfold.aggregator.internal.json.JsonReader;

/**
 * Reads a logprobs list (a delta's, a done text's or a content part's) onto its slot: by a byte scan of checked bytes
 * when every entry reads as surely as the parser reads it, else by the token reader. Split from {@link ItemReader}.
 */
final class LogprobLists
{
    private final OpenAiResponsesDialect dialect;
    private final AggregationLimits limits;
    private final OutputItems items;
    private final LogprobEntries logprobs;
    /** Longest string the logprob entries' scan accepts (see {@link EventBytes#scanStringBytes}); -1 keeps it off. */
    private final int scanStringBytes;
    /** Whether the last {@link #scan} kept exactly one entry (a delta's: its template may learn it). */
    boolean scannedLone;

    LogprobLists(final OpenAiResponsesDialect dialect, final MutableAggregate aggregate, final AggregationLimits limits,
        final OutputItems items)
    {
        this.dialect = dialect;
        this.limits = limits;
        this.items = items;
        logprobs = new LogprobEntries(aggregate, limits);
        scanStringBytes = EventBytes.scanStringBytes(limits);
    }

    /**
     * Reads the logprobs array in checked bytes {@code bytes[from, to)} as {@link #read} reads it, without a
     * parser: every entry object is first checked by the entries' own scanner, and only when all read as surely as the
     * parser reads them (else nothing is kept and the caller uses the parser) are they kept and announced.
     *
     * @return false when the parser must read the array.
     */
    boolean scan(final byte[] bytes, final int from, final int to, final Slot slot, final boolean mark)
    {
        scannedLone = false;
        if (scanStringBytes < 0 || !dialect.scans() || bytes[from] != '[')
        {
            return false;
        }
        // Each entry is checked in one pass (the bytes are an accepted event's: it ends where its object does); a lone
        // entry, as most deltas carry, is kept from that pass.
        int entries = 0;
        int lone = -1;
        int loneEnd = -1;
        for (int at = JsonMembers.firstElement(bytes, from, to); bytes[at] != ']'; )
        {
            final int end;
            if (bytes[at] == '{')
            {
                end = logprobs.valueEnd(bytes, at, to, limits.maxNestingDepth(), scanStringBytes);
                if (end < 0)
                {
                    return false;
                }
                entries++;
                lone = at;
                loneEnd = end;
            }
            else
            {
                end = JsonMembers.skip(bytes, at, to);
            }
            at = JsonMembers.nextElement(bytes, end, to);
        }
        if (mark)
        {
            slot.logprobs.markPresent();
        }
        if (entries == 1)
        {
            keepScanned(bytes, lone, loneEnd, slot);
            scannedLone = true;
            return true;
        }
        for (int at = JsonMembers.firstElement(bytes, from, to); bytes[at] != ']'; )
        {
            final int end;
            if (bytes[at] == '{')
            {
                end = logprobs.valueEnd(bytes, at, to, limits.maxNestingDepth(), scanStringBytes);
                keepScanned(bytes, at, end, slot);
            }
            else
            {
                end = JsonMembers.skip(bytes, at, to);
            }
            at = JsonMembers.nextElement(bytes, end, to);
        }
        return true;
    }

    /**
     * Keeps the logprob entry {@code bytes[from, to)} of a delta that repeats the learnt one, as {@link #keepScanned}
     * keeps the scanned entry: {@code token} and {@code logprob} are read only for a listener (null and NaN otherwise).
     */
    void keepMatched(final byte[] bytes, final int from, final int to, final Slot slot, final char[] token, final int tokenLength,
        final double logprob)
    {
        final MutableChoice choice = items.current();
        logprobs.keepMatched(bytes, from, to, choice, false, slot.logprobs, choice.contentLogprobs(), token, tokenLength, logprob);
        choice.logprobsSeen();
        slot.logprobsStreamed = true;
    }

    /** Keeps the logprob entry {@code bytes[from, to)} that {@link LogprobEntries#valueEnd} read last. */
    private void keepScanned(final byte[] bytes, final int from, final int to, final Slot slot)
    {
        final MutableChoice choice = items.current();
        logprobs.keepScanned(bytes, from, to, choice, false, slot.logprobs, choice.contentLogprobs());
        choice.logprobsSeen();
        slot.logprobsStreamed = true;
    }

    /**
     * @param mark true when the list is a field of a content part, so the output writes it even empty;
     *             events carry {@code "logprobs":[]} on every delta of servers that never fill them.
     */
    void read(final JsonReader r, final Slot slot, final boolean mark) throws JsonReader.BadPayload
    {
        if (mark)
        {
            slot.logprobs.markPresent();
        }
        while (r.next() != JsonToken.END_ARRAY)
        {
            if (r.token() != JsonToken.START_OBJECT)
            {
                r.skip();
                continue;
            }
            final MutableChoice choice = items.current();
            logprobs.read(r, choice, false, slot.logprobs, choice.contentLogprobs());
            choice.logprobsSeen();
            slot.logprobsStreamed = true;
        }
    }
}
