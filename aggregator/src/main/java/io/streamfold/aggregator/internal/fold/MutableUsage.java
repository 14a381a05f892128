package io.streamfold.aggregator.internal.fold;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.model.Usage;

/**
 * Token usage as the provider reported it, merged by its provider's rule ({@link UsageKeys#accumulation}).
 * Every field is kept raw, unknown ones too; the normalized accessors read the provider's own names.
 *
 * <p>Source: a report is {@link Source#REPORTED} when it arrived in or after the event that finished the last
 * choice (or, when no finish did, up to the terminal event); one that arrived earlier is {@link Source#PROVISIONAL},
 * since providers that report early (Anthropic's {@code message_start}, vLLM's running usage, Gemini's running
 * {@code usageMetadata}) always report again when the response finishes.
 *
 * <p>A split of a count into parts (Anthropic's {@code cache_creation} object splitting
 * {@code cache_creation_input_tokens} by lifetime) describes the count it arrived with. Field-by-field merging keeps
 * it when a later report changes the count without sending a new split, so the split is read only while the count
 * is still the one it came with, and is unknown (-1) after. That needs to know which fields a report carried: every
 * merge of a provider that declares a split goes through {@link #sent(String)} and {@link #reportMerged()}.
 *
 * <p>Iterations ({@link UsageKeys#iterations}, Anthropic's compaction and advisor steps): when the provider lists them,
 * every normalized count is their sum ({@link IterationSums}), since each step is billed and the top level covers the
 * last one only. The list describes the top-level counts it arrived with, like a split: when a later report moves
 * them without a new list, or the list is unusable, the counts are the top level's and {@link #iterationsProblem()}
 * says why (an {@code INCONSISTENT_USAGE} error at the end of the stream), never a sum of what may be wrong.
 */
public final class MutableUsage implements Usage
{
    private static final JsonFactory DETAIL_FACTORY = new JsonFactory();

    private final MutableRawFields fields;
    private UsageKeys keys = UsageKeys.NONE;
    private boolean present;
    private long reportEvent = -1;
    private long doneEvent = -1;
    private long estimatedOutput = -1;
    private String estimateMethod;
    /** The report being merged carries a split. */
    private boolean splitSent;
    /** The cache-write count when the split last arrived (-1: none then): the split describes that count only. */
    private long splitTotal = -1;
    /** The sums over the iterations list: made when a stream first has one, kept while the keys stay. */
    private IterationSums iterations;
    /** {@link #iterations} holds the sums of the fields as they are now. */
    private boolean iterationsValid;
    /** The report being merged carries an iterations list. */
    private boolean iterationsSent;
    /** The top-level counts the list covers ({@link UsageKeys#iterationsCover}) as they were when it arrived. */
    private long[] watched;
    private boolean watchedSet;
    /**
     * The result to estimate from once someone asks: counting tokens walks the whole text (and a tokenizer's
     * tables load on first use), which a caller that never reads usage should not pay for.
     */
    private MutableAggregate pendingEstimate;

    public MutableUsage()
    {
        this(null);
    }

    MutableUsage(final ResultBudget budget)
    {
        fields = new MutableRawFields(budget);
    }

    /** Drops the kept fields' capacity (a reset that does not pool it). */
    void release()
    {
        clear();
        fields.release();
    }

    public void keys(final UsageKeys keys)
    {
        if (keys != this.keys)
        {
            // What was made for other keys reads other paths (a pooled aggregator keeps the ones it has).
            iterations = null;
            watched = null;
        }
        this.keys = keys;
        iterationsValid = false;
        watchedSet = false;
    }

    /** @return whether {@link #reportMerged()} must hear of field {@code name} when a report carries it. */
    public boolean tracks(final String name)
    {
        return name.equals(keys.split) || name.equals(keys.iterations);
    }

    /**
     * The report being merged carries field {@code name} with a value (not null or empty, which the merge never lets
     * replace a kept one).
     */
    public void sent(final String name)
    {
        if (name.equals(keys.split))
        {
            splitSent = true;
        }
        else if (name.equals(keys.iterations))
        {
            iterationsSent = true;
        }
    }

    /** The report that {@link #sent(String)} told of is merged: a split that came with it describes today's count. */
    public void reportMerged()
    {
        if (splitSent)
        {
            splitSent = false;
            splitTotal = lookup(keys.cacheWrite, false);
        }
        if (iterationsSent)
        {
            iterationsSent = false;
            final String[] cover = keys.iterationsCover;
            if (watched == null)
            {
                watched = new long[cover.length];
            }
            for (int i = 0; i < cover.length; i++)
            {
                watched[i] = value(cover[i]);
            }
            watchedSet = true;
        }
        iterationsValid = false;
    }

    /** @return the iterations' sums when they stand for this usage, else null (the top-level counts stand). */
    private IterationSums summed()
    {
        if (keys.iterations == null)
        {
            return null;
        }
        if (!iterationsValid)
        {
            final MutableRawJson list = fields.get(keys.iterations);
            if (list == null && iterations == null)
            {
                // Most streams have none: nothing made, and nothing to check until a report brings one.
                return null;
            }
            if (iterations == null)
            {
                iterations = new IterationSums(keys);
            }
            iterationsValid = true;
            iterations.compute(list);
            final String[] cover = keys.iterationsCover;
            for (int i = 0; watchedSet && i < cover.length; i++)
            {
                if (value(cover[i]) != watched[i])
                {
                    iterations.unusable(cover[i] + " changed after they were sent");
                    break;
                }
            }
        }
        return iterations.entries() > 0 ? iterations : null;
    }

    /** @return how many iterations the counts add up, or 0 when they are the top level's. */
    public int summedIterations()
    {
        final IterationSums s = summed();
        return s == null ? 0 : s.entries();
    }

    /**
     * @return why an iterations list the provider sent was not added up (the counts are then the top level's, the
     * final step's only), or null when it was, or when there is none.
     */
    public String iterationsProblem()
    {
        summed();
        final String why = iterations == null || !iterationsValid ? null : iterations.problem();
        return why == null ? null : why + "; the counts are the top-level usage (the final iteration only)";
    }

    public void clear()
    {
        fields.clear();
        present = false;
        reportEvent = -1;
        doneEvent = -1;
        estimatedOutput = -1;
        estimateMethod = null;
        pendingEstimate = null;
        splitSent = false;
        splitTotal = -1;
        iterationsValid = false;
        iterationsSent = false;
        watchedSet = false;
    }

    /** A report was merged in event {@code eventNumber}. */
    public void markPresent(final long eventNumber)
    {
        present = true;
        reportEvent = eventNumber;
    }

    /** The response's last choice finished (or its terminal event came, with no choice) in {@code eventNumber}. */
    void done(final long eventNumber)
    {
        doneEvent = eventNumber;
    }

    /**
     * The provider's terminal event: nothing follows it, so when no finish marked the end of the response
     * (a choice that never got a finish reason), the reports so far are its final ones.
     */
    void terminal(final long eventNumber)
    {
        if (doneEvent < 0)
        {
            doneEvent = present ? reportEvent : eventNumber;
        }
    }

    /** The stream ended without usage: estimate from {@code aggregate} when usage is first read. */
    void estimateLater(final MutableAggregate aggregate)
    {
        pendingEstimate = aggregate;
    }

    private void settle()
    {
        final MutableAggregate aggregate = pendingEstimate;
        if (aggregate != null)
        {
            pendingEstimate = null;
            UsageEstimate.estimate(aggregate);
        }
    }

    /** The provider sent no usage: {@code outputTokens} were counted by {@code method}. */
    void estimated(final long outputTokens, final String method)
    {
        estimatedOutput = outputTokens;
        estimateMethod = method;
    }

    /** @return where the counts come from. */
    public Source source()
    {
        if (present)
        {
            return doneEvent >= 0 && reportEvent >= doneEvent ? Source.REPORTED : Source.PROVISIONAL;
        }
        settle();
        return estimateMethod != null ? Source.ESTIMATED : Source.MISSING;
    }

    /** @return how estimated output tokens were counted, or null. */
    public String estimateMethod()
    {
        if (present)
        {
            return null;
        }
        settle();
        return estimateMethod;
    }

    public MutableRawFields mutableFields()
    {
        return fields;
    }

    /** @return true once the stream reported any usage. */
    public boolean isPresent()
    {
        return present;
    }

    /** @return every usage field as the provider named it, merged. */
    public MutableRawFields fields()
    {
        return fields;
    }

    /** @return input (prompt) tokens, or -1 when not reported. */
    public long inputTokens()
    {
        return count(IterationSums.INPUT, keys.input, keys.sumParts);
    }

    /** @return output (completion) tokens, or -1 when not reported. */
    public long outputTokens()
    {
        if (!present)
        {
            settle();
            return estimateMethod != null ? estimatedOutput : -1;
        }
        final long output = count(IterationSums.OUTPUT, keys.output, keys.sumParts);
        final long outside = output >= 0 && summed() == null ? reasoningOutsideOutput() : 0;
        return outside > 0 && output <= Long.MAX_VALUE - outside ? output + outside : output;
    }

    /**
     * @return the reasoning count when the provider's total adds it beside the output (xAI's chat: total = prompt +
     * completion + reasoning, and reasoning is billed as output), else 0. Told by the numbers, not the provider's name:
     * the first reading of the total that adds up ({@link UsageKeys#totalParts}) names a reasoning path that is no
     * output path.
     */
    private long reasoningOutsideOutput()
    {
        if (keys.totalParts.length == 0 || keys.total.length == 0)
        {
            return 0;
        }
        final long total = value(keys.total[0]);
        if (total < 0)
        {
            return 0;
        }
        for (final String[] reading : keys.totalParts)
        {
            long sum = 0;
            long reasoning = 0;
            for (final String part : reading)
            {
                final long v = value(part);
                if (v < 0)
                {
                    continue;
                }
                if (sum > Long.MAX_VALUE - v)
                {
                    return 0;
                }
                sum += v;
                if (isOutsideReasoning(part))
                {
                    reasoning = v;
                }
            }
            if (sum == total)
            {
                return reasoning;
            }
        }
        return 0;
    }

    /** @return whether {@code path} is a reasoning count that the output paths do not already take in (Gemini's do). */
    private boolean isOutsideReasoning(final String path)
    {
        return contains(keys.reasoning, path) && !contains(keys.output, path);
    }

    private static boolean contains(final String[] paths, final String path)
    {
        for (final String p : paths)
        {
            if (p.equals(path))
            {
                return true;
            }
        }
        return false;
    }

    /** @return total tokens as reported, or input + output when only those are, or -1. */
    public long totalTokens()
    {
        final long total = lookup(keys.total, false);
        if (total >= 0)
        {
            return total;
        }
        final long in = inputTokens();
        final long out = outputTokens();
        return in >= 0 && out >= 0 && in <= Long.MAX_VALUE - out ? in + out : -1;
    }

    /** @return input tokens read from cache, or -1 when not reported. */
    public long cachedTokens()
    {
        return count(IterationSums.CACHED, keys.cached, false);
    }

    /** @return input tokens written to the cache, or -1 when not reported. */
    public long cacheWriteTokens()
    {
        return count(IterationSums.CACHE_WRITE, keys.cacheWrite, false);
    }

    /** @return of the cache-write tokens, those with a 5-minute lifetime, or -1 when not reported. */
    public long cacheWrite5mTokens()
    {
        final IterationSums s = summed();
        if (s != null)
        {
            // Each step's split came with its own count: no top-level split to go stale.
            return s.sum(IterationSums.CACHE_WRITE_5M);
        }
        return splitCurrent() ? lookup(keys.cacheWrite5m, false) : -1;
    }

    /** @return of the cache-write tokens, those with a 1-hour lifetime, or -1 when not reported. */
    public long cacheWrite1hTokens()
    {
        final IterationSums s = summed();
        if (s != null)
        {
            return s.sum(IterationSums.CACHE_WRITE_1H);
        }
        return splitCurrent() ? lookup(keys.cacheWrite1h, false) : -1;
    }

    /**
     * @return false when a later report changed the cache-write count without a new split (Anthropic's message_delta
     * raising {@code cache_creation_input_tokens} after message_start's split): the kept split no longer adds up to it.
     */
    private boolean splitCurrent()
    {
        return keys.split == null || lookup(keys.cacheWrite, false) == splitTotal;
    }

    /** @return whether the provider sent a cache-write split that a later count left behind (now unknown). */
    public boolean splitStale()
    {
        final MutableRawJson split = keys.split == null ? null : fields.get(keys.split);
        return summed() == null && !splitCurrent() && split != null && !split.isNullish();
    }

    /** @return reasoning (thinking) tokens, or -1 when not reported. */
    public long reasoningTokens()
    {
        return count(IterationSums.REASONING, keys.reasoning, false);
    }

    /** @return counter {@code counter} summed over the iterations when they stand, else the top level's {@code paths}. */
    private long count(final int counter, final String[] paths, final boolean addUp)
    {
        final IterationSums s = summed();
        if (s == null)
        {
            return lookup(paths, addUp);
        }
        final long sum = s.sum(counter);
        // One step is the whole request, and the top level is that step's: a count its entry leaves out (Anthropic puts
        // thinking_tokens at the top only) is the top level's.
        return sum < 0 && s.entries() == 1 && s.carriedByNone(counter) ? lookup(paths, addUp) : sum;
    }

    private long lookup(final String[] paths, final boolean addUp)
    {
        long sum = -1;
        for (final String path : paths)
        {
            final long v = path.indexOf('|') < 0 ? value(path) : firstValue(path);
            if (v >= 0)
            {
                if (!addUp)
                {
                    return v;
                }
                if (sum > Long.MAX_VALUE - v)
                {
                    // Parts past 2^63 (hostile counts) are no count: unknown, never a wrapped negative.
                    return -1;
                }
                sum = sum < 0 ? v : sum + v;
            }
        }
        return sum;
    }

    /** @return the value of the first present of the paths {@code a|b|...} (one count a provider spells two ways). */
    private long firstValue(final String alternatives)
    {
        int from = 0;
        while (from <= alternatives.length())
        {
            final int bar = alternatives.indexOf('|', from);
            final int to = bar < 0 ? alternatives.length() : bar;
            final long v = value(alternatives.substring(from, to));
            if (v >= 0 || bar < 0)
            {
                return v;
            }
            from = bar + 1;
        }
        return -1;
    }

    private long value(final String path)
    {
        final int dot = path.indexOf('.');
        if (dot < 0)
        {
            final MutableRawJson v = fields.get(path);
            return v == null ? -1 : v.longValue(-1);
        }
        final MutableRawJson parent = fields.get(path.substring(0, dot));
        if (parent == null || parent.type() != MutableRawJson.Type.STRUCTURED)
        {
            return -1;
        }
        final String child = path.substring(dot + 1);
        try (JsonParser p = DETAIL_FACTORY.createParser(parent.structuredBytes(), 0, parent.structuredLength()))
        {
            if (p.nextToken() != JsonToken.START_OBJECT)
            {
                return -1;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                final String name = p.currentName();
                final JsonToken t = p.nextToken();
                if (name.equals(child) && t == JsonToken.VALUE_NUMBER_INT)
                {
                    return p.getLongValue();
                }
                p.skipChildren();
            }
        }
        catch (final IOException e)
        {
            return -1;
        }
        return -1;
    }

    /**
     * @return why the provider's total does not add up to its parts, or null when it does (or when there is no
     * total to check).
     */
    String totalMismatch()
    {
        if (!present || keys.totalParts.length == 0 || keys.total.length == 0)
        {
            return null;
        }
        final long total = value(keys.total[0]);
        if (total < 0)
        {
            return null;
        }
        String mismatch = null;
        for (final String[] reading : keys.totalParts)
        {
            long sum = 0;
            boolean any = false;
            for (final String part : reading)
            {
                final long v = value(part);
                if (v >= 0)
                {
                    sum += v;
                    any = true;
                }
            }
            if (!any || sum == total)
            {
                return null;
            }
            if (mismatch == null)
            {
                // Only now: every stream asks, and most add up.
                mismatch = "usage " + keys.total[0] + " " + total + " is not " + parts(reading) + " = " + sum;
            }
        }
        return mismatch;
    }

    private String parts(final String[] reading)
    {
        final StringBuilder parts = new StringBuilder();
        for (final String part : reading)
        {
            final long v = value(part);
            if (v >= 0)
            {
                parts.append(parts.length() == 0 ? "" : " + ").append(part).append(' ').append(v);
            }
        }
        return parts.toString();
    }

    @Override
    public String toString()
    {
        return fields.toString();
    }

    /** Becomes an independent copy of {@code other}. */
    public void copyFrom(final MutableUsage other)
    {
        other.settle();
        fields.copyFrom(other.fields);
        final UsageKeys before = keys;
        keys = other.keys;
        present = other.present;
        reportEvent = other.reportEvent;
        doneEvent = other.doneEvent;
        estimatedOutput = other.estimatedOutput;
        estimateMethod = other.estimateMethod;
        splitSent = other.splitSent;
        splitTotal = other.splitTotal;
        // The copy's sums are its own: worked out again from the copied fields when asked.
        iterationsValid = false;
        if (before != keys)
        {
            iterations = null;
        }
        iterationsSent = other.iterationsSent;
        watchedSet = other.watchedSet;
        if (other.watched == null)
        {
            watched = null;
        }
        else
        {
            if (watched == null || watched.length != other.watched.length)
            {
                watched = new long[other.watched.length];
            }
            System.arraycopy(other.watched, 0, watched, 0, watched.length);
        }
    }
}
