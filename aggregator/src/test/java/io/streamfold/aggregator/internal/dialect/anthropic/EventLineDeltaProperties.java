package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.dialect.openai.chat.DataLineHintProperties;
import io.streamfold.parser.FramingLimits;

/**
 * Anthropic's repeated deltas under the framer's repeated event line (read by one comparison) and the delta templates,
 * and under any fast path that joins the two (an event line and its data line read at once, a hint asked for the data
 * line's end: one was tried, see ARCHITECTURE.md). Whatever the event lines (repeated, renamed, missing, without the
 * space, longer than a word or shorter), the data lines ({@code data:} with or without its space, split in two, a raw
 * line end inside the JSON, a changed byte), the SSE framing around them (CR, LF or CRLF, comments, ids, fields before
 * and after), framing limits that make lines too long or events too large, and however the bytes are sliced, the fast
 * path gives what the full path gives.
 */
class EventLineDeltaProperties
{
    private static final String[] NAMES = {"event: content_block_delta", "event: content_block_delta",
        "event: content_block_delta", "event:content_block_delta", "event: content_block_deltas", "event: delta", "event:",
        "event: x", "event: content_block_delta_" + "y".repeat(60)};
    private static final String[] TEXTS = {"Hello", " world", "caf\u00e9", "\\n", "\\\"q\\\"", "\\u00e9", "\ud83d\ude00", "",
        "a b", "\\r\\n", "x".repeat(70)};

    @Property(tries = 300)
    void eventBlocksFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        final byte[] stream = DataLineHintProperties.reframe(stream(random), random);
        final AggregationLimits limits = limits(random);
        final long folds = FastPathRun.assertSameDrawn(Format.ANTHROPIC, stream, limits, random,
            new String(stream, StandardCharsets.UTF_8));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    private static AggregationLimits limits(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return AggregationLimits.builder().maxTextChars(1 + random.nextInt(60)).build();
            case 1:
                // Lines and events about as long as a delta: some too long, some events too large, with the hint.
                return AggregationLimits.builder().framing(FramingLimits.builder().maxLineBytes(40 + random.nextInt(120))
                    .maxFrameBytes(60 + random.nextInt(120)).build()).build();
            default:
                return AggregationLimits.DEFAULT;
        }
    }

    /** A generated stream: blocks of deltas, most with the same event line, the rest varied (LF ends, reframed after). */
    private static byte[] stream(final Random random)
    {
        final StringBuilder sse = new StringBuilder();
        sse.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\"," +
            "\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":5}}}\n\n");
        final int blocks = 1 + random.nextInt(3);
        for (int b = 0; b < blocks; b++)
        {
            final boolean text = random.nextInt(3) != 0;
            sse.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":").append(b)
                .append(text ? ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" :
                    ",\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n");
            for (int n = 1 + random.nextInt(30); n > 0; n--)
            {
                if (random.nextInt(12) == 0)
                {
                    sse.append(random.nextBoolean() ? "event: ping\n" : "").append("data: {\"type\": \"ping\"}\n\n");
                }
                final String name = random.nextInt(4) != 0 ? NAMES[0] : random.nextInt(6) == 0 ? "" :
                    NAMES[random.nextInt(NAMES.length)];
                delta(sse, name, random.nextInt(30) == 0 ? b + 1 : b, text ? "text_delta" : "thinking_delta",
                    text ? "text" : "thinking", TEXTS[random.nextInt(TEXTS.length)], random.nextInt(30) == 0 ? random : null);
            }
            sse.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":").append(b).append("}\n\n");
        }
        sse.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}," +
            "\"usage\":{\"output_tokens\":30}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One delta event: its event line (none when empty), its data line, a blank line.
     *
     * @param broken when not null, one byte of the JSON is replaced at random (a broken delta).
     */
    private static void delta(final StringBuilder sse, final String name, final int index, final String type,
        final String field, final String value, final Random broken)
    {
        if (!name.isEmpty())
        {
            sse.append(name).append('\n');
        }
        String json = "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"" + type + "\",\"" +
            field + "\":\"" + value + "\"}}";
        if (broken != null)
        {
            final int at = broken.nextInt(json.length());
            json = json.substring(0, at) + "\"}{,: 0]".charAt(broken.nextInt(8)) + json.substring(at + 1);
        }
        sse.append("data: ").append(json).append("\n\n");
    }
}
