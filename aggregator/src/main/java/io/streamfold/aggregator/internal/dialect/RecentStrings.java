package io.streamfold.aggregator.internal.dialect;

import java.nio.charset.StandardCharsets;

/**
 * The last few distinct strings {@link FormatSniffer} needed as {@link String}s (event names, JSON {@code type}
 * and {@code object} values, which {@link FormatHints} take): a pooled aggregator detects the same provider
 * stream after stream, so the same handful recur and are handed back instead of decoded anew.
 */
final class RecentStrings
{
    private static final int SIZE = 8;

    private final String[] strings = new String[SIZE];
    private int next;

    /** @return the characters as a String, a recent instance when one has them. */
    String of(final char[] chars, final int offset, final int length)
    {
        for (final String s : strings)
        {
            if (s != null && equal(s, chars, offset, length))
            {
                return s;
            }
        }
        return remember(new String(chars, offset, length));
    }

    /** @return the UTF-8 bytes decoded, a recent instance when one has them. */
    String decode(final byte[] bytes, final int offset, final int length)
    {
        for (final String s : strings)
        {
            if (s != null && equalAscii(s, bytes, offset, length))
            {
                return s;
            }
        }
        return remember(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    private String remember(final String s)
    {
        strings[next] = s;
        next = (next + 1) % SIZE;
        return s;
    }

    private static boolean equal(final String s, final char[] chars, final int offset, final int length)
    {
        if (s.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (s.charAt(i) != chars[offset + i])
            {
                return false;
            }
        }
        return true;
    }

    /** Only ASCII bytes match: anything else is decoded (and compares unequal here, so it is never mistaken). */
    private static boolean equalAscii(final String s, final byte[] bytes, final int offset, final int length)
    {
        if (s.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = bytes[offset + i];
            if (b < 0 || s.charAt(i) != b)
            {
                return false;
            }
        }
        return true;
    }
}
