package io.streamfold.aggregator.internal.dialect.bedrock;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What Bedrock ConverseStream reports about usage and why a message stopped. */
public final class BedrockReporting
{
    /** The metadata event's usage, whole. */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"inputTokens"}, new String[]{"outputTokens"}, new String[]{"totalTokens"},
        new String[]{"cacheReadInputTokens"}, new String[]{"cacheWriteInputTokens"}, new String[0], new String[0],
        new String[0], false, UsageKeys.REPLACE_WHOLE, new String[][]{{"inputTokens", "outputTokens"},
            // Whether cache reads and writes are inside the total is not fixed by the documentation: both sums pass.
            {"inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens"}});

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
