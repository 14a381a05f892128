package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Repeated plain text block starts ({@link TextBlockStarts}) fold as the full path folds them: a web-search-like answer of
 * many text blocks, each started with any index (in order, repeated, signed, with a leading zero, huge), text (empty,
 * escaped, multi-byte, too long for the small limits), padding, plain or cited (an empty citations array first, the
 * other form of the template) or now and then another block in between (citations in any other form, a tool) and one
 * damaged byte, fed whole or in slices, under the default and small limits; and one pooled aggregator, reset between
 * streams with its learnt templates kept, folds each as a new one does.
 */
class TextBlockStartProperties
{
    /** Reused across tries, as a gateway pools one: its templates were learnt from earlier streams. */
    private static final StreamAggregator POOLED = StreamAggregator.create(Format.ANTHROPIC);

    private static final String[] TEXTS = { "", "", "", "Hi", "caf\u00e9 \\\"q\\\"", "\\u00e9\\n", "a fairly long opening text for a tiny limit" };
    private static final String[] INDEXES = { "-0", "-1", "01", "1e1", "1.0", "99999999999999999999", "7" };
    /** Cited blocks that are not the learnt form (citations not empty, not first, spaced, null, a member more). */
    private static final String[] CITED_VARIANTS = {
        "{\"citations\":[ ],\"type\":\"text\",\"text\":\"TEXT\"}",
        "{\"citations\":[{\"type\":\"x\",\"cited_text\":\"c\"}],\"type\":\"text\",\"text\":\"TEXT\"}",
        "{\"citations\":[1],\"type\":\"text\",\"text\":\"TEXT\"}",
        "{\"citations\":null,\"type\":\"text\",\"text\":\"TEXT\"}",
        "{\"citations\":{},\"type\":\"text\",\"text\":\"TEXT\"}",
        "{\"type\":\"text\",\"text\":\"TEXT\",\"citations\":[]}",
        "{\"citations\":[],\"type\":\"text\",\"text\":\"TEXT\",\"citations\":[]}",
        "{\"citations\":[],\"citations\":[],\"type\":\"text\",\"text\":\"TEXT\"}",
        "{\"citations\":[],\"type\":\"thinking\",\"text\":\"TEXT\"}",
        "{\"citations\":[],\"type\":\"text\",\"text\":7}",
    };
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
            final int variant = random.nextInt(14);
            final String block = variant <= 3 ? "{\"citations\":[],\"type\":\"text\",\"text\":\"" + text + "\"}" :
                variant == 4 ? "{\"type\":\"tool_use\",\"id\":\"t" + b + "\",\"name\":\"f\",\"input\":{}}" :
                variant == 5 ? "{\"type\":\"text\",\"text\":\"" + text + "\",\"x\":1}" :
                variant == 6 ? CITED_VARIANTS[random.nextInt(CITED_VARIANTS.length)].replace("TEXT", text) :
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
        final StreamAggregator fresh = StreamAggregator.create(Format.ANTHROPIC);
        POOLED.reset();
        for (final StreamAggregator a : new StreamAggregator[] { fresh, POOLED })
        {
            a.feed(bytes, 0, bytes.length);
            a.end();
        }
        final String shown = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(fresh.result().toJson(), POOLED.result().toJson(), shown);
        assertEquals(fresh.result().errors().toString(), POOLED.result().errors().toString(), shown);
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    /** Both forms of a web search answer's block starts, alternating, are each learnt once and then folded by their template. */
    @Example
    void plainAndCitedBlockStartsEachFoldByTheirTemplate()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\",")
            .append("\"content\":[]}}\n\n");
        for (int b = 0; b < 8; b++)
        {
            sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").append(b)
                .append(b % 2 == 0 ? ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}" : ",\"content_block\":{\"citations\":[],\"type\":\"text\",\"text\":\"\"}")
                .append(" ".repeat(b + 1)).append("}\n\n");
            sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(b).append("}\n\n");
        }
        sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        final byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        // Each form learnt from its first block, its three others folded by its template.
        assertEquals(6, FastPathRun.of(Format.ANTHROPIC, bytes, AggregationLimits.DEFAULT, false, false, 0, true, true).folds);
        FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, bytes, new Random(7), sb.toString());
        final StreamAggregator a = StreamAggregator.create(Format.ANTHROPIC);
        a.feed(bytes, 0, bytes.length);
        a.end();
        assertTrue(a.result().toJson().contains("\"citations\":[]"), a.result().toJson());
    }
}
