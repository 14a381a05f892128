package io.streamfold.aggregator.internal.dialect.bedrock;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What Bedrock ConverseStream reports about usage and why a message stopped. */
public final class BedrockReporting
{
    /**
     * The metadata event's usage, whole. {@code inputTokens} leaves out the input read from and written to the cache,
     * which the total adds (recorded streams: 11 input, 1,028 cache-write and 236 output tokens, total 1,275), so the
     * normalized input is their sum, as Anthropic's is. Nova's own invoke stream spells the cache counts
     * {@code cacheReadInputTokenCount} and {@code cacheWriteInputTokenCount}, and ConverseStream sends both spellings
     * of the same counts: each counted once.
     */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"inputTokens", "cacheReadInputTokens|cacheReadInputTokenCount",
            "cacheWriteInputTokens|cacheWriteInputTokenCount"}, new String[]{"outputTokens"}, new String[]{"totalTokens"},
        new String[]{"cacheReadInputTokens", "cacheReadInputTokenCount"},
        new String[]{"cacheWriteInputTokens", "cacheWriteInputTokenCount"}, new String[0], new String[0],
        new String[0], true, UsageKeys.REPLACE_WHOLE, new String[][]{
            {"inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens"},
            // A stream without caching adds up either way; kept for a server that counts the cache inside its input.
            {"inputTokens", "outputTokens"}});

    static final StopReasonTable STOP_REASONS = new StopReasonTable(false,
        "end_turn", StopReason.COMPLETE,
        "stop_sequence", StopReason.COMPLETE,
        "max_tokens", StopReason.LENGTH,
        "model_context_window_exceeded", StopReason.LENGTH,
        "tool_use", StopReason.TOOL_CALLS,
        "guardrail_intervened", StopReason.CONTENT_FILTER,
        "content_filtered", StopReason.CONTENT_FILTER,
        "malformed_model_output", StopReason.PROVIDER_ERROR,
        "malformed_tool_use", StopReason.PROVIDER_ERROR);

    /** Both of the above, as the registry hands them to the dialect. */
    public static final Reporting INSTANCE = new Reporting(USAGE, STOP_REASONS);

    private BedrockReporting()
    {
    }
}
