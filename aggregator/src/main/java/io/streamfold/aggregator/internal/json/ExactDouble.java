package io.streamfold.aggregator.internal.json;

/**
 * Reads a JSON number's bytes as the double Jackson gives for it, without a String, when that double is
 * certain: an integer of at most 18 digits (Jackson reads it as a long, then widens it), or a decimal whose
 * significant digits fit 15 and whose power of ten is within 22 (both exact doubles, so one division or
 * multiplication rounds correctly, as {@link Double#parseDouble} does). Anything else is left to Jackson.
 */
public final class ExactDouble
{
    /** Returned for a number this class does not convert. */
    public static final double UNSURE = Double.NaN;

    private static final double[] POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22};
    private static final int MAX_SIGNIFICANT = 15;
    private static final int MAX_LONG_DIGITS = 18;

    private ExactDouble()
    {
    }

    /**
     * @param from first byte of a number that {@link JsonBytes#numberEnd} accepts, ending at {@code to}.
     * @return its value, or {@link #UNSURE} (test with {@link Double#isNaN}).
     */
    public static double parse(final byte[] src, final int from, final int to)
    {
        int i = from;
        final boolean negative = src[i] == '-';
        if (negative)
        {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int significant = 0;
        int scale = 0;
        boolean fraction = false;
        for (; i < to; i++)
        {
            final byte b = src[i];
            if (b == '.')
            {
                fraction = true;
                continue;
            }
            if (b < '0' || b > '9')
            {
                break;
            }
            digits++;
            if (mantissa != 0 || b != '0')
            {
                significant++;
            }
            mantissa = mantissa * 10 + (b - '0');
            if (fraction)
            {
                scale++;
            }
            if (digits > MAX_LONG_DIGITS)
            {
                return UNSURE;
            }
        }
        if (i == to && !fraction)
        {
            // Jackson's integer token: a long widened to double (so "-0" is 0.0).
            return negative ? -mantissa : mantissa;
        }
        if (i < to)
        {
            // An exponent.
            i++;
            boolean negativeExponent = false;
            if (src[i] == '+' || src[i] == '-')
            {
                negativeExponent = src[i] == '-';
                i++;
            }
            if (to - i > 3)
            {
                return UNSURE;
            }
            int exponent = 0;
            for (; i < to; i++)
            {
                exponent = exponent * 10 + (src[i] - '0');
            }
            scale += negativeExponent ? exponent : -exponent;
        }
        if (significant > MAX_SIGNIFICANT || scale > 22 || scale < -22)
        {
            return UNSURE;
        }
        final double value = scale >= 0 ? mantissa / POWERS[scale] : mantissa * POWERS[-scale];
        return negative ? -value : value;
    }
}
