package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;

/** Test support: feeds Anthropic streams in chosen slices and records every listener event as text. */
public final class AnthropicStreams
{
    private AnthropicStreams()
    {
    }

    /** A folded stream: the aggregate and the listener's log. */
    public static final class Run
    {
        public final StreamAggregator aggregator;
        public final RecordingListener events;

        public Run(final StreamAggregator aggregator, final RecordingListener events)
        {
            this.aggregator = aggregator;
            this.events = events;
        }

        public Aggregate result()
        {
            return aggregator.result();
        }

        public Choice choice()
        {
            return aggregator.result().choice(0);
        }

        public String json()
        {
            return aggregator.result().toJson();
        }
    }

    public static Run whole(final byte[] bytes)
    {
        return sliced(bytes, new int[]{bytes.length}, AggregationLimits.DEFAULT, false);
    }

    public static Run whole(final String sse)
    {
        return whole(sse.getBytes(StandardCharsets.UTF_8));
    }

    public static Run byteByByte(final byte[] bytes)
    {
        final int[] sizes = new int[bytes.length];
        java.util.Arrays.fill(sizes, 1);
        return sliced(bytes, sizes, AggregationLimits.DEFAULT, false);
    }

    public static Run randomSlices(final byte[] bytes, final long seed)
    {
        final Random random = new Random(seed);
        final List<Integer> sizes = new ArrayList<>();
        int left = bytes.length;
        while (left > 0)
        {
            final int n = Math.min(left, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
            sizes.add(n);
            left -= n;
        }
        return sliced(bytes, sizes.stream().mapToInt(Integer::intValue).toArray(), AggregationLimits.DEFAULT, false);
    }

    /**
     * Feeds {@code bytes} in slices of the given sizes, each copied into a fresh array that is scribbled
     * over after the feed, so that any view kept past its call shows up as wrong output.
     */
    public static Run sliced(final byte[] bytes, final int[] sizes, final AggregationLimits limits, final boolean strict)
    {
        final RecordingListener recorder = new RecordingListener();
        final StreamAggregator aggregator = StreamAggregator.builder()
            .format(Format.ANTHROPIC).listener(recorder).limits(limits).strict(strict).build();
        int offset = 0;
        for (final int size : sizes)
        {
            final byte[] slice = new byte[size + 3];
            System.arraycopy(bytes, offset, slice, 1, size);
            aggregator.feed(slice, 1, size);
            java.util.Arrays.fill(slice, (byte)'#');
            offset += size;
        }
        aggregator.end();
        return new Run(aggregator, recorder);
    }

    public static String sse(final String... payloads)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String p : payloads)
        {
            final int typeAt = p.indexOf("\"type\":\"");
            if (typeAt >= 0 && !p.startsWith("!"))
            {
                final int start = typeAt + 8;
                sb.append("event: ").append(p, start, p.indexOf('"', start)).append('\n');
            }
            sb.append("data: ").append(p.startsWith("!") ? p.substring(1) : p).append("\n\n");
        }
        return sb.toString();
    }
}
