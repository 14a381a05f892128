package io.streamfold.aggregator.internal.fold;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * Stands between the fold and a caller's {@link StreamListener}, so that a callback that throws can neither
 * leave an event half folded nor be mistaken for bad input or a streamfold defect: every callback is called
 * inside one try, and an exception goes to the guard's {@link Failure} policy, naming the callback. The
 * aggregator's own policy ({@link #guard}) records it as a {@link ErrorKind#LISTENER_ERROR} and folding goes on;
 * an exception from {@link StreamListener#onError} or {@link StreamListener#onEnd} is recorded without another
 * {@code onError}, which could only throw again. A gateway's tap has its own policy (stop the stream).
 */
public final class GuardedListener implements StreamListener
{
    /** What a guard does with the exception a callback threw. */
    @FunctionalInterface
    public interface Failure
    {
        /**
         * @param callback the callback's name, e.g. {@code onTextDelta}.
         * @param e        what it threw.
         * @param quiet    true for {@code onError} and {@code onEnd}: raising another {@code onError} could only
         *                 throw again.
         */
        void threw(String callback, RuntimeException e, boolean quiet);
    }

    private StreamListener delegate;
    private Failure failure;

    /**
     * @param delegate the listener called; {@link #delegate(StreamListener)} may rebind it.
     * @param failure  what an exception from it does.
     */
    public GuardedListener(final StreamListener delegate, final Failure failure)
    {
        this.delegate = delegate;
        this.failure = failure;
    }

    /**
     * @return {@code listener} guarded by an aggregator's policy (see {@link #aggregate}), or
     * {@link StreamListener#NONE} unchanged (nothing to guard).
     */
    public static StreamListener guard(final StreamListener listener)
    {
        return listener == StreamListener.NONE || listener instanceof GuardedListener ? listener :
            new GuardedListener(listener, null);
    }

    /**
     * Makes an exception a {@link ErrorKind#LISTENER_ERROR} of {@code aggregate}, for a guard made by
     * {@link #guard}; a guard made with a policy of its own keeps it.
     */
    public void aggregate(final MutableAggregate aggregate)
    {
        if (failure != null)
        {
            return;
        }
        failure = (callback, e, quiet) ->
        {
            final String message = "listener " + callback + " threw " + Dialect.abbreviate(String.valueOf(e));
            if (quiet)
            {
                aggregate.errorWithoutListener(ErrorKind.LISTENER_ERROR, message);
            }
            else
            {
                aggregate.error(ErrorKind.LISTENER_ERROR, message);
            }
        };
    }

    /** Rebinds the guard to another listener (a pooled tap's next stream). */
    public void delegate(final StreamListener delegate)
    {
        this.delegate = delegate;
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
            failure.threw("onMessageStart", e, false);
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
            failure.threw("onTextDelta", e, false);
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
            failure.threw("onReasoningDelta", e, false);
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
            failure.threw("onRefusalDelta", e, false);
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
            failure.threw("onToolCallStart", e, false);
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
            failure.threw("onToolCallArgumentsDelta", e, false);
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
            failure.threw("onToolCallEnd", e, false);
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
            failure.threw("wantsToolArgumentFields", e, false);
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
            failure.threw("onToolArgumentField", e, false);
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
            failure.threw("onLogprob", e, false);
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
            failure.threw("onTokenId", e, false);
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
            failure.threw("onUsage", e, false);
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
            failure.threw("onFinish", e, false);
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
            failure.threw("onError", e, true);
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
            failure.threw("onEnd", e, true);
        }
    }
}
