package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

/**
 * UTF-8 decoding as the WHATWG Encoding Standard's "UTF-8 decode" does it: each maximal invalid
 * subpart becomes one U+FFFD, never an exception. Java's own decoder is not used so the replacement
 * rule is the spec's, exactly, on every JDK.
 */
public final class Utf8
{
    /** U+FFFD REPLACEMENT CHARACTER. */
    public static final char REPLACEMENT = '\uFFFD';

    private Utf8()
    {
    }

    /**
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the decoded text.
     */
    public static String decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(length);
        decode(buffer, offset, length, sb);
        return sb.toString();
    }

    /**
     * Decodes into {@code out}, appending.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @param out    where the characters go.
     */
    public static void decode(final DirectBuffer buffer, final int offset, final int length, final StringBuilder out)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b0 = buffer.getByte(i) & 0xFF;
            if (b0 < 0x80)
            {
                out.append((char)b0);
                i++;
                continue;
            }

            final int needed;
            int codePoint;
            int lower = 0x80;
            int upper = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                needed = 1;
                codePoint = b0 & 0x1F;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                needed = 2;
                codePoint = b0 & 0x0F;
                if (b0 == 0xE0)
                {
                    lower = 0xA0;
                }
                else if (b0 == 0xED)
                {
                    upper = 0x9F;
                }
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                needed = 3;
                codePoint = b0 & 0x07;
                if (b0 == 0xF0)
                {
                    lower = 0x90;
                }
                else if (b0 == 0xF4)
                {
                    upper = 0x8F;
                }
            }
            else
            {
                out.append(REPLACEMENT);
                i++;
                continue;
            }

            int j = i + 1;
            int seen = 0;
            while (seen < needed)
            {
                if (j >= end)
                {
                    break;
                }
                final int b = buffer.getByte(j) & 0xFF;
                if (b < lower || b > upper)
                {
                    break;
                }
                lower = 0x80;
                upper = 0xBF;
                codePoint = (codePoint << 6) | (b & 0x3F);
                j++;
                seen++;
            }

            if (seen < needed)
            {
                // The maximal subpart (lead plus the valid continuations seen) becomes one U+FFFD; the
                // offending byte is examined again as the start of the next sequence.
                out.append(REPLACEMENT);
                i = j;
                continue;
            }

            out.appendCodePoint(codePoint);
            i = j;
        }
    }
}
