package io.streamfold.gateway;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

/**
 * A {@link StreamTap} for transports whose signals may come from several threads (a reactive
 * subscription cancelled from one thread while another delivers data): feeding and finishing are
 * serialised, the record is made exactly once, handed to the sink, and the tap goes back to its pool.
 * Bytes that arrive after the end are ignored.
 */
public final class SharedTap
{
    private final StreamTap tap;
    private final Consumer<GenAiRecord> sink;
    private boolean finished;

    /**
     * @param tap  a started tap ({@link StreamTap#start}, {@link StreamTap#responseHead}); owned from now on.
     * @param sink receives the record, on whichever thread ends the stream.
     */
    public SharedTap(final StreamTap tap, final Consumer<GenAiRecord> sink)
    {
        this.tap = Objects.requireNonNull(tap, "tap");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * @param buffer   not retained, position untouched.
     * @param position absolute index of the first byte.
     * @param length   bytes.
     * @return true when a policy asked to stop the stream.
     */
    public synchronized boolean feed(final ByteBuffer buffer, final int position, final int length)
    {
        if (!finished)
        {
            tap.feed(buffer, position, length);
        }
        return tap.isStopped();
    }

    /**
     * @param buffer not retained, indexes untouched.
     * @param index  absolute index of the first byte.
     * @param length bytes.
     * @return true when a policy asked to stop the stream.
     */
    public synchronized boolean feed(final ByteBuf buffer, final int index, final int length)
    {
        if (!finished)
        {
            tap.feed(buffer, index, length);
        }
        return tap.isStopped();
    }

    /**
     * Ends the stream once; later calls do nothing.
     *
     * @param cause as in {@link StreamTap#finish}.
     * @return true for the call that ended it.
     */
    public boolean finish(final GatewayOutcome cause)
    {
        final GenAiRecord record;
        synchronized (this)
        {
            if (finished)
            {
                return false;
            }
            finished = true;
            record = tap.finish(cause);
            tap.release();
        }
        if (record != null)
        {
            sink.accept(record);
        }
        return true;
    }
}
