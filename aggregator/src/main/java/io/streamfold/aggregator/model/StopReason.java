package io.streamfold.aggregator.model;

/**
 * Why a choice, or a whole result, stopped: one vocabulary for every provider. Each provider's own finish /
 * stop words map to one of these in its dialect's package (the README has the table).
 */
public enum StopReason
{
    /** Still receiving. */
    IN_PROGRESS,
    /** The model finished its answer (OpenAI {@code stop}, Anthropic {@code end_turn}, Gemini {@code STOP}...). */
    COMPLETE,
    /** The output hit its token limit ({@code length}, {@code max_tokens}, {@code MAX_TOKENS}...). */
    LENGTH,
    /** A content filter, safety block or refusal stopped the output (also a COMPLETE word on a choice holding a refusal). */
    CONTENT_FILTER,
    /** The model stopped to have tools called. */
    TOOL_CALLS,
    /** The provider reported an error (in-band error event, or a finish word that means one). */
    PROVIDER_ERROR,
    /** The input ended before the provider said the response was complete; {@link Verdict#truncation()} says how. */
    TRUNCATED,
    /** A configured aggregation or framing limit cut the result; {@link Verdict#detail()} names it. */
    LIMIT_EXCEEDED,
    /** Strict mode stopped at a malformed event. */
    MALFORMED_STREAM,
    /** A finish word this library does not know; {@link Verdict#providerReason()} holds it. */
    OTHER
}
