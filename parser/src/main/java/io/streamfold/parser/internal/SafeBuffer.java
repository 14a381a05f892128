package io.streamfold.parser.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A read-only {@link DirectBuffer} view over a {@code byte[]} or a {@link ByteBuffer} that needs no JVM flag:
 * multi-byte reads go through {@link VarHandle}s instead of {@code jdk.internal.misc.Unsafe}, which Agrona 2's
 * {@code UnsafeBuffer} reaches and Java 17+ only allows with
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}. {@link Buffers} chooses it when that export
 * is missing.
 *
 * <p>Differences from {@code UnsafeBuffer}: a raw memory address cannot be wrapped
 * ({@link UnsupportedOperationException}); {@link #addressOffset()} is the offset into {@link #byteArray()}
 * (0 over a direct {@link ByteBuffer}), not a memory address; over a direct {@link ByteBuffer} the view ends
 * at the buffer's limit, not its capacity, as {@link ByteBuffer}'s absolute reads do. Every read is bounds
 * checked against the view.
 */
public final class SafeBuffer implements DirectBuffer
{
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BB_SHORT_LE = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BB_SHORT_BE = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BB_INT_LE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BB_INT_BE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BB_LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BB_LONG_BE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final byte[] EMPTY = new byte[0];

    /** Backing array, or null over a direct {@link ByteBuffer}. */
    private byte[] array = EMPTY;
    /** Index in {@link #array} of the view's byte 0. */
    private int adjustment;
    /** The wrapped {@link ByteBuffer}, if any. */
    private ByteBuffer byteBuffer;
    private int capacity;

    /** An empty view. */
    public SafeBuffer()
    {
    }

    /**
     * @param bytes to view, whole.
     */
    public SafeBuffer(final byte[] bytes)
    {
        wrap(bytes);
    }

    /**
     * Reads a little-endian long from an array without a view; for scans that checked their range once.
     *
     * @param array holding the bytes.
     * @param index of the first byte in the array.
     * @return the long.
     */
    public static long getLongLittleEndian(final byte[] array, final int index)
    {
        return (long)LONG_LE.get(array, index);
    }

    @Override
    public void wrap(final byte[] buffer)
    {
        wrapArray(buffer, 0, buffer.length);
    }

    @Override
    public void wrap(final byte[] buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.length - length)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " array=" + buffer.length);
        }
        wrapArray(buffer, offset, length);
    }

    @Override
    public void wrap(final ByteBuffer buffer)
    {
        if (buffer.hasArray())
        {
            wrapArray(buffer.array(), buffer.arrayOffset(), buffer.capacity());
        }
        else
        {
            array = null;
            adjustment = 0;
            capacity = buffer.limit();
        }
        byteBuffer = buffer;
    }

    @Override
    public void wrap(final ByteBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " capacity=" + buffer.capacity());
        }
        if (buffer.hasArray())
        {
            wrapArray(buffer.array(), buffer.arrayOffset() + offset, length);
            byteBuffer = buffer;
        }
        else
        {
            // A direct buffer is read with absolute indexes: a view at an offset needs its own slice.
            wrap(buffer.duplicate().limit(offset + length).position(offset).slice());
        }
    }

    @Override
    public void wrap(final DirectBuffer buffer)
    {
        wrap(buffer, 0, buffer.capacity());
    }

    @Override
    public void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        final byte[] bytes = buffer.byteArray();
        if (bytes != null)
        {
            wrapArray(bytes, buffer.wrapAdjustment() + offset, length);
        }
        else if (buffer.byteBuffer() != null)
        {
            wrap(buffer.byteBuffer(), buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            throw new UnsupportedOperationException("a buffer over a raw memory address needs Agrona's UnsafeBuffer");
        }
    }

    @Override
    public void wrap(final long address, final int length)
    {
        throw new UnsupportedOperationException("a raw memory address needs Agrona's UnsafeBuffer and the JVM flag " +
            "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED");
    }

    private void wrapArray(final byte[] bytes, final int offset, final int length)
    {
        array = bytes;
        adjustment = offset;
        capacity = length;
        byteBuffer = null;
    }

    @Override
    public long addressOffset()
    {
        return adjustment;
    }

    @Override
    public byte[] byteArray()
    {
        return array;
    }

    @Override
    public ByteBuffer byteBuffer()
    {
        return byteBuffer;
    }

    @Override
    public int wrapAdjustment()
    {
        return adjustment;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public void checkLimit(final int limit)
    {
        if (limit > capacity)
        {
            throw new IndexOutOfBoundsException("limit=" + limit + " is beyond capacity=" + capacity);
        }
    }

    @Override
    public void boundsCheck(final int index, final int length)
    {
        if (index < 0 || length < 0 || index > capacity - length)
        {
            throw new IndexOutOfBoundsException("index=" + index + " length=" + length + " capacity=" + capacity);
        }
    }

    @Override
    public byte getByte(final int index)
    {
        boundsCheck(index, 1);
        return array != null ? array[adjustment + index] : byteBuffer.get(index);
    }

    @Override
    public short getShort(final int index, final ByteOrder byteOrder)
    {
        boundsCheck(index, Short.BYTES);
        final boolean le = byteOrder == ByteOrder.LITTLE_ENDIAN;
        if (array != null)
        {
            return (short)(le ? SHORT_LE : SHORT_BE).get(array, adjustment + index);
        }
        return (short)(le ? BB_SHORT_LE : BB_SHORT_BE).get(byteBuffer, index);
    }

    @Override
    public short getShort(final int index)
    {
        return getShort(index, ByteOrder.nativeOrder());
    }

    @Override
    public char getChar(final int index, final ByteOrder byteOrder)
    {
        return (char)getShort(index, byteOrder);
    }

    @Override
    public char getChar(final int index)
    {
        return (char)getShort(index);
    }

    @Override
    public int getInt(final int index, final ByteOrder byteOrder)
    {
        boundsCheck(index, Integer.BYTES);
        final boolean le = byteOrder == ByteOrder.LITTLE_ENDIAN;
        if (array != null)
        {
            return (int)(le ? INT_LE : INT_BE).get(array, adjustment + index);
        }
        return (int)(le ? BB_INT_LE : BB_INT_BE).get(byteBuffer, index);
    }

    @Override
    public int getInt(final int index)
    {
        return getInt(index, ByteOrder.nativeOrder());
    }

    @Override
    public long getLong(final int index, final ByteOrder byteOrder)
    {
        boundsCheck(index, Long.BYTES);
        final boolean le = byteOrder == ByteOrder.LITTLE_ENDIAN;
        if (array != null)
        {
            return (long)(le ? LONG_LE : LONG_BE).get(array, adjustment + index);
        }
        return (long)(le ? BB_LONG_LE : BB_LONG_BE).get(byteBuffer, index);
    }

    @Override
    public long getLong(final int index)
    {
        return getLong(index, NATIVE_LE ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    }

    @Override
    public float getFloat(final int index, final ByteOrder byteOrder)
    {
        return Float.intBitsToFloat(getInt(index, byteOrder));
    }

    @Override
    public float getFloat(final int index)
    {
        return Float.intBitsToFloat(getInt(index));
    }

    @Override
    public double getDouble(final int index, final ByteOrder byteOrder)
    {
        return Double.longBitsToDouble(getLong(index, byteOrder));
    }

    @Override
    public double getDouble(final int index)
    {
        return Double.longBitsToDouble(getLong(index));
    }

    @Override
    public void getBytes(final int index, final byte[] dst)
    {
        getBytes(index, dst, 0, dst.length);
    }

    @Override
    public void getBytes(final int index, final byte[] dst, final int offset, final int length)
    {
        boundsCheck(index, length);
        if (array != null)
        {
            System.arraycopy(array, adjustment + index, dst, offset, length);
        }
        else
        {
            byteBuffer.get(index, dst, offset, length);
        }
    }

    @Override
    public void getBytes(final int index, final MutableDirectBuffer dstBuffer, final int dstIndex, final int length)
    {
        boundsCheck(index, length);
        dstBuffer.boundsCheck(dstIndex, length);
        for (int i = 0; i < length; i++)
        {
            dstBuffer.putByte(dstIndex + i, getByte(index + i));
        }
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int length)
    {
        final int position = dstBuffer.position();
        getBytes(index, dstBuffer, position, length);
        dstBuffer.position(position + length);
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int dstOffset, final int length)
    {
        boundsCheck(index, length);
        for (int i = 0; i < length; i++)
        {
            dstBuffer.put(dstOffset + i, getByte(index + i));
        }
    }

    @Override
    public int parseNaturalIntAscii(final int index, final int length)
    {
        return (int)parseNatural(index, length, Integer.MAX_VALUE);
    }

    @Override
    public long parseNaturalLongAscii(final int index, final int length)
    {
        return parseNatural(index, length, Long.MAX_VALUE);
    }

    @Override
    public int parseIntAscii(final int index, final int length)
    {
        if (length > 1 && getByte(index) == '-')
        {
            return (int)-parseNatural(index + 1, length - 1, Integer.MAX_VALUE + 1L);
        }
        return parseNaturalIntAscii(index, length);
    }

    @Override
    public long parseLongAscii(final int index, final int length)
    {
        if (length > 1 && getByte(index) == '-')
        {
            final long magnitude = parseNatural(index + 1, length - 1, Long.MAX_VALUE);
            return -magnitude;
        }
        return parseNaturalLongAscii(index, length);
    }

    private long parseNatural(final int index, final int length, final long max)
    {
        if (length <= 0)
        {
            throw new NumberFormatException("empty string: index=" + index + " length=" + length);
        }
        long value = 0;
        for (int i = index, end = index + length; i < end; i++)
        {
            final int digit = getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                throw new NumberFormatException("'" + (char)getByte(i) + "' is not a valid digit @ " + i);
            }
            if (value > (max - digit) / 10)
            {
                throw new NumberFormatException("number out of range @ " + index);
            }
            value = value * 10 + digit;
        }
        return value;
    }

    @Override
    public String getStringAscii(final int index)
    {
        return getStringAscii(index, ByteOrder.nativeOrder());
    }

    @Override
    public int getStringAscii(final int index, final Appendable appendable)
    {
        return getStringAscii(index, appendable, ByteOrder.nativeOrder());
    }

    @Override
    public String getStringAscii(final int index, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, getInt(index, byteOrder));
    }

    @Override
    public int getStringAscii(final int index, final Appendable appendable, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, getInt(index, byteOrder), appendable);
    }

    @Override
    public String getStringAscii(final int index, final int length)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, Math.min(length, getInt(index)));
    }

    @Override
    public int getStringAscii(final int index, final int length, final Appendable appendable)
    {
        return getStringWithoutLengthAscii(index + STR_HEADER_LEN, Math.min(length, getInt(index)), appendable);
    }

    @Override
    public String getStringWithoutLengthAscii(final int index, final int length)
    {
        final StringBuilder sb = new StringBuilder(length);
        getStringWithoutLengthAscii(index, length, sb);
        return sb.toString();
    }

    @Override
    public int getStringWithoutLengthAscii(final int index, final int length, final Appendable appendable)
    {
        boundsCheck(index, length);
        try
        {
            for (int i = index, end = index + length; i < end; i++)
            {
                final byte b = getByte(i);
                appendable.append(b < 0 ? '?' : (char)b);
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        return length;
    }

    @Override
    public String getStringUtf8(final int index)
    {
        return getStringUtf8(index, ByteOrder.nativeOrder());
    }

    @Override
    public String getStringUtf8(final int index, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthUtf8(index + STR_HEADER_LEN, getInt(index, byteOrder));
    }

    @Override
    public String getStringUtf8(final int index, final int length)
    {
        return getStringWithoutLengthUtf8(index + STR_HEADER_LEN, Math.min(length, getInt(index)));
    }

    @Override
    public String getStringWithoutLengthUtf8(final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        getBytes(index, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int compareTo(final DirectBuffer that)
    {
        final int length = Math.min(capacity, that.capacity());
        for (int i = 0; i < length; i++)
        {
            final int cmp = Byte.compare(getByte(i), that.getByte(i));
            if (cmp != 0)
            {
                return cmp;
            }
        }
        return Integer.compare(capacity, that.capacity());
    }

    @Override
    public boolean equals(final Object obj)
    {
        if (this == obj)
        {
            return true;
        }
        if (!(obj instanceof DirectBuffer))
        {
            return false;
        }
        final DirectBuffer that = (DirectBuffer)obj;
        return capacity == that.capacity() && compareTo(that) == 0;
    }

    @Override
    public int hashCode()
    {
        int hash = 1;
        for (int i = 0; i < capacity; i++)
        {
            hash = 31 * hash + getByte(i);
        }
        return hash;
    }

    @Override
    public String toString()
    {
        return "SafeBuffer{capacity=" + capacity + ", heap=" + (array != null) + '}';
    }
}
