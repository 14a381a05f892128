package io.streamfold.aggregator.internal.json;

import io.streamfold.aggregator.AllocationCounter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeding argument fragments allocates nothing in steady state: measured in bytes with the JVM's per-thread
 * allocation counter, never with time. Starting a call (a new Jackson parser) is allowed to allocate; the
 * fragments of the call are not.
 */
class ArgumentFieldAllocationTest
{
    private static final int FRAGMENTS = 10_000;
    private static final int FRAGMENT = 16;

    @Test
    void fragmentsOfARepeatedShapeAllocateNothing()
    {
        final AllocationCounter counter = AllocationCounter.start();

        final StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; sb.length() < FRAGMENTS * FRAGMENT - 80; i++)
        {
            sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"path\":\"/tmp/caf\u00e9/\uD83D\uDE00")
                .append(i).append("\\n\",\"w\":-1.5e3,\"ok\":[true,null]}");
        }
        final char[] text = sb.append("],\"done\":true}").toString().toCharArray();
        final long[] fields = new long[1];
        final ArgumentFieldReader reader = new ArgumentFieldReader(64, 1 << 24);
        final ArgumentFieldReader.FieldHandler handler = (p, pl, t, o, l) -> fields[0] += l;
        for (int round = 0; round < 20; round++)
        {
            reader.reset(handler);
            feed(reader, text);
            reader.end();
            assertTrue(reader.isComplete(), reader.failure());
        }
        reader.reset(handler);
        fields[0] = 0;
        final long before = counter.bytes();
        feed(reader, text);
        final long after = counter.bytes();
        reader.end();
        assertTrue(reader.isComplete(), reader.failure());
        assertTrue(fields[0] > text.length, "every field reported: " + fields[0]);
        final int fragments = (text.length + FRAGMENT - 1) / FRAGMENT;
        assertTrue(fragments > FRAGMENTS - 10, fragments + " fragments");
        final double perFragment = (after - before) / (double)fragments;
        assertTrue(perFragment < 1, "allocated " + (after - before) + " bytes for " + fragments + " fragments");
    }

    private static void feed(final ArgumentFieldReader reader, final char[] text)
    {
        for (int i = 0; i < text.length; i += FRAGMENT)
        {
            reader.feed(text, i, Math.min(FRAGMENT, text.length - i));
        }
    }
}
