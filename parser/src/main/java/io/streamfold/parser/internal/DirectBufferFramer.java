package io.streamfold.parser.internal;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.agrona.DirectBuffer;

import io.streamfold.parser.Framer;

/**
 * Base for a {@link Framer} written against one entry point, {@link #feed(DirectBuffer, int, int)}: the
 * {@code byte[]} and {@link ByteBuffer} overloads wrap the caller's bytes in one reused view (wrapping
 * allocates nothing) and forward them. Extend it for a framer of your own, or one that delegates to others.
 */
public abstract class DirectBufferFramer implements Framer
{
    private final DirectBuffer wrapper = Buffers.newView();

    /** For subclasses. */
    protected DirectBufferFramer()
    {
    }

    @Override
    public final void feed(final byte[] bytes, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0)
        {
            return;
        }
        wrapper.wrap(bytes);
        feed(wrapper, offset, length);
    }

    @Override
    public final void feed(final ByteBuffer buffer)
    {
        final int position = buffer.position();
        final int length = buffer.remaining();
        if (length == 0)
        {
            return;
        }
        wrapper.wrap(buffer);
        feed(wrapper, position, length);
        buffer.position(buffer.limit());
    }

    /**
     * Checks a range the way every {@code feed(DirectBuffer, …)} must.
     *
     * @throws IndexOutOfBoundsException when the range is not inside the buffer.
     */
    protected static void checkRange(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0 || offset < 0 || offset > buffer.capacity() - length)
        {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length +
                " capacity=" + buffer.capacity());
        }
    }
}
