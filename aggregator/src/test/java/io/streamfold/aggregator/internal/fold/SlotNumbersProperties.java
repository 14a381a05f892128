package io.streamfold.aggregator.internal.fold;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.internal.json.JsonBytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An integer slot read a word at a time (digits counted and valued eight at a time) against a plain reading: numbers of
 * every length up to twenty digits, signs, leading zeros, fractions and exponents after them, at every offset, with the
 * input ending anywhere after the number's first byte.
 */
class SlotNumbersProperties
{
    private static final String[] AFTER = {",", "}", "]", ".5", "e3", "E-1", "x", " ", "", ",\"created\":1712154497}"};

    @Property(tries = 5000)
    void anIntegerReadsAsThePlainReadingDoes(@ForAll final Random random)
    {
        final StringBuilder number = new StringBuilder(random.nextInt(4) == 0 ? "-" : "");
        final int digits = random.nextInt(6) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 20 : 10);
        for (int d = 0; d < digits; d++)
        {
            number.append((char)('0' + (d == 0 && random.nextInt(5) > 0 ? 1 + random.nextInt(9) : random.nextInt(10))));
        }
        final String pad = "x".repeat(random.nextInt(9));
        final byte[] src = (pad + number + AFTER[random.nextInt(AFTER.length)] + "}".repeat(random.nextInt(20)))
            .getBytes(StandardCharsets.US_ASCII);
        final int from = pad.length();
        if (from >= src.length)
        {
            return;
        }
        final int limit = random.nextInt(3) == 0 ? from + 1 + random.nextInt(src.length - from) : src.length;
        final SlotNumbers numbers = new SlotNumbers();
        numbers.ensure(0, EventShape.INTEGER);
        final int end = numbers.integer(0, src, from, limit);
        final long[] expected = plain(src, from, limit);
        Statistics.label("read").collect(end >= 0);
        assertEquals(expected[0], end, () -> new String(src, StandardCharsets.US_ASCII) + " to " + limit);
        if (end >= 0)
        {
            assertEquals(expected[1], numbers.integer(0));
        }
    }

    /** @return the end and value of at most 18 digits with an optional minus, no leading zero, no fraction or exponent after. */
    private static long[] plain(final byte[] src, final int from, final int limit)
    {
        int i = from;
        final boolean negative = src[i] == '-';
        if (negative)
        {
            i++;
        }
        final int first = i;
        while (i < limit && src[i] >= '0' && src[i] <= '9')
        {
            i++;
        }
        final int n = i - first;
        if (n == 0 || n > 18 || (src[first] == '0' && n > 1) || (i < limit && (src[i] == '.' || src[i] == 'e' || src[i] == 'E')))
        {
            return new long[] {JsonBytes.REFUSED, 0};
        }
        final long v = Long.parseLong(new String(src, first, n, StandardCharsets.US_ASCII));
        return new long[] {i, negative ? -v : v};
    }
}
