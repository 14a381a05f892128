package io.streamfold.parser.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.agrona.DirectBuffer;

/** Small byte helpers shared by the framers. */
public final class Bytes
{
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes()
    {
    }

    /** @return the four bytes at {@code index} read as a little-endian int (one read where four would be checked). */
    public static int intLittleEndian(final byte[] src, final int index)
    {
        return (int)INTS.get(src, index);
    }

    /**
     * Whether {@code n} bytes of {@code a} and {@code b} are equal, for {@code n} of 8 or more: a line, a name or a
     * template's literal of a few words (the framer's repeated event line, the aggregator's templates and name table),
     * compared a word at a time (the last word may overlap the one before it), where {@link Arrays#equals} would pay
     * its range checks and set-up for each call.
     */
    public static boolean sameWords(final byte[] a, final int aFrom, final byte[] b, final int bFrom, final int n)
    {
        final int last = n - 8;
        for (int i = 0; i < last; i += 8)
        {
            if ((long)LONGS.get(a, aFrom + i) != (long)LONGS.get(b, bFrom + i))
            {
                return false;
            }
        }
        return (long)LONGS.get(a, aFrom + last) == (long)LONGS.get(b, bFrom + last);
    }

    /**
     * @param buffer holding the bytes.
     * @param offset of the bytes.
     * @param length of the bytes.
     * @param ascii  text to compare with, ASCII only.
     * @return true when the bytes equal the text.
     */
    public static boolean equalsAscii(final DirectBuffer buffer, final int offset, final int length, final String ascii)
    {
        if (length != ascii.length())
        {
            return false;
        }
        // Event types and header names are compared on every frame: over a heap array the range is checked once
        // here instead of on every byte read through the view.
        final byte[] array = buffer.byteArray();
        final int start = buffer.wrapAdjustment() + offset;
        if (array != null && inArray(buffer, array, offset, start, length))
        {
            for (int i = 0; i < length; i++)
            {
                if (array[start + i] != (byte)ascii.charAt(i))
                {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != (byte)ascii.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param buffer      holding the bytes.
     * @param offset      of the bytes.
     * @param length      of the bytes.
     * @param other       bytes to compare with, from index 0.
     * @param otherLength how many of {@code other} to compare with.
     * @return true when the bytes equal the first {@code otherLength} of {@code other}.
     */
    public static boolean equals(final DirectBuffer buffer, final int offset, final int length, final byte[] other, final int otherLength)
    {
        if (length != otherLength)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        final int start = buffer.wrapAdjustment() + offset;
        if (array != null && inArray(buffer, array, offset, start, length))
        {
            return Arrays.equals(array, start, start + length, other, 0, length);
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != other[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code [offset, offset + length)} lies inside the view and its array (else the view's reads throw). */
    private static boolean inArray(final DirectBuffer buffer, final byte[] array, final int offset, final int start, final int length)
    {
        return offset >= 0 && offset <= buffer.capacity() - length && start >= 0 && start <= array.length - length;
    }
}
