package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

/**
 * The one reusable, growable byte buffer a framer copies into when a line or frame spans fed slices.
 * It grows by doubling up to a hard capacity and never past it, so memory stays bounded by the limits.
 */
public final class SpillBuffer
{
    private static final int INITIAL_CAPACITY = 256;
    /**
     * Largest backing array {@link #trim()} keeps. A pooled framer meets the same event sizes stream after
     * stream (a Responses stream's terminal event repeats the whole answer, often 10-30 KB), and growing
     * back to them on every stream is garbage per stream; only an outlier larger than this is released.
     */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final int maxCapacity;
    private final DirectBuffer view = Buffers.wrap(new byte[0]);
    private byte[] bytes = new byte[0];
    private int length;

    /**
     * @param maxCapacity bytes the buffer may never exceed.
     */
    public SpillBuffer(final int maxCapacity)
    {
        this.maxCapacity = maxCapacity;
    }

    /**
     * Appends bytes, unless that would pass the capacity.
     *
     * @return false, appending nothing, when the result would exceed the capacity.
     */
    public boolean append(final DirectBuffer src, final int offset, final int count)
    {
        if (count > maxCapacity - length)
        {
            return false;
        }
        ensure(length + count);
        src.getBytes(offset, bytes, length, count);
        length += count;
        return true;
    }

    /** @return false, appending nothing, when the buffer is full. */
    public boolean append(final byte b)
    {
        if (length >= maxCapacity)
        {
            return false;
        }
        ensure(length + 1);
        bytes[length++] = b;
        return true;
    }

    public int length()
    {
        return length;
    }

    /** @return bytes currently allocated, never more than the capacity given at construction. */
    public int capacity()
    {
        return bytes.length;
    }

    public boolean isEmpty()
    {
        return length == 0;
    }

    public void clear()
    {
        length = 0;
    }

    /** Truncates to {@code newLength}, which must not exceed the current length. */
    public void truncate(final int newLength)
    {
        length = newLength;
    }

    public byte byteAt(final int index)
    {
        return bytes[index];
    }

    /** @return a view over the whole backing array; valid until the next append. */
    public DirectBuffer buffer()
    {
        return view;
    }

    /**
     * Empties the buffer and releases a backing array larger than 64 KiB, so a pooled, reset framer keeps the
     * capacity ordinary events need but not the high-water mark of an outlier.
     */
    public void trim()
    {
        length = 0;
        if (bytes.length > RETAINED_CAPACITY)
        {
            bytes = new byte[0];
            view.wrap(bytes);
        }
    }

    private void ensure(final int needed)
    {
        if (needed > bytes.length)
        {
            int newCapacity = Math.max(INITIAL_CAPACITY, bytes.length);
            while (newCapacity < needed)
            {
                newCapacity = newCapacity > (maxCapacity >> 1) ? maxCapacity : newCapacity << 1;
            }
            final byte[] grown = new byte[Math.min(newCapacity, maxCapacity)];
            System.arraycopy(bytes, 0, grown, 0, length);
            bytes = grown;
            view.wrap(bytes);
        }
    }
}
