package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Aggregate;

/**
 * Feeds a stream to an aggregator in different slicings. Every slice is copied into its own array and
 * that array is scribbled over after the call, so a view kept past a feed call shows up as wrong text.
 */
public final class ChatFeeding
{
    private ChatFeeding()
    {
    }

    public static StreamAggregator aggregator(final Format format, final StreamListener listener, final boolean strict)
    {
        return StreamAggregator.builder().format(format).listener(listener).strict(strict).build();
    }

    public static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** SSE bytes for the given data payloads, one event each, without a terminator. */
    public static String sse(final String... payloads)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String p : payloads)
        {
            sb.append("data: ").append(p).append("\n\n");
        }
        return sb.toString();
    }

    public static void feedWhole(final StreamAggregator a, final byte[] bytes)
    {
        Feeding.feedWhole(a, bytes, Feeding.Via.SCRIBBLED);
    }

    public static void feedByteByByte(final StreamAggregator a, final byte[] bytes)
    {
        Feeding.feedByteByByte(a, bytes, Feeding.Via.SCRIBBLED);
    }

    public static void feedRandomSlices(final StreamAggregator a, final byte[] bytes, final long seed)
    {
        Feeding.feedAll(a, bytes, Feeding.randomSizes(new Random(seed), 8, 400), Feeding.Via.SCRIBBLED);
    }

    public static void feedSlice(final StreamAggregator a, final byte[] bytes, final int offset, final int length)
    {
        Feeding.feed(a, bytes, offset, length, Feeding.Via.SCRIBBLED);
    }

    /** Everything a run decides, as one comparable string: outcome, errors, output JSON. */
    public static String fingerprint(final StreamAggregator a)
    {
        final Aggregate r = a.result();
        return r.outcome() + "\n" + r.errors() + "\n" + r.toJson();
    }
}
