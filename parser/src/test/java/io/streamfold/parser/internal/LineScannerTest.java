package io.streamfold.parser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time line end search finds exactly the first CR or LF a byte-by-byte scan finds, on heap
 * arrays (whole or wrapped at an offset) and direct memory, over Agrona's and the flag-free views, whatever other low bytes surround it.
 */
class LineScannerTest
{
    /** Bytes chosen to hit the cheap pre-test's edges: just below, at and above CR, and the high bit. */
    private static final byte[] ALPHABET = {
        0x00, 0x01, 0x09, '\n', 0x0B, 0x0C, '\r', 0x0E, 0x0F, ' ', 'a', '"', (byte)0x80, (byte)0x8A, (byte)0x8D,
        (byte)0xFF};

    @Test
    void findsTheFirstLineEndLikeAPlainScan()
    {
        final Random random = new Random(20261126);
        for (int round = 0; round < 3000; round++)
        {
            final byte[] bytes = new byte[1 + random.nextInt(70)];
            final int density = 1 + random.nextInt(40);
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = random.nextInt(density) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte)'x';
            }
            final int from = random.nextInt(bytes.length + 1);
            final int to = from + random.nextInt(bytes.length - from + 1);
            final int expected = plainScan(bytes, from, to);

            assertEquals(expected, LineScanner.findLineEnd(new UnsafeBuffer(bytes), from, to), "heap");

            final int shift = random.nextInt(5);
            final byte[] padded = new byte[bytes.length + shift + 3];
            System.arraycopy(bytes, 0, padded, shift, bytes.length);
            final DirectBuffer wrapped = new UnsafeBuffer(padded, shift, bytes.length);
            assertEquals(expected, LineScanner.findLineEnd(wrapped, from, to), "wrapped at " + shift);

            final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
            direct.put(bytes).flip();
            assertEquals(expected, LineScanner.findLineEnd(new UnsafeBuffer(direct), from, to), "direct");

            // The flag-free views take the VarHandle and plain-read paths.
            assertEquals(expected, LineScanner.findLineEnd(new SafeBuffer(bytes), from, to), "safe heap");
            final SafeBuffer safeWrapped = new SafeBuffer();
            safeWrapped.wrap(padded, shift, bytes.length);
            assertEquals(expected, LineScanner.findLineEnd(safeWrapped, from, to), "safe wrapped at " + shift);
            final SafeBuffer safeDirect = new SafeBuffer();
            safeDirect.wrap(direct);
            assertEquals(expected, LineScanner.findLineEnd(safeDirect, from, to), "safe direct");
        }
    }

    @Test
    void refusesARangePastTheBuffer()
    {
        final DirectBuffer buffer = new UnsafeBuffer(new byte[16]);
        assertThrows(IndexOutOfBoundsException.class, () -> LineScanner.findLineEnd(buffer, 0, 17));
        assertThrows(IndexOutOfBoundsException.class, () -> LineScanner.findLineEnd(buffer, -1, 8));
        final DirectBuffer safe = new SafeBuffer(new byte[16]);
        assertThrows(IndexOutOfBoundsException.class, () -> LineScanner.findLineEnd(safe, 0, 17));
    }

    private static int plainScan(final byte[] bytes, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (bytes[i] == '\n' || bytes[i] == '\r')
            {
                return i;
            }
        }
        return -1;
    }
}
