package io.streamfold.aggregator.internal.dialect.openai.chat;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What OpenAI chat (and compatible servers) report about usage and why a choice stopped. */
public final class OpenAiChatReporting
{
    /**
     * Merged: the final chunk's usage may come alone, or on the chunk with the finish reason; vLLM's running usage
     * on every chunk is cumulative, so the last report wins.
     */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"prompt_tokens"}, new String[]{"completion_tokens"}, new String[]{"total_tokens"},
        new String[]{"prompt_tokens_details.cached_tokens", "cached_tokens", "prompt_cache_hit_tokens"},
        new String[0], new String[0], new String[0],
        new String[]{"completion_tokens_details.reasoning_tokens", "reasoning_tokens"}, false,
        UsageKeys.MERGE_FIELDS, new String[][]{{"prompt_tokens", "completion_tokens"},
            // Some compatible providers (xAI) count reasoning outside completion_tokens but inside the total.
            {"prompt_tokens", "completion_tokens", "completion_tokens_details.reasoning_tokens"}});

    /** OpenAI words, plus those of compatible servers (TGI eos, DeepSeek, OpenRouter error). */
    static final StopReasonTable STOP_REASONS = new StopReasonTable(true,
        "stop", StopReason.COMPLETE,
        "eos", StopReason.COMPLETE,
        "eos_token", StopReason.COMPLETE,
        "length", StopReason.LENGTH,
        "model_context_window_exceeded", StopReason.LENGTH,
        "tool_calls", StopReason.TOOL_CALLS,
        "function_call", StopReason.TOOL_CALLS,
        "content_filter", StopReason.CONTENT_FILTER,
        "error", StopReason.PROVIDER_ERROR,
        "insufficient_system_resource", StopReason.PROVIDER_ERROR);

    /** Both of the above, as the registry hands them to the dialect. */
    public static final Reporting INSTANCE = new Reporting(USAGE, STOP_REASONS);

    private OpenAiChatReporting()
    {
    }
}
