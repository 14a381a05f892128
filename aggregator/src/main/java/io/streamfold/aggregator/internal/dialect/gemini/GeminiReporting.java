package io.streamfold.aggregator.internal.dialect.gemini;

import io.streamfold.aggregator.internal.dialect.Reporting;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.internal.fold.UsageKeys;
import io.streamfold.aggregator.model.StopReason;

/** What Gemini / Vertex AI report about usage and why a candidate stopped. */
public final class GeminiReporting
{
    /**
     * usageMetadata is a snapshot in every chunk and omits zero counts: a stale count must not survive. The billed input
     * is the prompt plus the tool-use prompt (a grounding search's results), the billed output the candidates plus the
     * thoughts: their sum is totalTokenCount, and the normalized counts mean what OpenAI's and Anthropic's do (their
     * output counts include reasoning).
     */
    static final UsageKeys USAGE = new UsageKeys(
        new String[]{"promptTokenCount", "toolUsePromptTokenCount"}, new String[]{"candidatesTokenCount", "thoughtsTokenCount"},
        new String[]{"totalTokenCount"},
        new String[]{"cachedContentTokenCount"}, new String[0], new String[0], new String[0],
        new String[]{"thoughtsTokenCount"}, true, UsageKeys.REPLACE_WHOLE,
        new String[][]{{"promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount"}});

    /** Gemini says STOP after a function call too. */
    static final StopReasonTable STOP_REASONS = new StopReasonTable(true,
        "STOP", StopReason.COMPLETE,
        "MAX_TOKENS", StopReason.LENGTH,
        "SAFETY", StopReason.CONTENT_FILTER,
        "RECITATION", StopReason.CONTENT_FILTER,
        "BLOCKLIST", StopReason.CONTENT_FILTER,
        "PROHIBITED_CONTENT", StopReason.CONTENT_FILTER,
        "SPII", StopReason.CONTENT_FILTER,
        "IMAGE_SAFETY", StopReason.CONTENT_FILTER,
        "IMAGE_PROHIBITED_CONTENT", StopReason.CONTENT_FILTER,
        "IMAGE_RECITATION", StopReason.CONTENT_FILTER,
        "MALFORMED_FUNCTION_CALL", StopReason.PROVIDER_ERROR,
        "UNEXPECTED_TOOL_CALL", StopReason.PROVIDER_ERROR,
        "TOO_MANY_TOOL_CALLS", StopReason.PROVIDER_ERROR,
        "MISSING_THOUGHT_SIGNATURE", StopReason.PROVIDER_ERROR,
        "MALFORMED_RESPONSE", StopReason.PROVIDER_ERROR,
        "LANGUAGE", StopReason.OTHER,
        "FINISH_REASON_UNSPECIFIED", StopReason.OTHER,
        "OTHER", StopReason.OTHER);

    /** Both of the above, as the registry hands them to the dialect. */
    public static final Reporting INSTANCE = new Reporting(USAGE, STOP_REASONS);

    private GeminiReporting()
    {
    }
}
