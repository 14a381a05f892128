package io.streamfold.aggregator.model;

/**
 * Token usage as the provider reported it, merged by the provider's own rule (field by field, or each
 * report replacing the last whole), with where the numbers come from ({@link #source()}).
 *
 * <p>A count accessor returns -1 when the count is unknown: the provider did not send that field, or sent no
 * usage at all. A -1 is never a count; {@link #source()} says whether there is anything to bill on. Every
 * provider field is kept raw in {@link #fields()}, unknown ones too.
 *
 * <p>When the provider lists the request's sampling steps (Anthropic's {@code usage.iterations} with compaction or
 * the advisor tool: each step is billed, the top-level fields count the final one only), every count is the sum over
 * the steps. A list that cannot be summed leaves the top-level counts and is reported as an
 * {@code INCONSISTENT_USAGE} error of the aggregate.
 */
public interface Usage
{
    /** Where the numbers of a {@link Usage} come from. */
    enum Source
    {
        /** The provider's final usage report: bill on it. */
        REPORTED,
        /**
         * A provider report that a later event normally replaces (Anthropic's {@code message_start} placeholder
         * output count, vLLM's per-chunk running usage, Gemini's running {@code usageMetadata}): the final
         * report has not arrived (yet).
         */
        PROVISIONAL,
        /**
         * The provider sent no usage; {@link #outputTokens()} was worked out from the stream by
         * {@link #estimateMethod()} once the stream ended, and the other counts are -1.
         */
        ESTIMATED,
        /** No usage: the provider sent none (yet) and nothing was estimated. Every count is -1. */
        MISSING
    }

    /** @return where the counts come from. */
    Source source();

    /**
     * @return how {@link Source#ESTIMATED} output tokens were counted ({@code token_ids}: the stream's own
     * token ids, exact; {@code jtokkit:<encoding>}: an OpenAI tokenizer run over the folded text;
     * {@code chars/4}: one token per four characters of folded text, rounded up), or null when not estimated.
     */
    String estimateMethod();

    /** @return true once the stream reported any usage. */
    boolean isPresent();

    /** @return every usage field as the provider named it, merged. */
    RawFields fields();

    /** @return input (prompt) tokens, including cached and cache-write input, or -1 when unknown. */
    long inputTokens();

    /** @return output (completion) tokens, reported or estimated, or -1 when unknown. */
    long outputTokens();

    /** @return total tokens as reported, or input + output when only those are, or -1. */
    long totalTokens();

    /** @return input tokens read from cache, or -1 when not reported. */
    long cachedTokens();

    /** @return input tokens written to the cache (Anthropic cache creation, Bedrock cache write), or -1 when not reported. */
    long cacheWriteTokens();

    /**
     * @return of {@link #cacheWriteTokens()}, those written with a 5-minute lifetime, or -1 when not reported, or when a
     * later report changed the cache-write count without a new split (the split sent earlier no longer adds up to it).
     */
    long cacheWrite5mTokens();

    /**
     * @return of {@link #cacheWriteTokens()}, those written with a 1-hour lifetime, or -1 when not reported, or when a
     * later report changed the cache-write count without a new split (the split sent earlier no longer adds up to it).
     */
    long cacheWrite1hTokens();

    /** @return reasoning (thinking) tokens, or -1 when not reported. */
    long reasoningTokens();
}
