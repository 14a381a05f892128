package io.streamfold.aggregator.model;

import java.util.List;

/**
 * One choice (OpenAI {@code n}, Gemini candidate; a single choice 0 for providers without them), folded
 * from every chunk that named its index. Parts keep the order the stream produced them in.
 */
public interface Choice
{
    /** @return the provider's index of this choice. */
    long index();

    /** @return the role ({@code assistant}, {@code model}), possibly empty. */
    TextBuffer role();

    /** @return the provider's own finish / stop reason, empty while unfinished. */
    TextBuffer finishReason();

    /**
     * @return the finish reason in the shared vocabulary (mapped by the provider's own table), or
     * {@link StopReason#IN_PROGRESS} while unfinished.
     */
    StopReason stopReason();

    /** @return true once the provider finished this choice. */
    boolean isFinished();

    /** @return every part in arrival order (live view). */
    List<Part> parts();

    /** @return number of token ids. */
    int tokenIdCount();

    /** @return token id {@code i}, in generation order. */
    long tokenId(int i);

    /** @return all token ids, copied (allocates). */
    long[] tokenIds();

    /** @return true once a non-null logprobs object arrived for this choice. */
    boolean hasLogprobs();

    /** @return logprob entries of the content, as the provider sent them. */
    RawList contentLogprobs();

    /** @return logprob entries of the refusal, as the provider sent them. */
    RawList refusalLogprobs();

    /**
     * @return the logprobs object's other members, folded over the chunks by the delta rule (arrays concatenated): a
     * legacy {@code /v1/completions} stream's {@code tokens}, {@code token_logprobs}, {@code top_logprobs} and
     * {@code text_offset}.
     */
    DeltaFields logprobsExtra();

    /** @return choice-level fields kept raw (content filter results, stop_reason, safety ratings...). */
    RawFields extra();

    /** @return message-level fields the dialect does not interpret, folded from deltas (reasoning details...). */
    DeltaFields messageExtra();

    /** @return all text of parts of {@code kind}, joined in arrival order (allocates). */
    String joined(Part.Kind kind);

    /** @return true when some part of {@code kind} exists. */
    boolean has(Part.Kind kind);

    /** @return the tool-call parts, ordered by the provider's index then arrival (allocates). */
    List<Part> toolCalls();
}
