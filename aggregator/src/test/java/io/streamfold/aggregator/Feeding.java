package io.streamfold.aggregator;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one way the aggregator tests feed a stream: in slices whose sizes a supplier draws (whole, byte by byte,
 * random, given), each slice through one of the feed overloads. A test that compares slicings then knows every
 * dialect was cut the same ways. Nothing here ends the stream: the caller does.
 */
public final class Feeding
{
    /** Which feed overload a slice goes through, and how the bytes are held. */
    public enum Via
    {
        /** {@code feed(byte[], offset, length)} on the caller's array as it is. */
        ARRAY,
        /**
         * {@code feed(byte[], offset, length)} on a copy at an offset, scribbled over after the call: a view of fed
         * bytes kept past the call shows up as wrong output.
         */
        SCRIBBLED,
        /** {@code feed(ByteBuffer)} on a direct buffer. */
        DIRECT,
        /** {@code feed(DirectBuffer, offset, length)} on an Agrona buffer with bytes before and after the slice. */
        UNSAFE
    }

    private Feeding()
    {
    }

    /** Feeds {@code length} bytes of {@code bytes} from {@code offset} through {@code via}. */
    public static void feed(final StreamAggregator a, final byte[] bytes, final int offset, final int length, final Via via)
    {
        switch (via)
        {
            case ARRAY:
                a.feed(bytes, offset, length);
                break;
            case SCRIBBLED:
            {
                final byte[] copy = new byte[length + 3];
                System.arraycopy(bytes, offset, copy, 1, length);
                a.feed(copy, 1, length);
                Arrays.fill(copy, (byte)'#');
                break;
            }
            case DIRECT:
            {
                final ByteBuffer direct = ByteBuffer.allocateDirect(length);
                direct.put(bytes, offset, length).flip();
                a.feed(direct);
                break;
            }
            default:
            {
                final byte[] padded = new byte[length + 7];
                System.arraycopy(bytes, offset, padded, 3, length);
                a.feed(new UnsafeBuffer(padded), 3, length);
            }
        }
    }

    /**
     * Feeds all of {@code bytes} in slices of the sizes {@code sizes} draws (each cut to what is left), the k-th
     * slice through {@code vias[k % vias.length]}.
     */
    public static void feedAll(final StreamAggregator a, final byte[] bytes, final IntSupplier sizes, final Via... vias)
    {
        int at = 0;
        int k = 0;
        while (at < bytes.length)
        {
            final int n = Math.min(bytes.length - at, sizes.getAsInt());
            feed(a, bytes, at, n, vias[k++ % vias.length]);
            at += n;
        }
    }

    /** Feeds all of {@code bytes} in one call. */
    public static void feedWhole(final StreamAggregator a, final byte[] bytes, final Via via)
    {
        feed(a, bytes, 0, bytes.length, via);
    }

    /** Feeds {@code bytes} one byte per call. */
    public static void feedByteByByte(final StreamAggregator a, final byte[] bytes, final Via via)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            feed(a, bytes, i, 1, via);
        }
    }

    /** @return random slice sizes: 1 to {@code small} or 1 to {@code large}, either half the time. */
    public static IntSupplier randomSizes(final Random random, final int small, final int large)
    {
        return () -> 1 + random.nextInt(random.nextBoolean() ? small : large);
    }

    /** @return random slice sizes from 1 to {@code max}. */
    public static IntSupplier randomSizes(final Random random, final int max)
    {
        return () -> 1 + random.nextInt(max);
    }

    /** @return the given slice sizes in turn, the last one taking whatever is left. */
    public static IntSupplier sizes(final int... sizes)
    {
        final int[] next = { 0 };
        return () -> next[0] < sizes.length - 1 ? sizes[next[0]++] : Integer.MAX_VALUE;
    }
}
