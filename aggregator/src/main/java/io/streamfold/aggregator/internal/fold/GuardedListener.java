package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Stands between the fold and the caller's {@link StreamListener}, so that a callback that throws can
 * neither leave an event half folded nor be mistaken for bad input or a streamfold defect: the exception
 * is recorded as a {@link ErrorKind#LISTENER_ERROR} naming the callback, and folding goes on. An exception
 * from {@link StreamListener#onError} or {@link StreamListener#onEnd} is recorded without another
 * {@code onError}, which could only throw again.
 */
public final class GuardedListener implements StreamListener
{
    private final StreamListener delegate;
    private MutableAggregate aggregate;

    GuardedListener(final StreamListener delegate)
    {
        this.delegate = delegate;
    }

    /** @return {@code listener} guarded, or {@link StreamListener#NONE} unchanged (nothing to guard). */
    public static StreamListener guard(final StreamListener listener)
    {
        return listener == StreamListener.NONE || listener instanceof GuardedListener ? listener : new GuardedListener(listener);
    }

    public void aggregate(final MutableAggregate aggregate)
    {
        this.aggregate = aggregate;
    }

    private void threw(final String callback, final RuntimeException e)
    {
        aggregate.error(ErrorKind.LISTENER_ERROR, message(callback, e));
    }

    private void threwSilently(final String callback, final RuntimeException e)
    {
        aggregate.errorWithoutListener(ErrorKind.LISTENER_ERROR, message(callback, e));
    }

    private static String message(final String callback, final RuntimeException e)
    {
        return "listener " + callback + " threw " + Dialect.abbreviate(String.valueOf(e));
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
            threw("onMessageStart", e);
        }
    }

    @Override
    public void onTextDelta(final int choice, final CharSequence text)
    {
        try
        {
            delegate.onTextDelta(choice, text);
        }
        catch (final RuntimeException e)
        {
            threw("onTextDelta", e);
        }
    }

    @Override
    public void onReasoningDelta(final int choice, final CharSequence text)
    {
        try
        {
            delegate.onReasoningDelta(choice, text);
        }
        catch (final RuntimeException e)
        {
            threw("onReasoningDelta", e);
        }
    }

    @Override
    public void onRefusalDelta(final int choice, final CharSequence text)
    {
        try
        {
            delegate.onRefusalDelta(choice, text);
        }
        catch (final RuntimeException e)
        {
            threw("onRefusalDelta", e);
        }
    }

    @Override
    public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
    {
        try
        {
            delegate.onToolCallStart(choice, toolIndex, id, name);
        }
        catch (final RuntimeException e)
        {
            threw("onToolCallStart", e);
        }
    }

    @Override
    public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
    {
        try
        {
            delegate.onToolCallArgumentsDelta(choice, toolIndex, fragment);
        }
        catch (final RuntimeException e)
        {
            threw("onToolCallArgumentsDelta", e);
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
            threw("onToolCallEnd", e);
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
            threw("wantsToolArgumentFields", e);
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
            threw("onToolArgumentField", e);
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
            threw("onLogprob", e);
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
            threw("onTokenId", e);
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
            threw("onUsage", e);
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
            threw("onFinish", e);
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
            threwSilently("onError", e);
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
            threwSilently("onEnd", e);
        }
    }
}
