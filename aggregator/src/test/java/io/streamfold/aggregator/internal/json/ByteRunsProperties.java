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

    /** A run checked whole (an event's last padding, whose end is known) is whitespace exactly when a byte loop says so. */
    @Property(tries = 5000)
    void whitespaceRunCheckedWholeAgreesWithAByteLoop(@ForAll final Random random)
    {
        final byte[] src = new byte[random.nextInt(40) + 1];
        for (int i = 0; i < src.length; i++)
        {
            final int pick = random.nextInt(30);
            src[i] = pick < 25 ? (byte)' ' : pick == 25 ? (byte)'\t' : pick == 26 ? (byte)'\n' : pick == 27 ? (byte)'\r' :
                AFTER[random.nextInt(AFTER.length)];
        }
        final int from = random.nextInt(src.length + 1);
        // Mostly a short run (two words or less), now and then an end before the start (the event too short).
        final int to = random.nextInt(8) == 0 ? random.nextInt(src.length + 1) : from + random.nextInt(Math.min(18, src.length - from) + 1);
        boolean expected = to >= from;
        for (int i = from; i < to; i++)
        {
            expected &= src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r';
        }
        Statistics.label("run").collect(to < from ? "negative" : to - from > 16 ? "longer" : expected ? "whitespace" : "not");
        assertEquals(expected, JsonBytes.isWhitespaceRun(src, from, to));
    }

    /** Bytes around the edges of what a string run crosses as itself, beside the base64 and text it mostly holds. */
    private static final byte[] EDGES = { 0, 0x1F, ' ', '!', '"', '#', '[', '\\', ']', 0x7F, (byte)0x80, (byte)0xC3, (byte)0xFF };
    private static final byte[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Property(tries = 5000)
    void plainAsciiRunEndsWhereAByteLoopEnds(@ForAll final Random random)
    {
        final byte[] src = new byte[random.nextInt(400) + 1];
        // Long base64 runs (opaque values), text with spaces, or both; an edge byte now and then, mostly rarely.
        final int edgeOdds = 1 + random.nextInt(random.nextBoolean() ? 400 : 40);
        final int spaceOdds = random.nextBoolean() ? 0 : 1 + random.nextInt(12);
        for (int i = 0; i < src.length; i++)
        {
            src[i] = random.nextInt(edgeOdds) == 0 ? EDGES[random.nextInt(EDGES.length)] :
                spaceOdds > 0 && random.nextInt(spaceOdds) == 0 ? (byte)' ' : BASE64[random.nextInt(BASE64.length)];
        }
        final int from = random.nextInt(src.length + 1);
        final int limit = from + random.nextInt(src.length - from + 1);
        int expected = from;
        while (expected < limit && src[expected] >= 0x20 && src[expected] != '"' && src[expected] != '\\')
        {
            expected++;
        }
        Statistics.label("run").collect(expected - from < 32 ? "short" : expected - from < 128 ? "a few tests" : "long");
        assertEquals(expected, ByteRuns.plainAsciiEnd(src, from, limit));
    }

    /** Bytes above the space are counted eight at a time as a byte loop counts them, wherever the range starts and ends. */
    @Property(tries = 5000)
    void bytesAboveTheSpaceCountAsAByteLoopCountsThem(@ForAll final Random random)
    {
        final byte[] src = new byte[random.nextInt(80) + 1];
        for (int i = 0; i < src.length; i++)
        {
            src[i] = random.nextInt(3) == 0 ? EDGES[random.nextInt(EDGES.length)] : (byte)random.nextInt(256);
        }
        final int from = random.nextInt(src.length + 1);
        final int to = from + random.nextInt(src.length - from + 1);
        int expected = 0;
        for (int i = from; i < to; i++)
        {
            expected += (src[i] & 0xFF) > ' ' ? 1 : 0;
        }
        assertEquals(expected, ByteRuns.countAboveSpace(src, from, to));
    }
}
