package io.streamfold.aggregator.internal.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/** The literal compares of a template match say what {@link Arrays#equals} says, for every length and placement. */
class TemplatePiecesProperties
{
    @Property(tries = 5000)
    void literalCompareIsArraysEquals(@ForAll final Random random)
    {
        final int n = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(TemplatePieces.SHORT + 1);
        final byte[] a = new byte[n + random.nextInt(12)];
        final byte[] b = new byte[n + random.nextInt(12)];
        // A small alphabet, so that runs agree often; then now and then one byte differs somewhere.
        for (int i = 0; i < a.length; i++)
        {
            a[i] = (byte)"\"} ".charAt(random.nextInt(3));
        }
        final int aFrom = random.nextInt(a.length - n + 1);
        final int bFrom = random.nextInt(b.length - n + 1);
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)"\"} ".charAt(random.nextInt(3));
        }
        System.arraycopy(a, aFrom, b, bFrom, n);
        if (n > 0 && random.nextBoolean())
        {
            b[bFrom + random.nextInt(n)] ^= (byte)(1 << random.nextInt(8));
        }
        final boolean expected = Arrays.equals(a, aFrom, aFrom + n, b, bFrom, bFrom + n);
        Statistics.label("equal").collect(expected);
        assertEquals(expected, n > TemplatePieces.SHORT ? TemplatePieces.sameWords(a, aFrom, b, bFrom, n) :
            TemplatePieces.sameShort(a, aFrom, b, bFrom, n), () -> n + " bytes");
    }
}
