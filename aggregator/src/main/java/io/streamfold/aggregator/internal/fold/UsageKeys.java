package io.streamfold.aggregator.internal.fold;

/**
 * Where each provider puts the normalized usage numbers: field names, a dot for one level of nesting,
 * alternatives in order.
 */
public final class UsageKeys
{
    public static final UsageKeys OPENAI_CHAT = new UsageKeys(
        new String[]{"prompt_tokens"}, new String[]{"completion_tokens"}, new String[]{"total_tokens"},
        new String[]{"prompt_tokens_details.cached_tokens", "cached_tokens", "prompt_cache_hit_tokens"},
        new String[]{"completion_tokens_details.reasoning_tokens", "reasoning_tokens"}, false);
    public static final UsageKeys OPENAI_RESPONSES = new UsageKeys(
        new String[]{"input_tokens"}, new String[]{"output_tokens"}, new String[]{"total_tokens"},
        new String[]{"input_tokens_details.cached_tokens"},
        new String[]{"output_tokens_details.reasoning_tokens"}, false);
    public static final UsageKeys ANTHROPIC = new UsageKeys(
        new String[]{"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"},
        new String[]{"output_tokens"}, new String[0],
        new String[]{"cache_read_input_tokens"}, new String[0], true);
    public static final UsageKeys GEMINI = new UsageKeys(
        new String[]{"promptTokenCount"}, new String[]{"candidatesTokenCount"}, new String[]{"totalTokenCount"},
        new String[]{"cachedContentTokenCount"}, new String[]{"thoughtsTokenCount"}, false);
    public static final UsageKeys OLLAMA = new UsageKeys(
        new String[]{"prompt_eval_count"}, new String[]{"eval_count"}, new String[0],
        new String[0], new String[0], false);
    public static final UsageKeys BEDROCK = new UsageKeys(
        new String[]{"inputTokens"}, new String[]{"outputTokens"}, new String[]{"totalTokens"},
        new String[]{"cacheReadInputTokens"}, new String[0], false);

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

    private UsageKeys(
        final String[] input, final String[] output, final String[] total, final String[] cached,
        final String[] reasoning, final boolean sumInput)
    {
        this.input = input;
        this.output = output;
        this.total = total;
        this.cached = cached;
        this.reasoning = reasoning;
        this.sumInput = sumInput;
    }
}
