package io.streamfold.aggregator.internal.dialect.openai.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.InternalErrors;

/**
 * The framer's line-end hint ({@code DataLineHint}, answered by {@link ChunkTemplate#matchLine}): a data line
 * whose value repeats the learnt chunk is not scanned for its end, and the fold of its frame reuses the match.
 * Whatever the SSE around the chunks (CR, LF or CRLF line ends, fields before and after the data line, comments,
 * a chunk split over two data lines, a raw CR or LF inside the JSON, {@code data:} with or without its space)
 * and however the bytes are sliced, the fast path gives what the full path gives.
 */
class DataLineHintProperties
{
    private static final String[] ENDS = {"\n", "\r", "\r\n"};

    @Property(tries = 300)
    void hintedLinesFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        // The one-string template's chunks, or those of the shared EventTemplate (token ids, logprob entries, usage).
        final byte[] stream = reframe(random.nextBoolean() ? ChunkTemplateEquivalenceTest.adversarialStream(random) :
            ChunkShapesStreams.stream(random), random);
        final AggregationLimits limits = random.nextInt(4) == 0 ?
            AggregationLimits.builder().maxTextChars(1 + random.nextInt(60)).build() : AggregationLimits.DEFAULT;
        final boolean strict = random.nextInt(4) == 0;
        final boolean direct = random.nextInt(4) == 0;
        final long seed = random.nextInt(3) == 0 ? 0 : random.nextLong();
        final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, limits, strict, direct, seed, false);
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, stream, limits, strict, direct, seed, true);
        Statistics.label("fast path taken").collect(fast.folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 30));
        FastPathRun.assertSame(full, fast, new String(stream, StandardCharsets.UTF_8));
        for (final String e : fast.errors)
        {
            assertFalse(e.contains(InternalErrors.PREFIX), e);
        }
    }

    /** The events of {@code stream} (one data line each, ended by a blank line) in other SSE framing. */
    private static byte[] reframe(final byte[] stream, final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final String end = ENDS[random.nextInt(ENDS.length)];
        int from = 0;
        while (from < stream.length)
        {
            int to = from;
            while (to + 1 < stream.length && !(stream[to] == '\n' && stream[to + 1] == '\n'))
            {
                to++;
            }
            if (to + 1 >= stream.length)
            {
                to = stream.length;
            }
            // stream[from, to) is one data line, "data: " and its value.
            final String lineEnd = random.nextInt(8) == 0 ? ENDS[random.nextInt(ENDS.length)] : end;
            final int what = random.nextInt(24);
            if (what == 0)
            {
                write(out, ": keep-alive" + lineEnd);
            }
            else if (what == 1)
            {
                write(out, "event: chunk" + lineEnd);
            }
            else if (what == 2)
            {
                write(out, "id: " + from + lineEnd);
            }
            final int valueFrom = Math.min(to, from + 6);
            if (what == 3 && to > valueFrom)
            {
                write(out, "data:");
                out.write(stream, valueFrom, to - valueFrom);
            }
            else if ((what == 4 || what == 5) && to - valueFrom > 2)
            {
                // A raw line end inside the JSON: two data lines (their join holds LF), or a data line and a field.
                final int cut = valueFrom + 1 + random.nextInt(to - valueFrom - 1);
                out.write(stream, from, cut - from);
                write(out, what == 4 ? lineEnd + "data: " : ENDS[random.nextInt(ENDS.length)]);
                out.write(stream, cut, to - cut);
            }
            else
            {
                out.write(stream, from, to - from);
            }
            write(out, lineEnd);
            if (what == 6)
            {
                write(out, "id: x" + lineEnd);
            }
            else if (what == 7)
            {
                write(out, "event: other" + lineEnd);
            }
            else if (what == 8)
            {
                write(out, "data: " + lineEnd);
            }
            if (what != 9 || to == stream.length)
            {
                // Else no blank line: the next chunk's line joins this event.
                write(out, lineEnd);
            }
            from = to + 2;
        }
        return out.toByteArray();
    }

    private static void write(final ByteArrayOutputStream out, final String text)
    {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
