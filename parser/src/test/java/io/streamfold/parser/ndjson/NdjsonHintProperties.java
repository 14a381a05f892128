package io.streamfold.parser.ndjson;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.agrona.DirectBuffer;

import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.RandomHint;
import io.streamfold.parser.StreamError;
import io.streamfold.parser.internal.DataLineHint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The line-end hint on NDJSON ({@link DataLineHint#valueLineEnd}, then the frame offered to
 * {@link DataLineHint#onHintedFrame}): a hint answering within its contract (unknown, a line's true end, a byte short
 * of it, past the bytes) and taking or leaving the frames offered at random changes nothing the framer reports, whole
 * or sliced, with lines that start or end with blanks, a byte order mark, any line ends and lines over the limit.
 */
class NdjsonHintProperties
{
    @Property(tries = 400)
    void anyHintWithinItsContractChangesNothing(
        @ForAll("lines") final byte[] stream,
        @ForAll @Size(min = 1, max = 12) final List<@IntRange(min = 1, max = 64) Integer> slices,
        @ForAll final long seed,
        @ForAll @IntRange(min = 4, max = 40) final int maxLine)
    {
        final FramingLimits tight = FramingLimits.builder().maxLineBytes(maxLine).build();
        for (final FramingLimits limits : List.of(FramingLimits.DEFAULT, tight))
        {
            final List<String> plain = run(stream, List.of(1), limits, null);
            assertEquals(plain, run(stream, List.of(Integer.MAX_VALUE), limits, new Random(seed)), "hinted, whole");
            assertEquals(plain, run(stream, slices, limits, new Random(seed)), () -> "hinted, slices " + slices);
        }
    }

    @Provide
    Arbitrary<byte[]> lines()
    {
        final Arbitrary<String> value = Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('a', 'z').withChars('\u00e9', '"', ':').ofMaxLength(20)
                .map(v -> "{\"t\":\"" + v + "\"}"),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12),
            Arbitraries.just(""));
        final Arbitrary<String> blanks = Arbitraries.of("", "", "", " ", "\t", "  ");
        final Arbitrary<String> end = Arbitraries.of("\n", "\n", "\r\n", "\r", "\n\n");
        final Arbitrary<String> line = Combinators.combine(blanks, value, blanks, end).as((a, v, b, e) -> a + v + b + e);
        return Combinators.combine(Arbitraries.of("", "", "\uFEFF"), line.list().ofMaxSize(20))
            .as((bom, all) -> (bom + String.join("", all)).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> run(final byte[] stream, final List<Integer> slices, final FramingLimits limits,
        final Random hints)
    {
        final FrameLog log = new FrameLog();
        final NdjsonFramer framer = new NdjsonFramer(hints == null ? log : new Hinting(log, hints), limits);
        final byte[] scratch = new byte[stream.length];
        int pos = 0;
        int i = 0;
        while (pos < stream.length)
        {
            final int n = Math.min(slices.get(i++ % slices.size()), stream.length - pos);
            System.arraycopy(stream, pos, scratch, 0, n);
            framer.feed(scratch, 0, n);
            // The caller's buffer is reused after each feed: a view kept past it reads this.
            java.util.Arrays.fill(scratch, (byte)'#');
            pos += n;
        }
        framer.end();
        return log.events;
    }

    /** Answers at random within the hint's contract, and takes (recording) or leaves the frames it is offered. */
    private static final class Hinting implements DataLineHint
    {
        private final FrameLog log;
        private final Random hints;

        Hinting(final FrameLog log, final Random hints)
        {
            this.log = log;
            this.hints = hints;
        }

        @Override
        public int lineEnd(final DirectBuffer buffer, final int lineStart, final int to, final long lineOffset)
        {
            throw new AssertionError("an NDJSON framer asks for lines that are values");
        }

        @Override
        public int valueLineEnd(final DirectBuffer buffer, final int lineStart, final int to, final long lineOffset)
        {
            return RandomHint.answer(hints.nextInt(RandomHint.KINDS + 1), lineStart, RandomHint.trueEnd(buffer, lineStart, to), to,
                hints);
        }

        @Override
        public boolean onHintedFrame(final Frame frame)
        {
            if (hints.nextBoolean())
            {
                return false;
            }
            log.onFrame(frame);
            return true;
        }

        @Override
        public void onFrame(final Frame frame)
        {
            log.onFrame(frame);
        }

        @Override
        public void onError(final StreamError error)
        {
            log.onError(error);
        }
    }
}
