package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Repeated plain text block starts ({@link TextBlockStarts}) fold as the full path folds them: a web-search-like answer of
 * many text blocks, each started with any index (in order, repeated, signed, with a leading zero, huge), text (empty,
 * escaped, multi-byte, too long for the small limits), padding, now and then another block in between (citations
 * first, a tool) and one damaged byte, fed whole or in slices, under the default and small limits.
 */
class TextBlockStartProperties
{
    private static final String[] TEXTS = { "", "", "", "Hi", "caf\u00e9 \\\"q\\\"", "\\u00e9\\n", "a fairly long opening text for a tiny limit" };
    private static final String[] INDEXES = { "-0", "-1", "01", "1e1", "1.0", "99999999999999999999", "7" };
    private static final byte[] DAMAGE = { '"', '\\', '}', '{', ',', ' ', '1', 'x', (byte)0xC3, 0x01 };

    @Property(tries = 400)
    void repeatedTextBlockStartsFoldAsTheFullPathFoldsThem(@ForAll final Random random)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",")
            .append("\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n");
        final int blocks = 1 + random.nextInt(12);
        for (int b = 0; b < blocks; b++)
        {
            final String index = random.nextInt(8) == 0 ? INDEXES[random.nextInt(INDEXES.length)] :
                Integer.toString(random.nextInt(5) == 0 ? Math.max(0, b - 1) : b);
            final String pad = " ".repeat(random.nextInt(3) == 0 ? random.nextInt(14) : 0);
            final String text = TEXTS[random.nextInt(TEXTS.length)];
            final int variant = random.nextInt(10);
            final String block = variant == 0 ? "{\"citations\":[],\"type\":\"text\",\"text\":\"" + text + "\"}" :
                variant == 1 ? "{\"type\":\"tool_use\",\"id\":\"t" + b + "\",\"name\":\"f\",\"input\":{}}" :
                variant == 2 ? "{\"type\":\"text\",\"text\":\"" + text + "\",\"x\":1}" :
                "{\"type\":\"text\",\"text\":\"" + text + "\"}";
            sb.append(random.nextBoolean() ? "event: content_block_start\n" : "").append("data: {\"type\":\"content_block_start\",\"index\":")
                .append(index).append(",\"content_block\":").append(block).append(pad).append("}\n\n");
            if (random.nextBoolean())
            {
                sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":").append(index)
                    .append(",\"delta\":{\"type\":\"text_delta\",\"text\":\"more\"}}\n\n");
            }
            if (random.nextInt(4) != 0)
            {
                sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(index).append("}\n\n");
            }
        }
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\n")
            .append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(3) == 0)
        {
            // One byte changed somewhere after the message start (a break the template must notice).
            bytes = bytes.clone();
            final int from = sb.indexOf("content_block_start");
            bytes[from + random.nextInt(bytes.length - from)] = DAMAGE[random.nextInt(DAMAGE.length)];
        }
        final AggregationLimits limits = random.nextInt(3) == 0 ?
            AggregationLimits.builder().maxTextChars(20).maxRawBytes(90).maxNestingDepth(8).build() : AggregationLimits.DEFAULT;
        final long folds = FastPathRun.assertSameDrawn(Format.ANTHROPIC, bytes, limits, random, new String(bytes, StandardCharsets.UTF_8));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 30));
    }
}
