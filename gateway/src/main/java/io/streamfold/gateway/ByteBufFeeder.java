package io.streamfold.gateway;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.parser.internal.Buffers;
import org.agrona.DirectBuffer;

/**
 * Feeds Netty {@link ByteBuf}s and NIO {@link ByteBuffer}s to a {@link StreamAggregator} without copying
 * and without touching the buffer: reader index, writer index, position and reference count stay as they
 * were. A direct buffer is read through its memory address, a heap buffer through its array, a composite
 * buffer component by component. One feeder per stream (it keeps a reusable view), not thread-safe.
 *
 * <p>While {@link io.streamfold.aggregator.Format#AUTO} is still detecting the format the bytes go through
 * a reusable scratch array, because detection keeps a copy of the first bytes anyway. On a JVM without
 * Agrona's {@code --add-exports} flag ({@link Buffers#UNSAFE} false) a raw memory address cannot be read, so a
 * direct {@link ByteBuf} is copied through the same scratch array (a direct {@link ByteBuffer} is still read
 * in place).
 */
public final class ByteBufFeeder
{
    private static final int SCRATCH_BYTES = 8192;

    private static final byte[] NOTHING = new byte[0];

    private final DirectBuffer view = Buffers.newView();
    private byte[] scratch = new byte[0];

    /**
     * Feeds the readable bytes of {@code buffer}.
     *
     * @param aggregator the stream's aggregator.
     * @param buffer     not retained, not modified.
     */
    public void feed(final StreamAggregator aggregator, final ByteBuf buffer)
    {
        feed(aggregator, buffer, buffer.readerIndex(), buffer.readableBytes());
    }

    /**
     * Feeds a range of {@code buffer} given by absolute indexes, so a caller that already passed the buffer
     * on (and whose reader index may since have moved) can feed what it saw.
     *
     * @param aggregator the stream's aggregator.
     * @param buffer     not retained, not modified.
     * @param index      absolute index of the first byte.
     * @param length     number of bytes.
     */
    public void feed(final StreamAggregator aggregator, final ByteBuf buffer, final int index, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        if (buffer instanceof CompositeByteBuf)
        {
            feedComposite(aggregator, (CompositeByteBuf)buffer, index, length);
        }
        else if (buffer.hasArray())
        {
            aggregator.feed(buffer.array(), buffer.arrayOffset() + index, length);
        }
        else if (Buffers.UNSAFE && buffer.hasMemoryAddress() && aggregator.format() != null)
        {
            view.wrap(buffer.memoryAddress() + index, length);
            aggregator.feed(view, 0, length);
            view.wrap(NOTHING);
        }
        else
        {
            feedCopied(aggregator, buffer, null, index, length);
        }
    }

    /**
     * Feeds the remaining bytes of {@code buffer} without moving its position.
     *
     * @param aggregator the stream's aggregator.
     * @param buffer     not retained, not modified.
     */
    public void feed(final StreamAggregator aggregator, final ByteBuffer buffer)
    {
        feed(aggregator, buffer, buffer.position(), buffer.remaining());
    }

    /**
     * Feeds a range of {@code buffer} by absolute index, never reading or moving its position, so a caller
     * that already passed the buffer on can feed what it saw.
     *
     * @param aggregator the stream's aggregator.
     * @param buffer     not retained, not modified.
     * @param position   absolute index of the first byte.
     * @param length     number of bytes.
     */
    public void feed(final StreamAggregator aggregator, final ByteBuffer buffer, final int position, final int length)
    {
        if (length <= 0)
        {
            return;
        }
        if (buffer.hasArray())
        {
            aggregator.feed(buffer.array(), buffer.arrayOffset() + position, length);
        }
        else if (buffer.isDirect() && aggregator.format() != null)
        {
            // Read-only direct buffers (java.net.http hands these out) still expose their address to Agrona.
            view.wrap(buffer, position, length);
            aggregator.feed(view, 0, length);
            view.wrap(NOTHING);
        }
        else
        {
            feedCopied(aggregator, null, buffer, position, length);
        }
    }

    private void feedComposite(
        final StreamAggregator aggregator, final CompositeByteBuf composite, final int index, final int length)
    {
        final int end = index + length;
        int component = composite.toComponentIndex(index);
        int at = index;
        while (at < end)
        {
            final int start = composite.toByteIndex(component);
            // Netty caches the slice it hands out per component, so walking the components allocates nothing.
            final ByteBuf part = composite.internalComponent(component);
            final int from = at - start;
            final int n = Math.min(part.readableBytes() - from, end - at);
            if (n > 0)
            {
                feed(aggregator, part, part.readerIndex() + from, n);
                at += n;
            }
            component++;
        }
    }

    /** Copies through the scratch array, from whichever of {@code buffer} or {@code nio} is not null. */
    private void feedCopied(
        final StreamAggregator aggregator, final ByteBuf buffer, final ByteBuffer nio, final int index, final int length)
    {
        int done = 0;
        while (done < length)
        {
            final int n = ensureScratch(length - done);
            if (buffer != null)
            {
                buffer.getBytes(index + done, scratch, 0, n);
            }
            else
            {
                nio.get(index + done, scratch, 0, n);
            }
            aggregator.feed(scratch, 0, n);
            done += n;
        }
    }

    private int ensureScratch(final int wanted)
    {
        if (scratch.length == 0)
        {
            scratch = new byte[SCRATCH_BYTES];
        }
        return Math.min(wanted, scratch.length);
    }
}
