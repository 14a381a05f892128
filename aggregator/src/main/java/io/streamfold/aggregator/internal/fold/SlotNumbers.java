package io.streamfold.aggregator.internal.fold;

import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;

/**
 * The integer and integer-array slots of an {@link EventTemplate}: each value read in one pass over its digits,
 * kept per slot until the next match.
 */
final class SlotNumbers
{
    private static final int MAX_INTEGER_DIGITS = 18;
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    private long[] integers = new long[4];
    private long[][] integerArrays = new long[4][];
    private int[] integerArrayCounts = new int[4];

    /** Makes room for slot {@code slot} of type {@code type}. */
    void ensure(final int slot, final int type)
    {
        if (slot >= integers.length)
        {
            final int n = Math.max(slot + 1, integers.length * 2);
            integers = Arrays.copyOf(integers, n);
            integerArrays = Arrays.copyOf(integerArrays, n);
            integerArrayCounts = Arrays.copyOf(integerArrayCounts, n);
        }
        if (type == EventShape.INTEGER_ARRAY && integerArrays[slot] == null)
        {
            integerArrays[slot] = new long[8];
        }
    }

    long integer(final int slot)
    {
        return integers[slot];
    }

    long[] integers(final int slot)
    {
        return integerArrays[slot];
    }

    int integerCount(final int slot)
    {
        return integerArrayCounts[slot];
    }

    /**
     * Reads a JSON integer of at most {@link #MAX_INTEGER_DIGITS} digits into slot {@code slot}.
     *
     * @return the index just past it, or {@link JsonBytes#REFUSED} (a fraction, an exponent, a longer number).
     */
    int integer(final int slot, final byte[] src, final int from, final int limit)
    {
        int i = from;
        final boolean negative = src[i] == '-';
        if (negative)
        {
            i++;
        }
        if (i + 16 <= limit)
        {
            // Two words in the input (the event goes on past the number): digits counted and valued a word at a time.
            final int n = JsonBytes.digitsInWord(src, i);
            final long v;
            final int end;
            if (n < 8)
            {
                if (n == 0 || (n > 1 && src[i] == '0'))
                {
                    return JsonBytes.REFUSED;
                }
                v = JsonBytes.digitsValue(src, i, n);
                end = i + n;
            }
            else
            {
                final int m = JsonBytes.digitsInWord(src, i + 8);
                if (src[i] == '0' || m == 8)
                {
                    // A leading zero, or sixteen digits and more: refused by the loop below.
                    return integerByDigits(slot, src, i, limit, negative);
                }
                v = m == 0 ? JsonBytes.digitsValue(src, i, 8) :
                    JsonBytes.digitsValue(src, i, 8) * POWERS_OF_TEN[m] + JsonBytes.digitsValue(src, i + 8, m);
                end = i + 8 + m;
            }
            if (src[end] == '.' || src[end] == 'e' || src[end] == 'E')
            {
                return JsonBytes.REFUSED;
            }
            integers[slot] = negative ? -v : v;
            return end;
        }
        return integerByDigits(slot, src, i, limit, negative);
    }

    /** {@link #integer} one digit at a time, from its first digit at {@code i}. */
    private int integerByDigits(final int slot, final byte[] src, final int i, final int limit, final boolean negative)
    {
        // Digits read and valued in one pass; one digit too many is enough to refuse, before a long could overflow.
        final int most = Math.min(limit, i + MAX_INTEGER_DIGITS + 1);
        long v = 0;
        int digits = i;
        while (digits < most)
        {
            final int d = src[digits] - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            v = v * 10 + d;
            digits++;
        }
        final int n = digits - i;
        if (n == 0 || n > MAX_INTEGER_DIGITS || (src[i] == '0' && n > 1))
        {
            return JsonBytes.REFUSED;
        }
        if (digits < limit && (src[digits] == '.' || src[digits] == 'e' || src[digits] == 'E'))
        {
            return JsonBytes.REFUSED;
        }
        integers[slot] = negative ? -v : v;
        return digits;
    }

    /**
     * Reads a JSON array of such integers into slot {@code slot}.
     *
     * @return the index just past it, or {@link JsonBytes#REFUSED}.
     */
    int integerArray(final int slot, final byte[] src, final int from, final int limit)
    {
        if (src[from] != '[')
        {
            return JsonBytes.REFUSED;
        }
        long[] values = integerArrays[slot];
        int count = 0;
        int i = JsonBytes.skipWhitespace(src, from + 1, limit);
        if (i < limit && src[i] == ']')
        {
            integerArrayCounts[slot] = 0;
            return i + 1;
        }
        while (i < limit)
        {
            final int next = integer(slot, src, i, limit);
            if (next < 0)
            {
                return JsonBytes.REFUSED;
            }
            if (count == values.length)
            {
                values = Arrays.copyOf(values, count * 2);
                integerArrays[slot] = values;
            }
            values[count++] = integers[slot];
            i = JsonBytes.skipWhitespace(src, next, limit);
            if (i >= limit)
            {
                break;
            }
            if (src[i] == ']')
            {
                integerArrayCounts[slot] = count;
                return i + 1;
            }
            if (src[i] != ',')
            {
                break;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
        }
        return JsonBytes.REFUSED;
    }
}
