package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The one CR/LF search every line-based framer uses, eight bytes at a time: a byte equal to the target
 * becomes zero after XOR, and the zero-byte test sets only that byte's high bit, with no borrow into its
 * neighbours. Words are read through Unsafe without per-read bounds checks when {@link Buffers#UNSAFE} (and the
 * buffer is not a {@link SafeBuffer}, whose address offset is no address), else through a {@code VarHandle}
 * over the heap array, else through the buffer's own reads.
 */
public final class LineScanner
{
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final long LF_WORD = 0x0A0A0A0A0A0A0A0AL;
    private static final long CR_WORD = 0x0D0D0D0D0D0D0D0DL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long BELOW_CR_WORD = 0x0E0E0E0E0E0E0E0EL;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int NOT_FOUND = 8;

    private LineScanner()
    {
    }

    /**
     * @param buffer holding the bytes.
     * @param from   first index searched.
     * @param to     index after the last one searched.
     * @return index of the first CR or LF in {@code [from, to)}, or -1.
     * @throws IndexOutOfBoundsException when the range is not inside the buffer.
     */
    public static int findLineEnd(final DirectBuffer buffer, final int from, final int to)
    {
        if (from < 0 || to > buffer.capacity())
        {
            throw new IndexOutOfBoundsException("from=" + from + " to=" + to + " capacity=" + buffer.capacity());
        }
        // The range is checked once above, so the word loops read without Agrona's per-read bounds check.
        final byte[] array = buffer.byteArray();
        int i = from;
        final int lastWord = to - Long.BYTES;
        if (Buffers.UNSAFE && !(buffer instanceof SafeBuffer))
        {
            final long address = buffer.addressOffset();
            // Two words a step, one cheap test for both: lines are long and line ends rare, so most steps take
            // one branch for sixteen bytes.
            for (; i <= lastWord - Long.BYTES; i += 2 * Long.BYTES)
            {
                final long a = UnsafeApi.getLongUnaligned(array, address + i, false);
                final long b = UnsafeApi.getLongUnaligned(array, address + i + Long.BYTES, false);
                if ((belowCr(a) | belowCr(b)) != 0)
                {
                    final int inA = lineEndInWord(a);
                    if (inA != NOT_FOUND)
                    {
                        return i + inA;
                    }
                    final int inB = lineEndInWord(b);
                    if (inB != NOT_FOUND)
                    {
                        return i + Long.BYTES + inB;
                    }
                }
            }
            for (; i <= lastWord; i += Long.BYTES)
            {
                final int found = lineEndInWord(UnsafeApi.getLongUnaligned(array, address + i, false));
                if (found != NOT_FOUND)
                {
                    return i + found;
                }
            }
        }
        else if (array != null)
        {
            final int adjustment = buffer.wrapAdjustment();
            for (; i <= lastWord; i += Long.BYTES)
            {
                final int found = lineEndInWord(SafeBuffer.getLongLittleEndian(array, adjustment + i));
                if (found != NOT_FOUND)
                {
                    return i + found;
                }
            }
        }
        else
        {
            for (; i <= lastWord; i += Long.BYTES)
            {
                final int found = lineEndInWord(buffer.getLong(i, java.nio.ByteOrder.LITTLE_ENDIAN));
                if (found != NOT_FOUND)
                {
                    return i + found;
                }
            }
        }
        for (; i < to; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == LF || b == CR)
            {
                return i;
            }
        }
        return -1;
    }

    /** @return index (0-7) of the first CR or LF in a little-endian word, or {@link #NOT_FOUND}. */
    private static int lineEndInWord(final long word)
    {
        // Payload bytes below 0x0E are rare (JSON escapes its control characters), so one cheap exact test
        // for "some byte is below 0x0E" skips most words; only a word that has one pays for locating CR or LF.
        if (belowCr(word) != 0)
        {
            final long found = zeroBytes(word ^ LF_WORD) | zeroBytes(word ^ CR_WORD);
            if (found != 0)
            {
                return Long.numberOfTrailingZeros(found) >>> 3;
            }
        }
        return NOT_FOUND;
    }

    /** @return nonzero when some byte of {@code word} is below 0x0E (exact: the lowest set bit marks a true one). */
    private static long belowCr(final long word)
    {
        return (word - BELOW_CR_WORD) & ~word & HIGH_BITS;
    }

    private static long zeroBytes(final long word)
    {
        final long low = (word & LOW7) + LOW7;
        return ~(low | word | LOW7);
    }
}
