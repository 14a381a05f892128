package io.streamfold.aggregator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.StreamError;

/**
 * One stream folded with a dialect's fast path on or off, for the tests that prove the two equal: everything a
 * caller can observe (written JSON, normalized view, errors with their event numbers and offsets, outcome,
 * listener events) and how many events the fast path folded.
 */
public final class FastPathRun
{
    public String json;
    public String normalized;
    public final List<String> errors = new ArrayList<>();
    public Outcome outcome;
    public List<String> events;
    public long folds;

    private FastPathRun()
    {
    }

    /**
     * Feeds {@code stream} whole when {@code seed} is 0, else in random slices of up to 16 or 4096 bytes drawn
     * from {@code seed}: through direct buffers when {@code direct}, else through arrays with bytes around each
     * slice that are overwritten once it is fed (nothing may keep a reference to the caller's array).
     */
    public static FastPathRun of(
        final Format format, final byte[] stream, final AggregationLimits limits, final boolean strict, final boolean direct,
        final long seed, final boolean fastPath)
    {
        return of(format, stream, limits, strict, direct, seed, fastPath, true);
    }

    /** As above; without a listener when not {@code listening} (a fast path may skip what only a listener hears). */
    public static FastPathRun of(
        final Format format, final byte[] stream, final AggregationLimits limits, final boolean strict, final boolean direct,
        final long seed, final boolean fastPath, final boolean listening)
    {
        final RecordingListener listener = new RecordingListener();
        final StreamAggregator aggregator = StreamAggregator.builder()
            .format(format).listener(listening ? listener : StreamListener.NONE).limits(limits).strict(strict).build();
        aggregator.dialect().fastPath(fastPath);
        final Feeding.Via via = direct ? Feeding.Via.DIRECT : Feeding.Via.SCRIBBLED;
        if (seed == 0)
        {
            Feeding.feedWhole(aggregator, stream, via);
        }
        else
        {
            Feeding.feedAll(aggregator, stream, Feeding.randomSizes(new Random(seed), 16, 4096), via);
        }
        aggregator.end();
        final Aggregate result = aggregator.result();
        final FastPathRun run = new FastPathRun();
        run.json = result.toJson();
        run.normalized = result.toNormalizedJson();
        for (final StreamError e : result.errors())
        {
            run.errors.add(e.kind() + " " + e.eventNumber() + " " + e.byteOffset() + " " + e.message());
        }
        run.outcome = result.outcome();
        run.events = listener.events;
        run.folds = aggregator.dialect().fastFolds();
        return run;
    }

    /** @return events the aggregator's repeated-event fast path has folded since it was built (resets keep counting). */
    public static long fastFolds(final StreamAggregator aggregator)
    {
        return aggregator.dialect().fastFolds();
    }

    /**
     * Folds {@code stream} with the fast path off and on, fed whole, then in random slices through arrays, then
     * through direct buffers (slices drawn from {@code random}), asserting each time that both show the same.
     *
     * @param shown what a failure prints to tell the stream
     * @return the events the fast path folded, over the three feedings
     */
    public static long assertSameFedEveryWay(final Format format, final byte[] stream, final Random random, final String shown)
    {
        long folds = 0;
        for (int feeding = 0; feeding < 3; feeding++)
        {
            final long slices = feeding == 0 ? 0 : random.nextLong() | 1;
            final FastPathRun full = of(format, stream, AggregationLimits.DEFAULT, false, feeding == 2, slices, false);
            final FastPathRun fast = of(format, stream, AggregationLimits.DEFAULT, false, feeding == 2, slices, true);
            assertSame(full, fast, "feeding " + feeding + ":\n" + shown);
            folds += fast.folds;
        }
        return folds;
    }

    /**
     * Folds {@code stream} with the fast path off and on under {@code limits}, strict one time in four, fed whole or
     * in random slices (through direct buffers one time in four), all drawn from {@code random}; asserts both show
     * the same and the fast path reported no internal error.
     *
     * @param shown what a failure prints to tell the stream
     * @return the events the fast path folded (a property's coverage statistic)
     */
    public static long assertSameDrawn(
        final Format format, final byte[] stream, final AggregationLimits limits, final Random random, final String shown)
    {
        return assertSameDrawn(format, stream, limits, random, true, shown);
    }

    /** As {@link #assertSameDrawn(Format, byte[], AggregationLimits, Random, String)} (which listens), a listener attached only when {@code listening}. */
    public static long assertSameDrawn(final Format format, final byte[] stream, final AggregationLimits limits, final Random random,
        final boolean listening, final String shown)
    {
        final boolean strict = random.nextInt(4) == 0;
        final boolean direct = random.nextInt(4) == 0;
        final long seed = random.nextInt(3) == 0 ? 0 : random.nextLong();
        final FastPathRun full = of(format, stream, limits, strict, direct, seed, false, listening);
        final FastPathRun fast = of(format, stream, limits, strict, direct, seed, true, listening);
        assertSame(full, fast, shown);
        for (final String e : fast.errors)
        {
            org.junit.jupiter.api.Assertions.assertFalse(e.contains(InternalErrors.PREFIX), e);
        }
        return fast.folds;
    }

    /** Asserts that {@code fast} shows what {@code full} shows, and that {@code full} ran without the fast path. */
    public static void assertSame(final FastPathRun full, final FastPathRun fast, final String where)
    {
        org.junit.jupiter.api.Assertions.assertEquals(0, full.folds, where + ": the switch turns the fast path off");
        org.junit.jupiter.api.Assertions.assertEquals(full.json, fast.json, where + ": toJson");
        org.junit.jupiter.api.Assertions.assertEquals(full.normalized, fast.normalized, where + ": toNormalizedJson");
        org.junit.jupiter.api.Assertions.assertEquals(full.errors, fast.errors, where + ": errors");
        org.junit.jupiter.api.Assertions.assertEquals(full.outcome, fast.outcome, where + ": outcome");
        org.junit.jupiter.api.Assertions.assertEquals(full.events, fast.events, where + ": listener events");
    }

    /**
     * Asserts that {@code bytes} fold the same with the fast path (and the byte scans it turns on) as without, under
     * each of {@code limits}, fed whole and in random slices, the last through direct buffers.
     */
    public static void assertInvisible(final Format format, final byte[] bytes, final String name, final AggregationLimits... limits)
    {
        for (final AggregationLimits l : limits)
        {
            for (int seed = 0; seed < 4; seed++)
            {
                final FastPathRun full = of(format, bytes, l, false, seed == 3, seed, false);
                final FastPathRun fast = of(format, bytes, l, false, seed == 3, seed, true);
                assertSame(full, fast, name + " seed " + seed + " " + l);
            }
        }
    }

    /** @return the UTF-8 of {@code text}, with each {@code %XX} written as the raw byte XX (for ill-formed UTF-8). */
    public static byte[] rawBytes(final String text)
    {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < utf8.length; i++)
        {
            if (utf8[i] == '%')
            {
                out.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            }
            else
            {
                out.write(utf8[i]);
            }
        }
        return out.toByteArray();
    }
}
