package io.streamfold.parser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The flag-free view reads exactly what Agrona's UnsafeBuffer reads, over arrays, offsets and direct memory. */
class SafeBufferTest
{
    @Test
    void readsLikeUnsafeBuffer()
    {
        final Random random = new Random(20261202);
        for (int round = 0; round < 200; round++)
        {
            final byte[] bytes = new byte[24 + random.nextInt(48)];
            random.nextBytes(bytes);
            final int shift = random.nextInt(8);
            final int length = bytes.length - shift - random.nextInt(8);

            final SafeBuffer safe = new SafeBuffer();
            safe.wrap(bytes, shift, length);
            compare(new UnsafeBuffer(bytes, shift, length), safe, random);

            final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
            direct.put(bytes).clear();
            final SafeBuffer safeDirect = new SafeBuffer();
            safeDirect.wrap(direct);
            compare(new UnsafeBuffer(direct), safeDirect, random);

            final SafeBuffer heap = new SafeBuffer();
            heap.wrap(ByteBuffer.wrap(bytes));
            compare(new UnsafeBuffer(bytes), heap, random);
        }
    }

    @Test
    void parsesAndDecodesLikeUnsafeBuffer()
    {
        final byte[] text = "x-1234567 98765432109 caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final DirectBuffer unsafe = new UnsafeBuffer(text);
        final DirectBuffer safe = new SafeBuffer(text);
        assertEquals(unsafe.parseIntAscii(1, 8), safe.parseIntAscii(1, 8));
        assertEquals(unsafe.parseNaturalIntAscii(2, 7), safe.parseNaturalIntAscii(2, 7));
        assertEquals(unsafe.parseLongAscii(10, 11), safe.parseLongAscii(10, 11));
        assertEquals(unsafe.getStringWithoutLengthUtf8(22, text.length - 22), safe.getStringWithoutLengthUtf8(22, text.length - 22));
        assertEquals(unsafe.getStringWithoutLengthAscii(0, 9), safe.getStringWithoutLengthAscii(0, 9));
        assertThrows(NumberFormatException.class, () -> safe.parseNaturalIntAscii(0, 3));
    }

    @Test
    void refusesReadsOutsideTheView()
    {
        final SafeBuffer safe = new SafeBuffer();
        safe.wrap(new byte[16], 4, 8);
        assertThrows(IndexOutOfBoundsException.class, () -> safe.getByte(8));
        assertThrows(IndexOutOfBoundsException.class, () -> safe.getLong(1));
        assertThrows(IndexOutOfBoundsException.class, () -> safe.getInt(-1));
        assertThrows(UnsupportedOperationException.class, () -> safe.wrap(1024L, 8));
    }

    private static void compare(final DirectBuffer unsafe, final SafeBuffer safe, final Random random)
    {
        assertEquals(unsafe.capacity(), safe.capacity());
        for (int i = 0; i < 20; i++)
        {
            final int index = random.nextInt(unsafe.capacity() - Long.BYTES + 1);
            final ByteOrder order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            assertEquals(unsafe.getByte(index), safe.getByte(index));
            assertEquals(unsafe.getShort(index, order), safe.getShort(index, order));
            assertEquals(unsafe.getChar(index, order), safe.getChar(index, order));
            assertEquals(unsafe.getInt(index, order), safe.getInt(index, order));
            assertEquals(unsafe.getLong(index, order), safe.getLong(index, order));
            assertEquals(unsafe.getLong(index), safe.getLong(index));
            assertEquals(unsafe.getInt(index), safe.getInt(index));
            assertEquals(Double.doubleToRawLongBits(unsafe.getDouble(index, order)),
                Double.doubleToRawLongBits(safe.getDouble(index, order)));
            final byte[] a = new byte[Long.BYTES];
            final byte[] b = new byte[Long.BYTES];
            unsafe.getBytes(index, a);
            safe.getBytes(index, b);
            assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        }
    }
}
