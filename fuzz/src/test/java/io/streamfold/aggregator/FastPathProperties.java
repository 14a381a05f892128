package io.streamfold.aggregator;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The repeated-event fast paths are proven equal to the full decoders, dialect by dialect (and a fold that drops the
 * streamed content equal, in what its listener hears, to one that keeps it): a generated stream
 * of the dialect's shape, often damaged where a fast path must notice (a byte changed, dropped or padded with
 * spaces, a garbage or repeated event), fed in random slices, folds with the fast path on exactly as with it
 * off: same written JSON, normalized view, errors (event numbers, offsets, messages) and listener deltas.
 */
class FastPathProperties
{
    /** Bytes a damaged event gets: JSON structure, string edges, escapes, whitespace, UTF-8 lead and stray bytes. */
    private static final byte[] DAMAGE = { '"', '\\', '}', '{', ',', ' ', '1', 'x', (byte)0xC3, (byte)0xFF, 0x01, '\n' };

    @Provide
    Arbitrary<StreamGenerator.Generated> chat()
    {
        return new OpenAiChatStreams().streams();
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> anthropic()
    {
        return new AnthropicMessagesStreams().streams();
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> responses()
    {
        return new OpenAiResponsesStreams().streams();
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> ollama()
    {
        return new OllamaStreams().streams();
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> bedrock()
    {
        // Longer blocks than the shared generator's: the fast path needs runs of alike text deltas.
        return new BedrockConverseStreams().streams(160);
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> gemini()
    {
        return Arbitraries.oneOf(new GeminiStreams(false).streams(), new GeminiStreams(true).streams());
    }

    @Provide
    Arbitrary<StreamGenerator.Generated> every()
    {
        final List<Arbitrary<StreamGenerator.Generated>> all = new ArrayList<>();
        StreamProperties.GENERATORS.forEach(g -> all.add(g.streams()));
        return Arbitraries.oneOf(all);
    }

    @Property(tries = 300)
    void chatFastPathIsInvisible(@ForAll("chat") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        // Up to three choices interleave: runs of one choice's alike chunks are rarer.
        check(g, random, 10);
    }

    @Property(tries = 300)
    void anthropicFastPathIsInvisible(@ForAll("anthropic") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        check(g, random, 20);
    }

    /**
     * A pooled aggregator keeps what it learnt for the next stream: the next stream (the same one damaged otherwise, or
     * another) folds after a reset exactly as with the fast path off, both streams in random slices.
     */
    @Property(tries = 300)
    void anthropicPooledFastPathIsInvisible(@ForAll("anthropic") final StreamGenerator.Generated g,
        @ForAll("anthropic") final StreamGenerator.Generated other, @ForAll final Random random)
    {
        final byte[] first = damage(g, random);
        final byte[] next = damage(random.nextBoolean() ? g : other, random);
        final long folds = AggregatorFuzzing.checkPooledFastPath(g.format(), random.nextInt(4) == 0, first, slicing(first, random), next,
            slicing(next, random));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    private static int[] slicing(final byte[] bytes, final Random random)
    {
        final int[] cuts = new int[random.nextInt(12)];
        for (int i = 0; i < cuts.length; i++)
        {
            cuts[i] = random.nextInt(bytes.length + 1);
        }
        return AggregatorFuzzing.slices(cuts, bytes.length);
    }

    @Property(tries = 300)
    void responsesFastPathIsInvisible(@ForAll("responses") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        check(g, random, 20);
    }

    @Property(tries = 300)
    void ollamaFastPathIsInvisible(@ForAll("ollama") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        check(g, random, 20);
    }

    @Property(tries = 300)
    void bedrockFastPathIsInvisible(@ForAll("bedrock") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        // Only text deltas repeat, and a message padded otherwise than the last one breaks the run.
        check(g, random, 15);
    }

    @Property(tries = 300)
    void geminiFastPathIsInvisible(@ForAll("gemini") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        // The generator interleaves two candidates, thoughts and calls: runs of alike text chunks are rarer.
        check(g, random, 10);
    }

    @Property(tries = 200)
    void everyDialectFoldsTheSameWithAndWithoutFastPaths(@ForAll("every") final StreamGenerator.Generated g,
        @ForAll final Random random)
    {
        check(g, random, 0);
    }

    /** The same damaged streams and slicings: a fold that drops the streamed content hears what the full fold hears. */
    @Property(tries = 200)
    void droppingTheContentChangesNoEvent(@ForAll("every") final StreamGenerator.Generated g, @ForAll final Random random)
    {
        final byte[] bytes = damage(g, random);
        final int[] cuts = new int[random.nextInt(12)];
        for (int i = 0; i < cuts.length; i++)
        {
            cuts[i] = random.nextInt(bytes.length + 1);
        }
        AggregatorFuzzing.checkKeepContent(g.format(), random.nextInt(4) == 0, bytes, AggregatorFuzzing.slices(cuts, bytes.length));
    }

    /** @param minFastPercent the share of streams in which the fast path must run for the property to mean something. */
    private static void check(final StreamGenerator.Generated g, final Random random, final double minFastPercent)
    {
        final byte[] bytes = damage(g, random);
        final int[] cuts = new int[random.nextInt(12)];
        for (int i = 0; i < cuts.length; i++)
        {
            cuts[i] = random.nextInt(bytes.length + 1);
        }
        final int[] ends = AggregatorFuzzing.slices(cuts, bytes.length);
        final boolean strict = random.nextInt(4) == 0;
        final long folds = AggregatorFuzzing.checkFastPath(g.format(), strict, bytes, ends);
        if (minFastPercent > 0)
        {
            // Only meaningful when the fast path really runs on a good share of the streams.
            Statistics.label("fast path taken").collect(folds > 0);
            Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > minFastPercent));
        }
    }

    /** Half the streams as generated; the others with one kind of damage at a random event. */
    private static byte[] damage(final StreamGenerator.Generated g, final Random random)
    {
        final List<byte[]> events = new ArrayList<>(g.events());
        if (random.nextBoolean() || events.isEmpty())
        {
            return concat(events);
        }
        final int at = random.nextInt(events.size());
        final byte[] event = events.get(at);
        switch (random.nextInt(5))
        {
            case 0:
                events.add(at, event.clone());
                break;
            case 1:
                events.add(at, g.generator().garbageEvent().sample());
                break;
            default:
            {
                // One byte changed, dropped, or a run of spaces put in, somewhere in the event.
                final int pos = random.nextInt(event.length);
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(event, 0, pos);
                final int kind = random.nextInt(3);
                if (kind == 0)
                {
                    out.write(DAMAGE[random.nextInt(DAMAGE.length)]);
                    out.write(event, pos + 1, event.length - pos - 1);
                }
                else if (kind == 1)
                {
                    out.write(event, pos + 1, event.length - pos - 1);
                }
                else
                {
                    for (int k = random.nextInt(8); k >= 0; k--)
                    {
                        out.write(' ');
                    }
                    out.write(event, pos, event.length - pos);
                }
                events.set(at, out.toByteArray());
            }
        }
        return concat(events);
    }

    private static byte[] concat(final List<byte[]> events)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        events.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
