package io.streamfold.aggregator.internal.dialect.anthropic;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What the Anthropic Messages API reports about usage and why a message stopped. */
public final class AnthropicReporting
{
    /**
     * Split across events: message_start brings the input counts (and a placeholder output count),
     * message_delta the cumulative output. The normalized input adds uncached, cache-write and cache-read input.
     * Thinking tokens come as {@code output_tokens_details.thinking_tokens} (part of the output count).
     * With compaction or the advisor tool, {@code iterations} lists each sampling step's counts; the top level covers
     * only the final message step while every step is billed, so the normalized counts are the sum over the list.
     */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"},
        new String[]{"output_tokens"}, new String[0],
        new String[]{"cache_read_input_tokens"}, new String[]{"cache_creation_input_tokens"},
        new String[]{"cache_creation.ephemeral_5m_input_tokens"}, new String[]{"cache_creation.ephemeral_1h_input_tokens"},
        new String[]{"output_tokens_details.thinking_tokens"}, true, UsageKeys.MERGE_FIELDS, new String[0][], "iterations");

    /** end_turn after server tool calls is still a finished answer: only tool_use asks the client to act. */
    static final StopReasonTable STOP_REASONS = new StopReasonTable(false,
        "end_turn", StopReason.COMPLETE,
        "stop_sequence", StopReason.COMPLETE,
        "pause_turn", StopReason.OTHER,
        "max_tokens", StopReason.LENGTH,
        "model_context_window_exceeded", StopReason.LENGTH,
        "tool_use", StopReason.TOOL_CALLS,
        "refusal", StopReason.CONTENT_FILTER);

    /** Both of the above, as the registry hands them to the dialect. */
    public static final Reporting INSTANCE = new Reporting(USAGE, STOP_REASONS);

    private AnthropicReporting()
    {
    }
}
