package io.streamfold.aggregator.internal.fold;

/**
 * Where each provider puts the normalized usage numbers: field names, a dot for one level of nesting,
 * alternatives in order.
 */
public final class UsageKeys
{
    /** Each usage object adds or updates counts: fields merge one by one, later ones winning. */
    public static final int MERGE_FIELDS = 0;
    /** Each usage object is a complete snapshot (fields whose value is zero may be left out): it replaces the last. */
    public static final int REPLACE_WHOLE = 1;

    /** Merged: the final chunk's usage may come alone, or on the chunk with the finish reason. */
    public static final UsageKeys OPENAI_CHAT = new UsageKeys(
        new String[]{"prompt_tokens"}, new String[]{"completion_tokens"}, new String[]{"total_tokens"},
        new String[]{"prompt_tokens_details.cached_tokens", "cached_tokens", "prompt_cache_hit_tokens"},
        new String[]{"completion_tokens_details.reasoning_tokens", "reasoning_tokens"}, false,
        MERGE_FIELDS, new String[][]{{"prompt_tokens", "completion_tokens"},
            // Some compatible providers (xAI) count reasoning outside completion_tokens but inside the total.
            {"prompt_tokens", "completion_tokens", "completion_tokens_details.reasoning_tokens"}});
    /** The final response's usage; merged, as an earlier event may carry part of it. */
    public static final UsageKeys OPENAI_RESPONSES = new UsageKeys(
        new String[]{"input_tokens"}, new String[]{"output_tokens"}, new String[]{"total_tokens"},
        new String[]{"input_tokens_details.cached_tokens"},
        new String[]{"output_tokens_details.reasoning_tokens"}, false,
        MERGE_FIELDS, new String[][]{{"input_tokens", "output_tokens"}});
    /** Split across events: message_start brings the input counts, message_delta the cumulative output. */
    public static final UsageKeys ANTHROPIC = new UsageKeys(
        new String[]{"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"},
        new String[]{"output_tokens"}, new String[0],
        new String[]{"cache_read_input_tokens"}, new String[0], true,
        MERGE_FIELDS, new String[0][]);
    /** usageMetadata is a snapshot in every chunk and omits zero counts: a stale count must not survive. */
    public static final UsageKeys GEMINI = new UsageKeys(
        new String[]{"promptTokenCount"}, new String[]{"candidatesTokenCount"}, new String[]{"totalTokenCount"},
        new String[]{"cachedContentTokenCount"}, new String[]{"thoughtsTokenCount"}, false,
        REPLACE_WHOLE, new String[][]{{"promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount"}});
    /** The done:true line's counts. */
    public static final UsageKeys OLLAMA = new UsageKeys(
        new String[]{"prompt_eval_count"}, new String[]{"eval_count"}, new String[0],
        new String[0], new String[0], false,
        MERGE_FIELDS, new String[0][]);
    /** The metadata event's usage, whole. */
    public static final UsageKeys BEDROCK = new UsageKeys(
        new String[]{"inputTokens"}, new String[]{"outputTokens"}, new String[]{"totalTokens"},
        new String[]{"cacheReadInputTokens"}, new String[0], false,
        REPLACE_WHOLE, new String[][]{{"inputTokens", "outputTokens"},
            // Whether cache reads and writes are inside the total is not fixed by the documentation: both sums pass.
            {"inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens"}});

    public final String[] input;
    public final String[] output;
    public final String[] total;
    public final String[] cached;
    public final String[] reasoning;
    /**
     * Anthropic reports uncached, cache-write and cache-read input separately; the normalized input is
     * their sum.
     */
    public final boolean sumInput;
    /** {@link #MERGE_FIELDS} or {@link #REPLACE_WHOLE}. */
    public final int accumulation;
    /**
     * The counts the provider's total adds up (a missing one counts as zero), one list per accepted reading;
     * empty when it sends no total.
     */
    public final String[][] totalParts;

    private UsageKeys(
        final String[] input, final String[] output, final String[] total, final String[] cached,
        final String[] reasoning, final boolean sumInput, final int accumulation, final String[][] totalParts)
    {
        this.accumulation = accumulation;
        this.totalParts = totalParts;
        this.input = input;
        this.output = output;
        this.total = total;
        this.cached = cached;
        this.reasoning = reasoning;
        this.sumInput = sumInput;
    }
}
