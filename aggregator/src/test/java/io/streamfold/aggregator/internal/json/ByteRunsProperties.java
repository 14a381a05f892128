package io.streamfold.aggregator.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The scans that cross a run eight bytes at a time end where a byte-by-byte reading ends, whatever the run's length,
 * wherever it starts in a word and wherever the limit cuts it.
 */
class ByteRunsProperties
{
    private static final byte[] AFTER = { '}', ',', '"', 'x', 0, 0x1F, 0x21, (byte)0x80, (byte)0xA0, (byte)0xFF, 0x7F };

    @Property(tries = 5000)
    void whitespaceEndsWhereAByteLoopEnds(@ForAll final Random random)
    {
        final byte[] src = new byte[random.nextInt(64) + 1];
        for (int i = 0; i < src.length; i++)
        {
            // Runs of spaces mostly (padding), now and then other whitespace or a byte close to a space.
            final int pick = random.nextInt(24);
            src[i] = pick < 17 ? (byte)' ' : pick == 17 ? (byte)'\t' : pick == 18 ? (byte)'\n' : pick == 19 ? (byte)'\r' :
                AFTER[random.nextInt(AFTER.length)];
        }
        final int from = random.nextInt(src.length + 1);
        final int limit = from + random.nextInt(src.length - from + 1);
        int expected = from;
        while (expected < limit && (src[expected] == ' ' || src[expected] == '\t' || src[expected] == '\n' || src[expected] == '\r'))
        {
            expected++;
        }
        Statistics.label("run").collect(expected - from == 0 ? "none" : expected - from < 8 ? "short" : "a word or more");
        assertEquals(expected, JsonBytes.skipWhitespace(src, from, limit));
    }
}
