package io.streamfold.parser;

import java.util.Objects;

import org.agrona.DirectBuffer;

/**
 * What every framer shares: the three feed overloads funnelled into one {@link DirectBuffer} entry
 * point over a reused wrapper (wrapping allocates nothing), the listener, the limits, the frame
 * flyweight and the counters.
 */
abstract class AbstractFramer extends DirectBufferFramer
{
    final FrameListener listener;
    final FramingLimits limits;
    final Frame frame = new Frame();
    long bytesFed;
    long framesDelivered;
    boolean ended;

    AbstractFramer(final FrameListener listener, final FramingLimits limits)
    {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public final void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        checkRange(buffer, offset, length);
        if (ended || length == 0)
        {
            return;
        }
        onBytes(buffer, offset, length);
        bytesFed += length;
    }

    @Override
    public final void end()
    {
        if (!ended)
        {
            ended = true;
            onEnd();
        }
    }

    @Override
    public void reset()
    {
        bytesFed = 0;
        framesDelivered = 0;
        ended = false;
    }

    @Override
    public final long bytesFed()
    {
        return bytesFed;
    }

    @Override
    public final long framesDelivered()
    {
        return framesDelivered;
    }

    /**
     * Scans one fed slice. {@link #bytesFed} still holds the stream offset of {@code buffer[offset]}.
     */
    abstract void onBytes(DirectBuffer buffer, int offset, int length);

    /** Applies the end-of-stream rule. */
    abstract void onEnd();

    final void error(final ErrorKind kind, final long byteOffset, final String message)
    {
        listener.onError(new StreamError(kind, framesDelivered, byteOffset, message));
    }
}
