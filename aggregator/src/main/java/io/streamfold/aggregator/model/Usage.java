package io.streamfold.aggregator.model;

/**
 * Token usage as the provider reported it, merged field by field: a later report replaces the fields
 * it names and keeps the others. That one rule is right for every provider seen: OpenAI's single final
 * usage, vLLM's cumulative usage on every chunk (the last wins, never a sum), Anthropic's
 * {@code message_start} input counts followed by {@code message_delta}'s cumulative output count.
 * Every field is kept raw, unknown ones too; the normalized accessors read the provider's own names.
 */
public interface Usage
{
    /** @return true once the stream reported any usage. */
    boolean isPresent();

    /** @return every usage field as the provider named it, merged. */
    RawFields fields();

    /** @return input (prompt) tokens, or -1 when not reported. */
    long inputTokens();

    /** @return output (completion) tokens, or -1 when not reported. */
    long outputTokens();

    /** @return total tokens as reported, or input + output when only those are, or -1. */
    long totalTokens();

    /** @return input tokens read from cache, or -1 when not reported. */
    long cachedTokens();

    /** @return reasoning (thinking) tokens, or -1 when not reported. */
    long reasoningTokens();
}
