package io.streamfold.gateway;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Objects;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;

/**
 * Pooled {@link StreamTap}s, one pool per format, so a gateway handling thousands of streams reuses each
 * tap's aggregator and buffers instead of building them per request. Thread-safe; a tap is used by one
 * stream at a time and comes back through {@link StreamTap#release()}.
 */
public final class TapPool
{
    private final AggregationLimits limits;
    private final TapClock clock;
    private final int maxIdlePerFormat;
    private final boolean keepContent;
    private final EnumMap<Format, ArrayDeque<StreamTap>> idle = new EnumMap<>(Format.class);

    /**
     * @param limits           limits of every pooled aggregator.
     * @param clock            where taps read time.
     * @param maxIdlePerFormat idle taps kept per format; more are dropped for the collector.
     */
    public TapPool(final AggregationLimits limits, final TapClock clock, final int maxIdlePerFormat)
    {
        this(limits, clock, maxIdlePerFormat, true);
    }

    /**
     * @param limits           limits of every pooled aggregator.
     * @param clock            where taps read time.
     * @param maxIdlePerFormat idle taps kept per format; more are dropped for the collector.
     * @param keepContent      false: the taps' aggregators hear every event and keep no per-token content
     *                         ({@code StreamAggregator.Builder.keepContent}); the {@link GenAiRecord} is the same
     *                         either way, since it carries no text. A gateway that records and forwards needs no more.
     */
    public TapPool(final AggregationLimits limits, final TapClock clock, final int maxIdlePerFormat, final boolean keepContent)
    {
        this.keepContent = keepContent;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxIdlePerFormat = maxIdlePerFormat;
        for (final Format f : Format.values())
        {
            idle.put(f, new ArrayDeque<>());
        }
    }

    /** A pool with default limits, the system clock and up to 1024 idle taps per format. */
    public TapPool()
    {
        this(AggregationLimits.DEFAULT, TapClock.SYSTEM, 1024);
    }

    /**
     * @param format the stream's format ({@link FormatChooser#choose}), or {@link Format#AUTO}.
     * @return a clean tap for one stream.
     */
    public StreamTap acquire(final Format format)
    {
        final ArrayDeque<StreamTap> queue = idle.get(format);
        final StreamTap tap;
        synchronized (queue)
        {
            tap = queue.pollFirst();
        }
        return tap != null ? tap : new StreamTap(this, format, limits, clock, keepContent);
    }

    /** @return the pool's clock. */
    public TapClock clock()
    {
        return clock;
    }

    void offer(final StreamTap tap)
    {
        final ArrayDeque<StreamTap> queue = idle.get(tap.requestedFormat());
        synchronized (queue)
        {
            if (queue.size() < maxIdlePerFormat)
            {
                queue.addFirst(tap);
            }
        }
    }
}
