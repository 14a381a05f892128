package io.streamfold.gateway;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.StreamError;

/**
 * The listener a tap's aggregator is built with: counts token-bearing events (text, reasoning or refusal
 * characters, a tool call or its argument characters; not a role-only chunk) for the tap to time once per
 * buffer, and hands every event to the listener bound to the current stream. A bound listener that throws
 * stops the stream (a guardrail's way to say no) instead of being logged as bad input.
 */
final class TapListener implements StreamListener
{
    private final StreamTap tap;
    /** The embedder's listener for the current stream. */
    StreamListener delegate = StreamListener.NONE;
    /** Token-bearing events since the tap last timed tokens. */
    int tokens;

    TapListener(final StreamTap tap)
    {
        this.tap = tap;
    }

    private void failed(final RuntimeException e)
    {
        tap.stop("listener failed: " + e);
    }

    @Override
    public void onMessageStart(final CharSequence id, final CharSequence model)
    {
        try
        {
            delegate.onMessageStart(id, model);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onTextDelta(final int choice, final CharSequence text)
    {
        if (text.length() > 0)
        {
            tokens++;
        }
        try
        {
            delegate.onTextDelta(choice, text);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onReasoningDelta(final int choice, final CharSequence text)
    {
        if (text.length() > 0)
        {
            tokens++;
        }
        try
        {
            delegate.onReasoningDelta(choice, text);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onRefusalDelta(final int choice, final CharSequence text)
    {
        if (text.length() > 0)
        {
            tokens++;
        }
        try
        {
            delegate.onRefusalDelta(choice, text);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
    {
        tokens++;
        try
        {
            delegate.onToolCallStart(choice, toolIndex, id, name);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
    {
        if (fragment.length() > 0)
        {
            tokens++;
        }
        try
        {
            delegate.onToolCallArgumentsDelta(choice, toolIndex, fragment);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public boolean wantsToolArgumentFields()
    {
        try
        {
            return delegate.wantsToolArgumentFields();
        }
        catch (final RuntimeException e)
        {
            failed(e);
            return false;
        }
    }

    @Override
    public void onToolArgumentField(
        final int choice, final int toolIndex, final CharSequence pointer, final CharSequence rawValue)
    {
        try
        {
            delegate.onToolArgumentField(choice, toolIndex, pointer, rawValue);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
    {
        try
        {
            delegate.onToolCallEnd(choice, toolIndex, call);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
    {
        try
        {
            delegate.onLogprob(choice, refusal, token, logprob);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onTokenId(final int choice, final long tokenId)
    {
        try
        {
            delegate.onTokenId(choice, tokenId);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onUsage(final Usage usage)
    {
        try
        {
            delegate.onUsage(usage);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onFinish(final int choice, final CharSequence reason)
    {
        try
        {
            delegate.onFinish(choice, reason);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onError(final StreamError error)
    {
        try
        {
            delegate.onError(error);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    @Override
    public void onEnd(final Outcome outcome)
    {
        try
        {
            delegate.onEnd(outcome);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }
}
