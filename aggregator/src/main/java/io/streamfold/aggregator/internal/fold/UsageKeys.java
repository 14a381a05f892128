package io.streamfold.aggregator.internal.fold;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a provider puts the normalized usage numbers: field names, a dot for one level of nesting,
 * alternatives in order (within a sum of parts, one part's alternatives joined by {@code |}, the first present
 * counted); and how its reports accumulate. Each provider declares its own in its dialect's package.
 */
public final class UsageKeys
{
    /** Each usage object adds or updates counts: fields merge one by one, later ones winning. */
    public static final int MERGE_FIELDS = 0;
    /** Each usage object is a complete snapshot (fields whose value is zero may be left out): it replaces the last. */
    public static final int REPLACE_WHOLE = 1;

    /** No usage keys: a count is never found (before a dialect is chosen). */
    public static final UsageKeys NONE = new UsageKeys(
        new String[0], new String[0], new String[0], new String[0], new String[0], new String[0], new String[0],
        new String[0], false, MERGE_FIELDS, new String[0][]);

    public final String[] input;
    public final String[] output;
    public final String[] total;
    public final String[] cached;
    public final String[] reasoning;
    public final String[] cacheWrite;
    public final String[] cacheWrite5m;
    public final String[] cacheWrite1h;
    /**
     * The input paths are parts whose sum is the normalized input, and so are the output paths, rather than other
     * names of one count (the first present wins): Anthropic reports uncached, cache-write and cache-read input
     * separately; Gemini counts its tool-use prompt apart from the prompt and its thoughts apart from the candidates,
     * each billed as input or output.
     */
    public final boolean sumParts;
    /** {@link #MERGE_FIELDS} or {@link #REPLACE_WHOLE}. */
    public final int accumulation;
    /**
     * The counts the provider's total adds up (a missing one counts as zero), one list per accepted reading, tried in
     * order; empty when it sends no total. When the first reading that adds up names a reasoning path, the provider
     * counts reasoning beside its output count, not inside it (xAI's chat), and the normalized output adds it.
     */
    public final String[][] totalParts;
    /**
     * The field listing the request's sampling steps, each with its own counts under the paths above, whose sum is
     * what is billed (Anthropic's {@code iterations}: compaction and advisor steps besides the message, which alone
     * the top-level counts cover); null when the provider has none.
     */
    public final String iterations;
    /** The first-level field holding the cache-write split (the parent of the 5m / 1h paths), or null. */
    final String split;
    /** The top-level fields an iterations list covers (the un-nested input and output paths). */
    final String[] iterationsCover;

    /**
     * @param input        input count paths (summed when {@code sumParts}).
     * @param output       output count paths (summed when {@code sumParts}).
     * @param total        total count paths.
     * @param cached       cache-read count paths.
     * @param cacheWrite   cache-write count paths.
     * @param cacheWrite5m 5-minute cache-write count paths.
     * @param cacheWrite1h 1-hour cache-write count paths.
     * @param reasoning    reasoning count paths.
     * @param sumParts     the normalized input is the sum of the input paths, the output the sum of the output paths.
     * @param accumulation {@link #MERGE_FIELDS} or {@link #REPLACE_WHOLE}.
     * @param totalParts   the readings of the total cross-check.
     */
    public UsageKeys(
        final String[] input, final String[] output, final String[] total, final String[] cached,
        final String[] cacheWrite, final String[] cacheWrite5m, final String[] cacheWrite1h,
        final String[] reasoning, final boolean sumParts, final int accumulation, final String[][] totalParts)
    {
        this(input, output, total, cached, cacheWrite, cacheWrite5m, cacheWrite1h, reasoning, sumParts, accumulation,
            totalParts, null);
    }

    /**
     * As the other constructor, for a provider that lists its sampling steps' counts.
     *
     * @param iterations the field holding the list ({@link #iterations}), or null.
     */
    public UsageKeys(
        final String[] input, final String[] output, final String[] total, final String[] cached,
        final String[] cacheWrite, final String[] cacheWrite5m, final String[] cacheWrite1h,
        final String[] reasoning, final boolean sumParts, final int accumulation, final String[][] totalParts,
        final String iterations)
    {
        this.iterations = iterations;
        split = parent(cacheWrite5m.length > 0 ? cacheWrite5m[0] : cacheWrite1h.length > 0 ? cacheWrite1h[0] : null);
        final List<String> cover = new ArrayList<>();
        for (final String[] paths : new String[][]{input, output})
        {
            for (final String path : paths)
            {
                if (path.indexOf('.') < 0)
                {
                    cover.add(path);
                }
            }
        }
        iterationsCover = cover.toArray(new String[0]);
        this.cacheWrite = cacheWrite;
        this.cacheWrite5m = cacheWrite5m;
        this.cacheWrite1h = cacheWrite1h;
        this.accumulation = accumulation;
        this.totalParts = totalParts;
        this.input = input;
        this.output = output;
        this.total = total;
        this.cached = cached;
        this.reasoning = reasoning;
        this.sumParts = sumParts;
    }

    private static String parent(final String path)
    {
        final int dot = path == null ? -1 : path.indexOf('.');
        return dot < 0 ? null : path.substring(0, dot);
    }
}
