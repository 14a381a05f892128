package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.openai.chat.DataLineHintProperties;

/**
 * The framer's line-end hint answered by the learnt Responses delta ({@code EventTemplate.matchLine}, through
 * {@code Dialect.dataLineEnd}): a data line whose value repeats the learnt delta is not scanned for its end, and the
 * fold of its frame reuses the match. Responses streams with deltas that repeat, change or break (see
 * {@link ResponsesRepeatProperties#stream}), an {@code event:} line before most data lines as OpenAI sends, now and
 * then a byte changed anywhere, in every SSE framing (CR, LF or CRLF ends, fields around the data line, comments, a
 * delta split over two data lines or by a raw line end, {@code data:} without its space) and any slicing: the fast
 * path gives what the full path gives.
 */
class ResponsesDataLineHintProperties
{
    private static final AggregationLimits[] LIMITS = {
        AggregationLimits.DEFAULT,
        AggregationLimits.builder().maxTextChars(24).maxArgumentChars(12).build(),
        AggregationLimits.builder().maxRawBytes(64).maxNestingDepth(8).build(),
    };

    @Property(tries = 300)
    void hintedDeltasInAnySseFramingFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        final byte[] stream = DataLineHintProperties.reframe(withEventLines(ResponsesRepeatProperties.stream(random), random),
            random);
        final AggregationLimits limits = LIMITS[random.nextInt(LIMITS.length)];
        final long folds = FastPathRun.assertSameDrawn(Format.OPENAI_RESPONSES, stream, limits, random, limits + "\n" + new String(stream, StandardCharsets.ISO_8859_1));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    /**
     * {@code stream}'s events (one {@code data:} line each, LF ends) with the {@code event:} line OpenAI puts before
     * most of them, the type drawn now and then from another event; and, rarely, one byte of a data line changed.
     */
    private static byte[] withEventLines(final byte[] stream, final Random random)
    {
        final String text = new String(stream, StandardCharsets.ISO_8859_1);
        final StringBuilder out = new StringBuilder(text.length() * 2);
        for (final String block : text.split("\n\n"))
        {
            if (block.isEmpty())
            {
                continue;
            }
            String data = block;
            if (random.nextInt(8) != 0)
            {
                final int type = data.indexOf("\"type\":\"");
                final String name = type < 0 || random.nextInt(10) == 0 ? "response.other" :
                    data.substring(type + 8, data.indexOf('"', type + 8));
                out.append("event: ").append(name).append('\n');
            }
            if (random.nextInt(40) == 0 && data.length() > 7)
            {
                final char[] chars = data.toCharArray();
                chars[6 + random.nextInt(chars.length - 6)] = "\"\\}{,: 0x]\t".charAt(random.nextInt(11));
                data = new String(chars);
            }
            out.append(data).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
