package io.streamfold.gateway;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.fold.GuardedListener;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.StreamError;

/**
 * The listener a tap's aggregator is built with: counts token-bearing events (text, reasoning or refusal
 * characters, a tool call or its argument characters; not a role-only chunk) for the tap to time once per
 * buffer, and hands every event to the listener bound to the current stream through a guard whose policy is
 * the tap's: a bound listener that throws stops the stream (a guardrail's way to say no) instead of being
 * recorded as a listener error of the fold.
 */
final class TapListener implements StreamListener
{
    /** The embedder's listener for the current stream, guarded. */
    private final GuardedListener bound;
    /** Token-bearing events since the tap last timed tokens. */
    int tokens;

    TapListener(final StreamTap tap)
    {
        bound = new GuardedListener(StreamListener.NONE, (callback, e, quiet) -> tap.stop("listener failed: " + e));
    }

    /** Binds the current stream's listener; null for none. */
    void bind(final StreamListener listener)
    {
        bound.delegate(listener == null ? StreamListener.NONE : listener);
    }

    @Override
    public void onMessageStart(final CharSequence id, final CharSequence model)
    {
        bound.onMessageStart(id, model);
    }

    @Override
    public void onTextDelta(final int choice, final CharSequence text)
    {
        if (text.length() > 0)
        {
            tokens++;
        }
        bound.onTextDelta(choice, text);
    }

    @Override
    public void onReasoningDelta(final int choice, final CharSequence text)
    {
        if (text.length() > 0)
        {
            tokens++;
        }
        bound.onReasoningDelta(choice, text);
    }

    @Override
    public void onRefusalDelta(final int choice, final CharSequence text)
    {
        if (text.length() > 0)
        {
            tokens++;
        }
        bound.onRefusalDelta(choice, text);
    }

    @Override
    public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
    {
        tokens++;
        bound.onToolCallStart(choice, toolIndex, id, name);
    }

    @Override
    public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
    {
        if (fragment.length() > 0)
        {
            tokens++;
        }
        bound.onToolCallArgumentsDelta(choice, toolIndex, fragment);
    }

    @Override
    public boolean wantsToolArgumentFields()
    {
        return bound.wantsToolArgumentFields();
    }

    @Override
    public void onToolArgumentField(
        final int choice, final int toolIndex, final CharSequence pointer, final CharSequence rawValue)
    {
        bound.onToolArgumentField(choice, toolIndex, pointer, rawValue);
    }

    @Override
    public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
    {
        bound.onToolCallEnd(choice, toolIndex, call);
    }

    @Override
    public void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
    {
        bound.onLogprob(choice, refusal, token, logprob);
    }

    @Override
    public void onTokenId(final int choice, final long tokenId)
    {
        bound.onTokenId(choice, tokenId);
    }

    @Override
    public void onUsage(final Usage usage)
    {
        bound.onUsage(usage);
    }

    @Override
    public void onFinish(final int choice, final CharSequence reason)
    {
        bound.onFinish(choice, reason);
    }

    @Override
    public void onError(final StreamError error)
    {
        bound.onError(error);
    }

    @Override
    public void onEnd(final Outcome outcome)
    {
        bound.onEnd(outcome);
    }
}
