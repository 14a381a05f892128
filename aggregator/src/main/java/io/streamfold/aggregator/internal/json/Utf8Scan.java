package io.streamfold.aggregator.internal.json;

/**
 * Strict UTF-8: one multi-byte sequence at a time, refusing overlong forms, encoded surrogates, code points
 * past U+10FFFF and cut sequences, so that what is accepted decodes the same way in every reader.
 */
public final class Utf8Scan
{
    private Utf8Scan()
    {
    }

    /**
     * @param at index of a lead byte of 0x80 or more.
     * @return the index past the sequence, or {@link JsonBytes#REFUSED}.
     */
    public static int sequenceEnd(final byte[] src, final int at, final int limit)
    {
        final int cp = codePoint(src, at, limit);
        return cp < 0 ? JsonBytes.REFUSED : at + length(cp);
    }

    /**
     * @param at index of a lead byte of 0x80 or more.
     * @return the code point of the sequence at {@code at}, or -1 when it is not well-formed.
     */
    public static int codePoint(final byte[] src, final int at, final int limit)
    {
        final int lead = src[at] & 0xFF;
        if (lead < 0xC2 || lead > 0xF4)
        {
            return -1;
        }
        if (lead < 0xE0)
        {
            return at + 1 < limit && isContinuation(src[at + 1]) ? ((lead & 0x1F) << 6) | (src[at + 1] & 0x3F) : -1;
        }
        if (lead < 0xF0)
        {
            if (at + 2 >= limit || !isContinuation(src[at + 1]) || !isContinuation(src[at + 2]))
            {
                return -1;
            }
            final int cp = ((lead & 0x0F) << 12) | ((src[at + 1] & 0x3F) << 6) | (src[at + 2] & 0x3F);
            // Below U+0800 is overlong; U+D800..U+DFFF are surrogates, never encoded in UTF-8.
            return cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ? -1 : cp;
        }
        if (at + 3 >= limit || !isContinuation(src[at + 1]) || !isContinuation(src[at + 2]) || !isContinuation(src[at + 3]))
        {
            return -1;
        }
        final int cp = ((lead & 0x07) << 18) | ((src[at + 1] & 0x3F) << 12) | ((src[at + 2] & 0x3F) << 6) | (src[at + 3] & 0x3F);
        return cp < 0x10000 || cp > 0x10FFFF ? -1 : cp;
    }

    /** @return the encoded length of a code point of U+0080 or more. */
    public static int length(final int cp)
    {
        return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
