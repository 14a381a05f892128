package io.streamfold.aggregator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.dialect.FormatDetector;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.RawJson;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;

/**
 * What every aggregator fuzz target checks on one stream: fed whole and fed in the fuzzer's slices,
 * the results (provider JSON, normalized JSON, error kinds, outcome) are identical; no error is an
 * internal one (a RuntimeException inside a dialect); after every feed the aggregate holds no more than
 * the small limits used here allow; what the listener was told agrees with the final result; the
 * outcome is decided once {@code end()} returns and {@code onEnd} fires exactly once.
 */
final class AggregatorFuzzing
{
    /** Small limits so the fuzzer reaches every limit path with short inputs. */
    static final AggregationLimits LIMITS = smallLimits().build();

    /**
     * The small limits but for the byte limit on one kept raw value: a fold that drops logprob entries never reaches
     * it with them (documented), and is compared with the full fold under every limit that counts what it drops.
     */
    private static final AggregationLimits CONTENT_LIMITS = smallLimits().maxRawBytes(AggregationLimits.DEFAULT.maxRawBytes()).build();

    private static AggregationLimits.Builder smallLimits()
    {
        return AggregationLimits.builder()
            .framing(FramingLimits.builder().maxLineBytes(512).maxFrameBytes(2048).maxNestingDepth(16).build())
            .maxChoices(4)
            .maxPartsPerChoice(8)
            .maxIndex(16)
            .maxTextChars(256)
            .maxArgumentChars(256)
            .maxTokenIds(64)
            .maxRawBytes(256)
            .maxRawFields(8)
            .maxNestingDepth(16);
    }

    /** Formats with a dialect in this build, found by asking for each; new dialects are fuzzed as they land. */
    static final List<Format> AVAILABLE = available();

    private AggregatorFuzzing()
    {
    }

    private static List<Format> available()
    {
        final List<Format> formats = new ArrayList<>();
        for (final Format f : Format.values())
        {
            if (f != Format.AUTO)
            {
                formats.add(f);
            }
        }
        return List.copyOf(formats);
    }

    /** The comparable result of one run. */
    static final class Result
    {
        final String json;
        final String normalized;
        final List<String> errorKinds;
        final Outcome outcome;
        final Format format;

        Result(final StreamAggregator aggregator)
        {
            final Aggregate a = aggregator.result();
            json = a.toJson();
            normalized = a.toNormalizedJson();
            errorKinds = new ArrayList<>();
            for (final StreamError e : a.errors())
            {
                errorKinds.add(e.kind().name());
            }
            outcome = a.outcome();
            format = a.format();
        }

        @Override
        public boolean equals(final Object o)
        {
            if (!(o instanceof Result))
            {
                return false;
            }
            final Result r = (Result)o;
            return json.equals(r.json) && normalized.equals(r.normalized) && errorKinds.equals(r.errorKinds) &&
                outcome == r.outcome && format == r.format;
        }

        @Override
        public int hashCode()
        {
            return json.hashCode();
        }

        @Override
        public String toString()
        {
            return format + " " + outcome + " " + errorKinds + "\n" + json + "\n" + normalized;
        }
    }

    /**
     * Runs the stream whole and in slices and checks everything listed on the class.
     *
     * @return the result of the whole run.
     */
    static Result check(final Format format, final boolean strict, final byte[] stream, final int[] cuts)
    {
        final Result whole = run(format, strict, stream, new int[] { stream.length });
        final int[] ends = slices(cuts, stream.length);
        final Result sliced = run(format, strict, stream, ends);
        if (!whole.equals(sliced))
        {
            throw new AssertionError("fed whole vs in slices " + Arrays.toString(ends) + ":\n" + whole + "\n---\n" + sliced);
        }
        checkFastPath(format, strict, stream, ends);
        checkPooledFastPath(format, strict, stream, new int[] { stream.length }, stream, ends);
        checkKeepContent(format, strict, stream, ends);
        return whole;
    }

    /**
     * What a dialect learnt from one stream may serve the next on a pooled aggregator: one aggregator fed {@code first},
     * ended, reset, then fed {@code stream}, folds with the fast path on exactly as with it off (results, errors and what
     * the listener was told over both streams), and within bounds.
     *
     * @return events the fast path folded, over both streams.
     */
    static long checkPooledFastPath(final Format format, final boolean strict, final byte[] first, final int[] firstEnds,
        final byte[] stream, final int[] ends)
    {
        final Recorder fastTold = new Recorder();
        final Recorder fullTold = new Recorder();
        final StreamAggregator fast = pooled(format, strict, first, firstEnds, stream, ends, true, fastTold);
        final StreamAggregator full = pooled(format, strict, first, firstEnds, stream, ends, false, fullTold);
        final String fastRun = describe(fast) + "\n" + fastTold.told();
        final String fullRun = describe(full) + "\n" + fullTold.told();
        if (!fastRun.equals(fullRun))
        {
            throw new AssertionError("pooled, fast path on vs off, slices " + Arrays.toString(ends) + " after a stream in " +
                Arrays.toString(firstEnds) + ":\n" + fastRun + "\n---\n" + fullRun);
        }
        return fast.dialect() == null ? 0 : fast.dialect().fastFolds();
    }

    private static StreamAggregator pooled(final Format format, final boolean strict, final byte[] first, final int[] firstEnds,
        final byte[] stream, final int[] ends, final boolean fastPath, final Recorder recorder)
    {
        final StreamAggregator aggregator = feedUnchecked(format, strict, first, firstEnds, fastPath, recorder);
        aggregator.reset();
        feedSlices(aggregator, stream, ends);
        aggregator.end();
        checkBounds(aggregator);
        if (!aggregator.isDone() || recorder.ends != 2 || aggregator.bytesFed() != stream.length)
        {
            throw new AssertionError("pooled, after end(): done=" + aggregator.isDone() + ", onEnd fired " + recorder.ends +
                " times, bytesFed " + aggregator.bytesFed() + " of " + stream.length);
        }
        noInternalError(aggregator);
        return aggregator;
    }

    /**
     * A fold that drops the streamed content hears what the full fold hears: the same listener events in the same
     * order, the same errors, outcome and choices' finish reasons; and it keeps no text, token id or logprob entry.
     */
    static void checkKeepContent(final Format format, final boolean strict, final byte[] stream, final int[] ends)
    {
        final String full = heard(format, strict, stream, ends, true);
        final String dropped = heard(format, strict, stream, ends, false);
        if (!full.equals(dropped))
        {
            final String[] a = full.split("\n");
            final String[] b = dropped.split("\n");
            int i = 0;
            while (i < a.length && i < b.length && a[i].equals(b[i]))
            {
                i++;
            }
            throw new AssertionError("content kept vs dropped, slices " + Arrays.toString(ends) + ", first difference at line " + i +
                ":\nkept:    " + (i < a.length ? a[i] : "(end)") + "\ndropped: " + (i < b.length ? b[i] : "(end)") + "\n" +
                full + "\n---\n" + dropped);
        }
    }

    private static String heard(final Format format, final boolean strict, final byte[] stream, final int[] ends, final boolean keep)
    {
        final RecordingListener listener = new RecordingListener();
        final StreamAggregator aggregator = StreamAggregator.builder()
            .format(format).strict(strict).limits(CONTENT_LIMITS).listener(listener).keepContent(keep).build();
        int from = 0;
        for (final int to : ends)
        {
            aggregator.feed(stream, from, to - from);
            from = to;
        }
        aggregator.end();
        final Aggregate a = aggregator.result();
        final StringBuilder sb = new StringBuilder(listener.log()).append(a.outcome()).append(' ').append(a.format()).append('\n');
        for (final StreamError e : a.errors())
        {
            sb.append(e).append('\n');
        }
        for (final Choice c : a.choices())
        {
            sb.append("choice ").append(c.index()).append(' ').append(c.finishReason()).append(' ').append(c.parts().size()).append('\n');
            if (!keep && (c.tokenIdCount() > 0 || c.contentLogprobs().count() > 0 || c.refusalLogprobs().count() > 0 ||
                c.joined(Part.Kind.TEXT).length() + c.joined(Part.Kind.REASONING).length() + c.joined(Part.Kind.REFUSAL).length() > 0))
            {
                throw new AssertionError("content kept by a fold that drops it: choice " + c.index());
            }
        }
        return sb.toString();
    }

    /**
     * The repeated-event fast paths must be invisible: the same bytes in the same slices, fast paths off, give
     * the same result, the same errors (event numbers, offsets, messages) and the same listener deltas. (Whether
     * the deltas agree with the result is a property of the dialect, checked by {@link #feed}; a dialect that
     * keeps a final text over its deltas breaks it on both paths alike.)
     *
     * @return the events the fast path folded.
     */
    static long checkFastPath(final Format format, final boolean strict, final byte[] stream, final int[] ends)
    {
        final Recorder fastTold = new Recorder();
        final Recorder fullTold = new Recorder();
        final StreamAggregator fast = feedUnchecked(format, strict, stream, ends, true, fastTold);
        final StreamAggregator full = feedUnchecked(format, strict, stream, ends, false, fullTold);
        final String fastRun = describe(fast) + "\n" + fastTold.told();
        final String fullRun = describe(full) + "\n" + fullTold.told();
        if (!fastRun.equals(fullRun))
        {
            throw new AssertionError("fast path on vs off, slices " + Arrays.toString(ends) + ":\n" + fastRun + "\n---\n" + fullRun);
        }
        return fast.dialect() == null ? 0 : fast.dialect().fastFolds();
    }

    static Result run(final Format format, final boolean strict, final byte[] stream, final int[] ends)
    {
        return new Result(feed(format, strict, stream, ends));
    }

    /** Feeds the stream in the given slices and ends it, checking everything but the whole-vs-sliced comparison. */
    static StreamAggregator feed(final Format format, final boolean strict, final byte[] stream, final int[] ends)
    {
        return feed(format, strict, stream, ends, true);
    }

    /** The result and errors; a writer failure (a lone surrogate the JSON writer refuses) is described, not thrown. */
    private static String describe(final StreamAggregator aggregator)
    {
        final String errors = aggregator.result().errors().toString();
        try
        {
            return new Result(aggregator) + "\n" + errors;
        }
        catch (final RuntimeException e)
        {
            return "writing failed: " + e + "\n" + Message.of(aggregator.result()) + "\n" + errors;
        }
    }

    /** As {@link #feed(Format, boolean, byte[], int[])}, with the dialect's fast path on or off. */
    static StreamAggregator feed(final Format format, final boolean strict, final byte[] stream, final int[] ends,
        final boolean fastPath)
    {
        final Recorder recorder = new Recorder();
        final StreamAggregator aggregator = feedUnchecked(format, strict, stream, ends, fastPath, recorder);
        recorder.agreesWith(aggregator.result());
        return aggregator;
    }

    /** Feeds and checks bounds, end and bytes, but not that the listener's deltas agree with the result. */
    private static StreamAggregator feedUnchecked(final Format format, final boolean strict, final byte[] stream,
        final int[] ends, final boolean fastPath, final Recorder recorder)
    {
        final StreamAggregator aggregator = StreamAggregator.builder()
            .format(format).strict(strict).limits(LIMITS).listener(recorder).build();
        if (aggregator.dialect() != null)
        {
            aggregator.dialect().fastPath(fastPath);
        }
        feedSlices(aggregator, stream, ends);
        aggregator.end();
        checkBounds(aggregator);
        if (!aggregator.isDone() || recorder.ends != 1)
        {
            throw new AssertionError("after end(): done=" + aggregator.isDone() + ", onEnd fired " + recorder.ends + " times");
        }
        if (aggregator.bytesFed() != stream.length)
        {
            throw new AssertionError("bytesFed " + aggregator.bytesFed() + " but " + stream.length + " fed");
        }
        noInternalError(aggregator);
        return aggregator;
    }

    /** Feeds each slice as its own array, overwritten once fed (nothing may keep a reference to the caller's bytes). */
    private static void feedSlices(final StreamAggregator aggregator, final byte[] stream, final int[] ends)
    {
        int from = 0;
        for (final int to : ends)
        {
            final byte[] slice = Arrays.copyOfRange(stream, from, to);
            aggregator.feed(slice, 0, slice.length);
            Arrays.fill(slice, (byte)'#');
            checkBounds(aggregator);
            from = to;
        }
    }

    private static void noInternalError(final StreamAggregator aggregator)
    {
        for (final StreamError e : aggregator.result().errors())
        {
            if (e.message().startsWith(InternalErrors.PREFIX))
            {
                throw new AssertionError("internal error: " + e);
            }
        }
    }

    /** Sorted, distinct slice ends inside (0, length], the last one being length. */
    static int[] slices(final int[] cuts, final int length)
    {
        final int[] ends = new int[cuts.length + 1];
        int n = 0;
        for (final int cut : cuts)
        {
            if (length > 0)
            {
                ends[n++] = Math.floorMod(cut, length);
            }
        }
        ends[n++] = length;
        final int[] sorted = Arrays.copyOf(ends, n);
        Arrays.sort(sorted);
        final int[] distinct = new int[n];
        int m = 0;
        for (final int e : sorted)
        {
            if (e > 0 && (m == 0 || distinct[m - 1] != e))
            {
                distinct[m++] = e;
            }
        }
        return Arrays.copyOf(distinct, m);
    }

    /** Everything the aggregate keeps stays within {@link #LIMITS}. */
    static void checkBounds(final StreamAggregator aggregator)
    {
        // Bounds are checked on the internal fold state, which exposes every kept list without copying.
        final MutableAggregate a = (MutableAggregate)aggregator.result();
        final AggregationLimits l = LIMITS;
        final long sniff = aggregator.retainedSniffBytes();
        if (sniff > 2L * FormatDetector.MAX_SNIFF_BYTES)
        {
            throw new AssertionError("format detection holds " + sniff + " bytes");
        }
        at(a.choiceCount() <= l.maxChoices(), "choices", a.choiceCount());
        at(a.errors().size() <= 1000, "errors kept", a.errors().size());
        checkFields(a.meta(), "meta");
        checkFields(a.usage().fields(), "usage");
        for (int i = 0; i < a.choiceCount(); i++)
        {
            final MutableChoice c = a.choiceAt(i);
            at(c.partCount() <= l.maxPartsPerChoice(), "parts", c.partCount());
            at(c.tokenIdCount() <= l.maxTokenIds(), "token ids", c.tokenIdCount());
            at(c.role().length() <= l.maxTextChars(), "role", c.role().length());
            at(c.finishReason().length() <= l.maxTextChars(), "finish reason", c.finishReason().length());
            at(c.contentLogprobs().json().length() <= l.maxRawBytes() + 2, "content logprobs", c.contentLogprobs().json().length());
            at(c.refusalLogprobs().json().length() <= l.maxRawBytes() + 2, "refusal logprobs", c.refusalLogprobs().json().length());
            at(c.messageExtra().size() <= l.maxRawFields(), "message fields", c.messageExtra().size());
            for (int f = 0; f < c.messageExtra().size(); f++)
            {
                // Kept as text (at most maxTextChars) or raw JSON (at most maxRawBytes); written escaped.
                final int written = c.messageExtra().json(f).length();
                at(written <= 6 * Math.max(l.maxTextChars(), l.maxRawBytes()) + 2, "message field", written);
            }
            checkFields(c.extra(), "choice extra");
            for (int p = 0; p < c.partCount(); p++)
            {
                final MutablePart part = c.part(p);
                final int max = part.kind() == Part.Kind.TOOL_CALL ? l.maxArgumentChars() : l.maxTextChars();
                at(part.text().length() <= max, part.kind() + " text", part.text().length());
                at(part.id().length() <= l.maxTextChars(), "part id", part.id().length());
                at(part.name().length() <= l.maxTextChars(), "part name", part.name().length());
                at(part.type().length() <= 256, "part type", part.type().length());
                at(part.signature().length() <= l.maxTextChars(), "part signature", part.signature().length());
                checkFields(part.extra(), "part extra");
                at(part.annotations().json().length() <= l.maxRawBytes() + 2, "annotations", part.annotations().json().length());
            }
        }
    }

    private static void checkFields(final MutableRawFields fields, final String what)
    {
        at(fields.size() <= LIMITS.maxRawFields(), what + " fields", fields.size());
        for (int i = 0; i < fields.size(); i++)
        {
            final MutableRawJson v = fields.value(i);
            final int size = v.type() == RawJson.Type.STRUCTURED ? v.structuredLength() : v.text().length();
            at(size <= LIMITS.maxRawBytes(), what + " field '" + fields.name(i) + "'", size);
        }
    }

    private static void at(final boolean ok, final String what, final long value)
    {
        if (!ok)
        {
            throw new AssertionError(what + " past its limit: " + value);
        }
    }

    /** Keeps what the listener was told, to compare with the final aggregate. */
    static final class Recorder implements StreamListener
    {
        final Map<Integer, StringBuilder> text = new HashMap<>();
        final Map<Integer, StringBuilder> reasoning = new HashMap<>();
        final Map<Integer, StringBuilder> refusal = new HashMap<>();
        final List<StreamError> errors = new ArrayList<>();
        int starts;
        int ends;

        @Override
        public void onMessageStart(final CharSequence id, final CharSequence model)
        {
            starts++;
        }

        @Override
        public void onTextDelta(final int choice, final CharSequence delta)
        {
            text.computeIfAbsent(choice, k -> new StringBuilder()).append(delta);
        }

        @Override
        public void onReasoningDelta(final int choice, final CharSequence delta)
        {
            reasoning.computeIfAbsent(choice, k -> new StringBuilder()).append(delta);
        }

        @Override
        public void onRefusalDelta(final int choice, final CharSequence delta)
        {
            refusal.computeIfAbsent(choice, k -> new StringBuilder()).append(delta);
        }

        @Override
        public void onError(final StreamError error)
        {
            errors.add(error);
        }

        @Override
        public void onEnd(final Outcome outcome)
        {
            ends++;
        }

        /** @return everything the listener was told, in a comparable form. */
        String told()
        {
            return "text " + text + "\nreasoning " + reasoning + "\nrefusal " + refusal + "\nerrors " + errors + "\nstarts " +
                starts + " ends " + ends;
        }

        void agreesWith(final Aggregate a)
        {
            if (starts > 1)
            {
                throw new AssertionError("onMessageStart fired " + starts + " times");
            }
            if (a.errors().size() + a.droppedErrors() != errors.size())
            {
                throw new AssertionError("listener saw " + errors.size() + " errors, aggregate has " + a.errors().size());
            }
            for (final Choice c : a.choices())
            {
                same("text", text, c, Part.Kind.TEXT);
                same("reasoning", reasoning, c, Part.Kind.REASONING);
                same("refusal", refusal, c, Part.Kind.REFUSAL);
            }
        }

        private static void same(final String what, final Map<Integer, StringBuilder> deltas, final Choice c, final Part.Kind kind)
        {
            final StringBuilder told = deltas.get((int)c.index());
            final String expected = c.joined(kind);
            if (!expected.equals(told == null ? "" : told.toString()))
            {
                throw new AssertionError(what + " deltas of choice " + c.index() + " were '" + told + "' but the result holds '" +
                    expected + "'");
            }
        }
    }
}
