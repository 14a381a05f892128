package io.streamfold.aggregator.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.parser.StreamError;

/**
 * Everything folded from one stream so far: metadata, choices and their parts, usage, errors and the
 * outcome. The one shared state of every dialect: dialects change it only through the package-private
 * methods here, which is also where listener events fire, so each event means the same thing whatever
 * the provider.
 *
 * <p>A live view: it changes as the stream is fed. Read it on the feeding thread, or write it out with
 * {@link #toJson()} for a copy.
 */
public interface Aggregate
{
    /** @return the dialect the stream was read as, or null while {@link Format#AUTO} has not decided. */
    Format format();

    /** @return how the stream ended, or {@link Outcome#IN_PROGRESS}. */
    Outcome outcome();

    /**
     * @return one reason for the whole result, with detail (live: worked out again on each call, on the feeding
     * thread; the returned object is reused).
     */
    Verdict verdict();

    /**
     * @return true when the provider's own end of stream arrived (OpenAI chat {@code [DONE]}, Anthropic
     * {@code message_stop}, Responses {@code response.completed}/{@code incomplete}/{@code failed}, Ollama
     * {@code done:true}, Bedrock {@code messageStop}, an in-band error event; Gemini, which has no such event,
     * when every candidate has its finishReason) and the bytes did not end inside an event. An outcome of
     * {@link Outcome#COMPLETE} without it means every choice finished but the terminal event never came.
     */
    boolean terminalEventSeen();

    /** @return top-level response fields (id, model, created, seed, unknown fields), raw, last non-empty value winning. */
    RawFields meta();

    /** @return the choices ordered by their index (allocates the list). */
    List<Choice> choices();

    /** @return the choice with provider index {@code index}, or null. */
    Choice choice(long index);

    /** @return merged usage. */
    Usage usage();

    /** @return the provider's error object when the stream carried one, else {@link RawJson.Type#ABSENT}. */
    RawJson providerError();

    /** @return every error reported so far, in order (at most {@link io.streamfold.aggregator.AggregationLimits#maxErrors()} are kept; see {@link #droppedErrors()}). */
    List<StreamError> errors();

    /** @return errors reported to the listener but not kept because {@link io.streamfold.aggregator.AggregationLimits#maxErrors()} already were. */
    int droppedErrors();

    /** @return the provider's own non-streaming response JSON, compact (allocates). */
    String toJson();

    /** @return the provider-independent normalized view as JSON (allocates). */
    String toNormalizedJson();

    /**
     * Writes the provider's own non-streaming response shape.
     *
     * @param out    destination, not closed.
     * @param pretty indent for humans.
     */
    void writeJson(OutputStream out, boolean pretty) throws IOException;

    /**
     * Writes the normalized view: text, reasoning and tool calls per choice, one finish-reason
     * vocabulary, usage as input / output / total / cached / reasoning tokens.
     *
     * @param out    destination, not closed.
     * @param pretty indent for humans.
     */
    void writeNormalizedJson(OutputStream out, boolean pretty) throws IOException;
}
