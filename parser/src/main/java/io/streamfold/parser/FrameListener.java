package io.streamfold.parser;

/**
 * Receives what a {@link Framer} finds, as it finds it. Callbacks run on the thread that calls
 * {@code feed}/{@code end}; views handed over are valid only during the call. Implementations should
 * not throw: an exception thrown here propagates out of {@code feed} and leaves the framer in an
 * unspecified state (call {@link Framer#reset()} before reusing it).
 */
public interface FrameListener
{
    /**
     * A frame is complete.
     *
     * @param frame flyweight view, valid only during this call.
     */
    void onFrame(Frame frame);

    /**
     * A framing error: a limit was hit, the bytes break the framing, or the stream ended inside a
     * frame. The framer skips what it must and goes on with the next frame.
     *
     * @param error what happened and where.
     */
    default void onError(final StreamError error)
    {
    }
}
