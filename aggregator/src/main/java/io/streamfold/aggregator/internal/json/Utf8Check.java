package io.streamfold.aggregator.internal.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Well-formedness of UTF-8 as Unicode chapter 3, table 3-7 defines it: no overlong forms, no encoded
 * surrogates, nothing above U+10FFFF, no stray continuation bytes, no truncated sequences. Lenient decoders
 * (Jackson's among them) turn some of these into real characters ({@code C0 AF} into {@code /}), so every
 * event is checked before it is decoded and one that is not well-formed is refused whole.
 *
 * <p>Streams are mostly ASCII: eight bytes are tested at a time, and only runs with a high bit set go through
 * the table.
 */
public final class Utf8Check
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Check()
    {
    }

    /**
     * @param bytes  the array.
     * @param offset first byte to check.
     * @param length number of bytes to check.
     * @return the index in {@code bytes} of the first byte of the first ill-formed sequence, or -1 when
     * the range is well-formed UTF-8.
     */
    public static int firstMalformed(final byte[] bytes, final int offset, final int length)
    {
        final int limit = offset + length;
        int i = offset;
        while (i < limit)
        {
            // Four words a test across long ASCII runs (a signature, rendered HTML): the loop's cost is its branch.
            while (i + 32 <= limit &&
                ((((long)LONGS.get(bytes, i)) | ((long)LONGS.get(bytes, i + 8)) | ((long)LONGS.get(bytes, i + 16)) |
                ((long)LONGS.get(bytes, i + 24))) & HIGH_BITS) == 0)
            {
                i += 32;
            }
            if (i >= limit)
            {
                break;
            }
            if (i + 8 <= limit)
            {
                if ((((long)LONGS.get(bytes, i)) & HIGH_BITS) == 0)
                {
                    i += 8;
                    continue;
                }
            }
            final int b = bytes[i];
            if (b >= 0)
            {
                i++;
                continue;
            }
            final int next = sequenceEnd(bytes, i, limit);
            if (next < 0)
            {
                return i;
            }
            i = next;
        }
        return -1;
    }

    /**
     * @return a short description of the ill-formed sequence at {@code at}, its bytes in hex (at most four).
     */
    public static String describe(final byte[] bytes, final int at, final int limit)
    {
        final StringBuilder sb = new StringBuilder();
        final int end = Math.min(limit, at + 4);
        for (int i = at; i < end; i++)
        {
            if (i > at && (bytes[i] & 0xC0) != 0x80)
            {
                break;
            }
            if (sb.length() > 0)
            {
                sb.append(' ');
            }
            final int v = bytes[i] & 0xFF;
            sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 0xF, 16));
        }
        return sb.toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** @return the index after the well-formed multi-byte sequence whose lead byte is at {@code i}, or -1. */
    private static int sequenceEnd(final byte[] bytes, final int i, final int limit)
    {
        final int lead = bytes[i] & 0xFF;
        final int length;
        // Table 3-7: the second byte's range depends on the lead; the bytes after it are plain continuations.
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF)
        {
            length = 2;
        }
        else if (lead >= 0xE0 && lead <= 0xEF)
        {
            length = 3;
            min = lead == 0xE0 ? 0xA0 : min;
            max = lead == 0xED ? 0x9F : max;
        }
        else if (lead >= 0xF0 && lead <= 0xF4)
        {
            length = 4;
            min = lead == 0xF0 ? 0x90 : min;
            max = lead == 0xF4 ? 0x8F : max;
        }
        else
        {
            // 80..C1 (a stray continuation or an overlong two-byte lead) and F5..FF never start a sequence.
            return -1;
        }
        if (i + length > limit)
        {
            return -1;
        }
        final int second = bytes[i + 1] & 0xFF;
        if (second < min || second > max)
        {
            return -1;
        }
        for (int k = 2; k < length; k++)
        {
            if (!isContinuation(bytes[i + k]))
            {
                return -1;
            }
        }
        return i + length;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
