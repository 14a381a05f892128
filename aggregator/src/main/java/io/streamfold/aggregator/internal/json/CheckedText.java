package io.streamfold.aggregator.internal.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether a checked JSON string body decodes to given characters, found without decoding it: a done event's text is
 * nearly always exactly what its deltas gave, and decoding it only to compare the result (the text decoded, copied,
 * then compared, three passes over thousands of characters) costs more than reading it once against the part.
 *
 * <p>It answers for bytes an event's check accepted (well-formed UTF-8, valid escapes, no control bytes), and decodes
 * them as {@code StringDecoder} does: a multi-byte sequence is one character (a four-byte one a surrogate pair), an
 * escape one ({@code \}{@code uXXXX} one UTF-16 unit, lone surrogates included).
 */
public final class CheckedText
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private CheckedText()
    {
    }

    /**
     * @param chars the characters, {@code n} of them.
     * @param from  index just past the string's opening quote, in bytes a check accepted as a JSON string.
     * @param to    index of its closing quote.
     * @return whether {@code src[from, to)} decodes to exactly {@code chars[0, n)}.
     */
    public static boolean decodesTo(final char[] chars, final int n, final byte[] src, final int from, final int to)
    {
        int i = from;
        int j = 0;
        while (i < to)
        {
            // Eight plain ASCII bytes (no high bit, no backslash) against eight characters at once.
            if (to - i >= Long.BYTES && n - j >= Long.BYTES)
            {
                final long w = (long)LONGS.get(src, i);
                final long x = w ^ BACKSLASHES;
                final long special = (w | ((x - ONES) & ~x)) & HIGHS;
                if (special == 0)
                {
                    long packed = 0;
                    int wide = 0;
                    for (int k = 0; k < Long.BYTES; k++)
                    {
                        final char c = chars[j + k];
                        wide |= c;
                        packed |= (long)c << (k << 3);
                    }
                    if (wide >= 0x80 || packed != w)
                    {
                        return false;
                    }
                    i += Long.BYTES;
                    j += Long.BYTES;
                    continue;
                }
                // The plain bytes before the first special one (the test's lowest set bit is exact), each against
                // its character, then that byte below: the word is not tested again for every byte up to it.
                for (int k = Long.numberOfTrailingZeros(special) >>> 3; k > 0; k--)
                {
                    if (chars[j++] != src[i++])
                    {
                        return false;
                    }
                }
            }
            if (j >= n)
            {
                return false;
            }
            final int b = src[i];
            if (b == '\\')
            {
                if (chars[j++] != StringDecoder.escaped(src, i + 1))
                {
                    return false;
                }
                i = src[i + 1] == 'u' ? i + 6 : i + 2;
            }
            else if (b >= 0)
            {
                if (chars[j++] != b)
                {
                    return false;
                }
                i++;
            }
            else
            {
                final int lead = b & 0xFF;
                if (lead < 0xE0)
                {
                    if (chars[j++] != (((lead & 0x1F) << 6) | (src[i + 1] & 0x3F)))
                    {
                        return false;
                    }
                    i += 2;
                }
                else if (lead < 0xF0)
                {
                    if (chars[j++] != (((lead & 0x0F) << 12) | ((src[i + 1] & 0x3F) << 6) | (src[i + 2] & 0x3F)))
                    {
                        return false;
                    }
                    i += 3;
                }
                else
                {
                    final int cp = ((lead & 0x07) << 18) | ((src[i + 1] & 0x3F) << 12) | ((src[i + 2] & 0x3F) << 6) | (src[i + 3] & 0x3F);
                    if (j + 1 >= n || chars[j] != Character.highSurrogate(cp) || chars[j + 1] != Character.lowSurrogate(cp))
                    {
                        return false;
                    }
                    j += 2;
                    i += 4;
                }
            }
        }
        return j == n;
    }
}
