package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The normalized counts added up over a usage's iterations array ({@link UsageKeys#iterations}): Anthropic's
 * {@code usage.iterations} lists every sampling step of a request (a compaction summary, an advisor's answer, the
 * message itself), each billed, while the top-level counts are the final step's only. Each entry is read with the
 * top-level paths of {@link UsageKeys}, whatever its {@code type}: a step of a type not known today is billed too.
 *
 * <p>A sum is worth billing on only if every entry is: an entry that is not an object, lacks the input or output
 * count, or holds a count that is not a non-negative integer (or holds one twice), and a sum that overflows, make the
 * whole array unusable ({@link #problem()}), and the caller falls back to the top level, saying so. A count that some
 * entries have and others lack is unknown (-1) rather than partly summed. Computed when first asked after a report:
 * reading usage is rare next to folding it.
 */
final class IterationSums
{
    static final int INPUT = 0;
    static final int OUTPUT = 1;
    static final int CACHED = 2;
    static final int CACHE_WRITE = 3;
    static final int CACHE_WRITE_5M = 4;
    static final int CACHE_WRITE_1H = 5;
    static final int REASONING = 6;
    private static final int COUNTERS = 7;
    private static final String[] NAMES = {"input", "output", "cache read", "cache write", "5m cache write",
        "1h cache write", "reasoning"};
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final long OVERFLOW = -2;

    private final boolean sumParts;
    /** Every path any counter reads, once; an entry's values are kept by their index here. */
    private final String[] paths;
    /** For each counter, the indexes of its paths in {@link #paths}, in the keys' order. */
    private final int[][] counterPaths;
    /** The first-level names that hold nested counts (Anthropic's {@code cache_creation}, {@code output_tokens_details}). */
    private final String[] parents;
    private final int requiredInput;
    private final String requiredInputName;

    private final long[] entry;
    private final boolean[] seen;
    private final long[] sums = new long[COUNTERS];
    private final long[] totals = new long[COUNTERS];
    private final int[] have = new int[COUNTERS];
    private int entries;
    private String problem;

    IterationSums(final UsageKeys keys)
    {
        sumParts = keys.sumParts;
        final String[][] byCounter = {keys.input, keys.output, keys.cached, keys.cacheWrite, keys.cacheWrite5m,
            keys.cacheWrite1h, keys.reasoning};
        final List<String> all = new ArrayList<>();
        final List<String> nested = new ArrayList<>();
        counterPaths = new int[COUNTERS][];
        for (int c = 0; c < COUNTERS; c++)
        {
            counterPaths[c] = new int[byCounter[c].length];
            for (int k = 0; k < byCounter[c].length; k++)
            {
                final String path = byCounter[c][k];
                if (!all.contains(path))
                {
                    all.add(path);
                }
                counterPaths[c][k] = all.indexOf(path);
                final int dot = path.indexOf('.');
                if (dot > 0 && !nested.contains(path.substring(0, dot)))
                {
                    nested.add(path.substring(0, dot));
                }
            }
        }
        paths = all.toArray(new String[0]);
        parents = nested.toArray(new String[0]);
        requiredInputName = keys.input.length > 0 ? keys.input[0] : null;
        requiredInput = requiredInputName == null ? -1 : all.indexOf(requiredInputName);
        entry = new long[paths.length];
        seen = new boolean[paths.length];
    }

    /** @return how many entries were summed: 0 when there is no array, an empty one, or an unusable one. */
    int entries()
    {
        return problem == null ? entries : 0;
    }

    /** @return why the array could not be summed, or null. */
    String problem()
    {
        return problem;
    }

    /** @return the sum of counter {@code c} over every entry, or -1 when some entry lacks it. */
    long sum(final int c)
    {
        return sums[c];
    }

    /** @return whether no entry carries counter {@code c}. */
    boolean carriedByNone(final int c)
    {
        return have[c] == 0;
    }

    /** The array cannot be trusted for a reason found outside it (a later report moved the counts it covers). */
    void unusable(final String why)
    {
        if (problem == null && entries > 0)
        {
            problem = why;
        }
    }

    /** Adds up {@code value}, the kept iterations field (null, or absent when never sent). */
    void compute(final MutableRawJson value)
    {
        entries = 0;
        problem = null;
        Arrays.fill(sums, -1);
        if (value == null || value.isNullish())
        {
            return;
        }
        if (value.type() != MutableRawJson.Type.STRUCTURED)
        {
            problem = "not an array";
            return;
        }
        Arrays.fill(totals, 0);
        Arrays.fill(have, 0);
        try (JsonParser p = FACTORY.createParser(value.structuredBytes(), 0, value.structuredLength()))
        {
            if (p.nextToken() != JsonToken.START_ARRAY)
            {
                problem = "not an array";
                return;
            }
            int i = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++)
            {
                if (t != JsonToken.START_OBJECT)
                {
                    problem = "entry " + i + ": not an object";
                    return;
                }
                final String why = readEntry(p);
                if (why != null)
                {
                    problem = "entry " + i + ": " + why;
                    return;
                }
                for (int c = 0; c < COUNTERS; c++)
                {
                    final long v = entryValue(c);
                    if (v == -1)
                    {
                        continue;
                    }
                    if (v == OVERFLOW || totals[c] > Long.MAX_VALUE - v)
                    {
                        problem = NAMES[c] + " overflows";
                        return;
                    }
                    totals[c] += v;
                    have[c]++;
                }
            }
            entries = i;
            for (int c = 0; c < COUNTERS; c++)
            {
                sums[c] = i > 0 && have[c] == i ? totals[c] : -1;
            }
        }
        catch (final IOException e)
        {
            // The kept bytes passed the event's JSON check; this is only a safety net.
            problem = "not readable JSON";
        }
    }

    /** Reads one entry object into {@link #entry}. @return what makes it unusable, or null. */
    private String readEntry(final JsonParser p) throws IOException
    {
        Arrays.fill(entry, -1);
        Arrays.fill(seen, false);
        while (p.nextToken() == JsonToken.FIELD_NAME)
        {
            final String name = p.currentName();
            final JsonToken v = p.nextToken();
            final int at = indexOf(paths, name);
            if (at >= 0)
            {
                final String why = count(p, v, at);
                if (why != null)
                {
                    return why;
                }
            }
            else if (indexOf(parents, name) >= 0 && v != JsonToken.VALUE_NULL)
            {
                if (v != JsonToken.START_OBJECT)
                {
                    return name + " is not an object";
                }
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String path = name + "." + p.currentName();
                    final JsonToken cv = p.nextToken();
                    final int child = indexOf(paths, path);
                    if (child < 0)
                    {
                        p.skipChildren();
                        continue;
                    }
                    final String why = count(p, cv, child);
                    if (why != null)
                    {
                        return why;
                    }
                }
            }
            else
            {
                // type, model and whatever a later API version adds: not counted, never a reason to refuse the entry.
                p.skipChildren();
            }
        }
        if (requiredInput >= 0 && entry[requiredInput] < 0)
        {
            return "no " + requiredInputName;
        }
        if (counterPaths[OUTPUT].length > 0 && entryValue(OUTPUT) < 0)
        {
            return "no " + paths[counterPaths[OUTPUT][0]];
        }
        return null;
    }

    /** Keeps the count at {@code at}; null is an absent count. @return what makes it unusable, or null. */
    private String count(final JsonParser p, final JsonToken v, final int at) throws IOException
    {
        if (seen[at])
        {
            // Which of the two would the provider bill? Neither is safe to pick.
            return paths[at] + " twice";
        }
        seen[at] = true;
        if (v == JsonToken.VALUE_NULL)
        {
            return null;
        }
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0)
        {
            p.skipChildren();
            return paths[at] + " is not a count";
        }
        entry[at] = p.getLongValue();
        return null;
    }

    /**
     * @return the current entry's value of counter {@code c} by the top-level rule (first path, or the sum of the input or output parts),
     * -1 when absent, {@link #OVERFLOW} when the parts add up past a long.
     */
    private long entryValue(final int c)
    {
        long sum = -1;
        for (final int at : counterPaths[c])
        {
            final long v = entry[at];
            if (v >= 0)
            {
                if (!(sumParts && (c == INPUT || c == OUTPUT)))
                {
                    return v;
                }
                if (sum > Long.MAX_VALUE - v)
                {
                    return OVERFLOW;
                }
                sum = sum < 0 ? v : sum + v;
            }
        }
        return sum;
    }

    private static int indexOf(final String[] names, final String name)
    {
        for (int i = 0; i < names.length; i++)
        {
            if (names[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }
}
