package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What the OpenAI Responses API reports about usage and why a response stopped. */
public final class OpenAiResponsesReporting
{
    /** The final response's usage; merged, as an earlier event may carry part of it. */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"input_tokens"}, new String[]{"output_tokens"}, new String[]{"total_tokens"},
        new String[]{"input_tokens_details.cached_tokens"}, new String[0], new String[0], new String[0],
        new String[]{"output_tokens_details.reasoning_tokens"}, false,
        UsageKeys.MERGE_FIELDS, new String[][]{{"input_tokens", "output_tokens"}});

    /** The response status ({@code completed}, {@code failed}) or {@code incomplete_details.reason}. */
    static final StopReasonTable STOP_REASONS = new StopReasonTable(true,
        "completed", StopReason.COMPLETE,
        "max_output_tokens", StopReason.LENGTH,
        "content_filter", StopReason.CONTENT_FILTER,
        "failed", StopReason.PROVIDER_ERROR);

    /** Both of the above, as the registry hands them to the dialect. */
    public static final Reporting INSTANCE = new Reporting(USAGE, STOP_REASONS);

    private OpenAiResponsesReporting()
    {
    }
}
