package io.streamfold.parser.internal;

import java.util.Objects;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;

/**
 * What every framer shares: the three feed overloads funnelled into one {@link DirectBuffer} entry
 * point over a reused wrapper (wrapping allocates nothing), the listener, the limits, the frame
 * flyweight and the counters.
 */
public abstract class AbstractFramer extends DirectBufferFramer
{
    /** Fills {@link #frame}. */
    protected static final FrameAccess FRAMES = FrameAccess.get();

    /** Receives frames and errors. */
    protected final FrameListener listener;
    /** Bounds on memory. */
    protected final FramingLimits limits;
    /** The flyweight handed to the listener. */
    protected final Frame frame = FRAMES.newFrame();
    /** Stream offset of the next byte fed. */
    protected long bytesFed;
    /** Frames delivered so far: the index of the next frame. */
    protected long framesDelivered;
    /** {@link #end()} was called. */
    protected boolean ended;

    /**
     * @param listener receives frames and errors.
     * @param limits   bounds on memory.
     */
    protected AbstractFramer(final FrameListener listener, final FramingLimits limits)
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
    protected abstract void onBytes(DirectBuffer buffer, int offset, int length);

    /** Applies the end-of-stream rule. */
    protected abstract void onEnd();

    /** Reports an error at a stream offset, numbered with the frames delivered so far. */
    protected final void error(final ErrorKind kind, final long byteOffset, final String message)
    {
        listener.onError(new StreamError(kind, framesDelivered, byteOffset, message));
    }
}
