package io.streamfold.aggregator.internal.dialect.ollama;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What Ollama reports about usage and why a response stopped. */
public final class OllamaReporting
{
    /** The done:true line's counts. */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"prompt_eval_count"}, new String[]{"eval_count"}, new String[0],
        new String[0], new String[0], new String[0], new String[0], new String[0], false,
        UsageKeys.MERGE_FIELDS, new String[0][]);

    /** done_reason; Ollama says stop after tool calls too, and load / unload for model management lines. */
    static final StopReasonTable STOP_REASONS = new StopReasonTable(true,
        "stop", StopReason.COMPLETE,
        "length", StopReason.LENGTH,
        "load", StopReason.OTHER,
        "unload", StopReason.OTHER);

    /** Both of the above, as the registry hands them to the dialect. */
    public static final Reporting INSTANCE = new Reporting(USAGE, STOP_REASONS);

    private OllamaReporting()
    {
    }
}
