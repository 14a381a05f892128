package io.streamfold.aggregator.internal.json;

import java.util.Arrays;

/**
 * A JSON pointer (RFC 6901) built segment by segment as a reader walks into a value, and cut back to a saved
 * length as it walks out. Grows when needed; nothing is allocated per segment in steady state.
 */
final class JsonPointerBuilder
{
    private char[] chars = new char[64];
    private int length;

    /** @return the pointer's characters, valid up to {@link #length()}. */
    char[] chars()
    {
        return chars;
    }

    int length()
    {
        return length;
    }

    /** Cuts the pointer back to {@code length} characters (a length {@link #length()} returned before). */
    void truncate(final int length)
    {
        this.length = length;
    }

    /**
     * Appends the segment of the field name whose opening quote is at {@code in[quote]}, unescaped, then RFC 6901
     * escaped. The name is whole and valid JSON (the parser has read it).
     */
    void appendName(final char[] in, final int quote)
    {
        ensure(1);
        chars[length++] = '/';
        int i = quote + 1;
        while (true)
        {
            char c = in[i++];
            if (c == '"')
            {
                return;
            }
            if (c == '\\')
            {
                c = in[i++];
                switch (c)
                {
                    case 'u':
                        c = (char)((hex(in[i]) << 12) | (hex(in[i + 1]) << 8) | (hex(in[i + 2]) << 4) | hex(in[i + 3]));
                        i += 4;
                        break;
                    case 'b':
                        c = '\b';
                        break;
                    case 'f':
                        c = '\f';
                        break;
                    case 'n':
                        c = '\n';
                        break;
                    case 'r':
                        c = '\r';
                        break;
                    case 't':
                        c = '\t';
                        break;
                    default:
                        break;
                }
            }
            ensure(2);
            if (c == '~')
            {
                chars[length++] = '~';
                chars[length++] = '0';
            }
            else if (c == '/')
            {
                chars[length++] = '~';
                chars[length++] = '1';
            }
            else
            {
                chars[length++] = c;
            }
        }
    }

    private static int hex(final char c)
    {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    /** Appends an array index segment. */
    void appendIndex(final int index)
    {
        ensure(11);
        chars[length++] = '/';
        if (index == 0)
        {
            chars[length++] = '0';
            return;
        }
        int digits = 0;
        for (int v = index; v > 0; v /= 10)
        {
            digits++;
        }
        int p = length + digits;
        for (int v = index; v > 0; v /= 10)
        {
            chars[--p] = (char)('0' + v % 10);
        }
        length += digits;
    }

    private void ensure(final int more)
    {
        if (length + more > chars.length)
        {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + more));
        }
    }
}
