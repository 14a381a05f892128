package io.streamfold.aggregator.event;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.StreamError;

/**
 * What happens in a stream, as it happens: one vocabulary for every provider dialect, so that a gateway
 * can act while the stream runs (forward text, start a tool early, cut a stream on a guardrail) and
 * write the same handler for OpenAI, Anthropic, Gemini, Ollama or Bedrock. All methods default to doing
 * nothing; override what you need.
 *
 * <p>{@code CharSequence} arguments are views valid only during the call: copy what you keep. Indexes
 * are the provider's own choice / candidate index and its own tool-call or block index.
 */
public interface StreamListener
{
    /** No-op listener. */
    StreamListener NONE = new StreamListener()
    {
    };

    /**
     * The first event that identifies the response arrived.
     *
     * @param id    the response id, possibly empty.
     * @param model the model name, possibly empty.
     */
    default void onMessageStart(final CharSequence id, final CharSequence model)
    {
    }

    /**
     * Visible text was appended to a choice.
     *
     * @param choice choice / candidate index.
     * @param text   the new characters.
     */
    default void onTextDelta(final int choice, final CharSequence text)
    {
    }

    /**
     * Reasoning (thinking) text was appended to a choice.
     *
     * @param choice choice / candidate index.
     * @param text   the new characters.
     */
    default void onReasoningDelta(final int choice, final CharSequence text)
    {
    }

    /**
     * Refusal text was appended to a choice.
     *
     * @param choice choice index.
     * @param text   the new characters.
     */
    default void onRefusalDelta(final int choice, final CharSequence text)
    {
    }

    /**
     * A tool call started.
     *
     * @param choice    choice index.
     * @param toolIndex the call's position among the choice's tool calls, in arrival order from 0.
     * @param id        the call id, possibly empty.
     * @param name      the function / tool name, possibly empty.
     */
    default void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
    {
    }

    /**
     * A fragment of a tool call's arguments arrived.
     *
     * @param choice    choice index.
     * @param toolIndex as in {@link #onToolCallStart}.
     * @param fragment  the new characters of the JSON arguments text.
     */
    default void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
    {
    }

    /**
     * Asks for {@link #onToolArgumentField}: reading arguments as they stream costs time, so it is off unless a
     * listener says yes. Asked on every argument fragment; a tool call whose first fragment came while the answer
     * was no gets no fields.
     *
     * @return true to receive argument fields.
     */
    default boolean wantsToolArgumentFields()
    {
        return false;
    }

    /**
     * A field of a tool call's JSON arguments is complete, at any depth, before the call itself ends: a gateway
     * can check (or block) a call while it streams. Array elements are fields too, and an object or array value
     * comes after its own fields. Only sent when {@link #wantsToolArgumentFields()} is true; nothing more is sent
     * for a call once its arguments are found malformed.
     *
     * @param choice    choice index.
     * @param toolIndex as in {@link #onToolCallStart}.
     * @param pointer   the field's JSON pointer (RFC 6901), e.g. {@code /files/0/path}.
     * @param rawValue  the value's JSON text exactly as streamed: a quoted and escaped string, a number, a literal,
     *                  or a whole object or array.
     */
    default void onToolArgumentField(
        final int choice, final int toolIndex, final CharSequence pointer, final CharSequence rawValue)
    {
    }

    /**
     * A tool call is complete: its block ended, another call started, its choice finished, or the stream ended.
     *
     * @param choice    choice index.
     * @param toolIndex as in {@link #onToolCallStart}.
     * @param call      the whole call.
     */
    default void onToolCallEnd(final int choice, final int toolIndex, final Part call)
    {
    }

    /**
     * One logprob entry arrived.
     *
     * @param choice  choice index.
     * @param refusal true for an entry of the refusal list, false for content.
     * @param token   the token text.
     * @param logprob its log probability.
     */
    default void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
    {
    }

    /**
     * A generated token id arrived.
     *
     * @param choice  choice index.
     * @param tokenId the id.
     */
    default void onTokenId(final int choice, final long tokenId)
    {
    }

    /**
     * Usage was reported or updated (it may come several times; the aggregate keeps the merged view). Read
     * {@link Usage#source()} to know whether it is final. A report carried by the event that also finishes the
     * response (Anthropic's {@code message_delta}) merges before that finish: it reads PROVISIONAL here and
     * REPORTED from {@link #onFinish} on.
     *
     * @param usage the merged usage so far.
     */
    default void onUsage(final Usage usage)
    {
    }

    /**
     * A choice finished.
     *
     * @param choice choice index.
     * @param reason the provider's own finish / stop reason.
     */
    default void onFinish(final int choice, final CharSequence reason)
    {
    }

    /**
     * An error: a malformed event, a limit, a truncated stream or a provider error.
     *
     * @param error what and where.
     */
    default void onError(final StreamError error)
    {
    }

    /**
     * The stream is over: its terminal event arrived or the input ended. Called once.
     *
     * @param outcome how it ended.
     */
    default void onEnd(final Outcome outcome)
    {
    }
}
