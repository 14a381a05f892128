package io.streamfold.aggregator;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Events that differ from a good one at one place, for the tests that prove a fast path notices: one byte changed
 * (to one of the given bytes), dropped, or preceded by a run of spaces.
 */
public final class OneByte
{
    private OneByte()
    {
    }

    /** @return {@code event} changed at one random position at or after {@code from}. */
    public static byte[] changed(final byte[] event, final int from, final Random random, final byte[] replacements)
    {
        final int at = from + random.nextInt(event.length - from);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(event, 0, at);
        switch (random.nextInt(3))
        {
            case 0:
                out.write(replacements[random.nextInt(replacements.length)]);
                out.write(event, at + 1, event.length - at - 1);
                break;
            case 1:
                out.write(event, at + 1, event.length - at - 1);
                break;
            default:
                for (int k = random.nextInt(3); k >= 0; k--)
                {
                    out.write(' ');
                }
                out.write(event, at, event.length - at);
        }
        return out.toByteArray();
    }
}
