package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The events {@link EventScan} reads without the token reader (block stops and pings read bare, block and message
 * events by their members) fold exactly as the token reader folds them, on their usual bytes, with any whitespace, and broken in the
 * ways that must send them back (an index that is no plain non-negative integer, a member more or less, bytes after
 * the object, escaped names, a cut): fast path on and off, fed whole and in any slices; and one pooled aggregator,
 * reset between streams, folds each as a new one does (what a dialect remembers from event to event, such as the block
 * the last delta went to, is forgotten with the stream).
 */
class AnthropicScanProperties
{
    /** Reused across tries, as a gateway pools one. */
    private static final StreamAggregator POOLED = StreamAggregator.create(Format.ANTHROPIC);

    private static final String[] SPACE = { "", "", "", " ", "  ", "\t", "\n", " \r\n ", "           ", "                 " };
    private static final String[] INDEX = {
        "0", "1", "2", "7", "12", "01", "00", "-1", "-0", "1.0", "1e2", "1E0", "123456789012345678", "1234567890123456789",
        "99999999999999999999", "\"1\"", "null", "true", "[1]", "",
    };

    /** message_start, mostly as sent, else in a form the token reader must read (or refuse) itself. */
    private static final String[] MESSAGE_START = {
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\"," +
            "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"cache_read_input_tokens\":0," +
            "\"output_tokens\":1,\"service_tier\":\"standard\"}}}",
        "{ \"type\" : \"message_start\" , \"message\" : { \"model\":\"\\u00e9\",\"content\" : [ ] , \"usage\" : null , \"role\":7} , \"x\":[1] }",
        "{\"type\":\"message_start\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}}",
        "{\"type\":\"message_start\",\"message\":{\"role\":\"assistant\",\"content\":\"x\",\"usage\":3}}",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"a\"},\"message\":{\"id\":\"b\"}}",
        "{\"type\":\"message_start\",\"message\":[1]}",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"a\"},\"type\":\"ping\"}",
        "{\"type\":\"message_start\",\"index\":0,\"message\":{\"id\":\"a\"}}",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"\",\"id\":\"c\",\"role\":\"user\",\"role\":null,\"usage\":{\"a\":1},\"usage\":{\"b\":2}}}",
        "{\"type\":\"message_start\"}",
    };
    /** message_delta, likewise. */
    private static final String[] MESSAGE_DELTA = {
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"container\":{\"id\":\"c\"}},\"usage\":null,\"extra\":\"\"}   ",
        "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9},\"delta\":{\"stop_reason\":null,\"stop_sequence\":\"\\n\"}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":3},\"usage\":\"x\"}",
        "{\"type\":\"message_delta\",\"delta\":null,\"usage\":{\"output_tokens\":9}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"a\"},\"delta\":{\"stop_reason\":\"b\"}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":1},\"usage\":{\"input_tokens\":2}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"index\":1}",
    };
    /** message_stop, likewise. */
    private static final String[] MESSAGE_STOP = {
        "{\"type\":\"message_stop\"}", "{\"type\":\"message_stop\"          }",
        "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":3},\"x\":null,\"y\":\"\"}",
        "{\"type\":\"message_stop\",\"type\":\"error\"}", "{\"type\":\"message_stop\",\"index\":\"x\"}",
    };

    @Property(tries = 400)
    void scannedEventsFoldAsTheTokenReaderFoldsThem(@ForAll final Random random)
    {
        final StringBuilder sse = new StringBuilder();
        event(sse, pick(random, MESSAGE_START));
        final int blocks = 1 + random.nextInt(4);
        for (int b = 0; b < blocks; b++)
        {
            event(sse, "{\"type\":\"content_block_start\",\"index\":" + b + ",\"content_block\":{\"type\":\"" +
                (random.nextInt(3) == 0 ? "tool_use\",\"id\":\"t" + b + "\",\"name\":\"f\",\"input\":{}" : "text\",\"text\":\"\"") + "}}");
            final int deltas = random.nextInt(4);
            for (int d = 0; d < deltas; d++)
            {
                event(sse, random.nextInt(3) == 0 ? ping(random) : "{\"type\":\"content_block_delta\",\"index\":" + b +
                    ",\"delta\":{\"type\":\"text_delta\",\"text\":\"w" + d + "\"}}" + pad(random));
            }
            event(sse, stop(random, b));
            if (random.nextInt(3) == 0)
            {
                // A stop again, for this block or another, or of another form.
                event(sse, stop(random, random.nextInt(blocks + 1)));
            }
            if (random.nextInt(4) == 0)
            {
                // A block started again at an index already used, and its deltas.
                final int again = random.nextInt(b + 1);
                event(sse, "{\"type\":\"content_block_start\",\"index\":" + again + ",\"content_block\":{\"type\":\"" +
                    (random.nextBoolean() ? "thinking\",\"thinking\":\"\"" : "text\",\"text\":\"\"") + "}}");
                event(sse, "{\"type\":\"content_block_delta\",\"index\":" + again + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"r\"}}");
                event(sse, "{\"type\":\"content_block_delta\",\"index\":" + again +
                    ",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"t\"}}");
            }
        }
        event(sse, pick(random, MESSAGE_DELTA));
        if (random.nextInt(4) == 0)
        {
            event(sse, pick(random, MESSAGE_DELTA));
        }
        event(sse, pick(random, MESSAGE_STOP));
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        final long folds = FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, bytes, random, sse.toString());
        Statistics.label("fast folds").collect(folds > 0);
        final StreamAggregator fresh = StreamAggregator.create(Format.ANTHROPIC);
        POOLED.reset();
        for (final StreamAggregator a : new StreamAggregator[] { fresh, POOLED })
        {
            a.feed(bytes, 0, bytes.length);
            a.end();
        }
        final Aggregate expected = fresh.result();
        final Aggregate pooled = POOLED.result();
        org.junit.jupiter.api.Assertions.assertEquals(expected.toJson(), pooled.toJson(), sse::toString);
        org.junit.jupiter.api.Assertions.assertEquals(expected.errors().toString(), pooled.errors().toString(), sse::toString);
    }

    /** Mostly the first of {@code forms} (as sent), else any, now and then broken. */
    private static String pick(final Random random, final String[] forms)
    {
        final String s = random.nextBoolean() ? forms[0] : forms[random.nextInt(forms.length)];
        return random.nextInt(8) == 0 ? broken(random, s) : s;
    }

    /** A block stop: mostly as sent, with any whitespace, now and then broken. */
    private static String stop(final Random random, final int block)
    {
        final String index = random.nextInt(3) == 0 ? INDEX[random.nextInt(INDEX.length)] : Integer.toString(block);
        final String s = pad(random) + "{" + pad(random) + "\"type\"" + pad(random) + ":" + pad(random) + "\"content_block_stop\"" +
            pad(random) + "," + pad(random) + "\"index\"" + pad(random) + ":" + pad(random) + index + pad(random) + "}" + pad(random);
        return random.nextInt(6) == 0 ? broken(random, s) : s;
    }

    private static String ping(final Random random)
    {
        final String s = pad(random) + "{" + pad(random) + "\"type\"" + pad(random) + ":" + pad(random) + "\"ping\"" + pad(random) + "}" +
            pad(random);
        return random.nextInt(6) == 0 ? broken(random, s) : s;
    }

    private static String broken(final Random random, final String s)
    {
        switch (random.nextInt(8))
        {
            case 0:
                return s + "x";
            case 1:
                return s.substring(0, random.nextInt(s.length()));
            case 2:
                return s.replace("}", ",\"extra\":[1]}");
            case 3:
                return s.replace("\"index\"", "\"ind\\u0065x\"").replace("\"type\"", "\"typ\\u0065\"");
            case 4:
                return s.replace(",", "");
            case 5:
                return s + "{}";
            case 6:
                return s.replace("}", ",\"index\":3}");
            default:
                return s.replace(":", "\t: ");
        }
    }

    private static String pad(final Random random)
    {
        return SPACE[random.nextInt(SPACE.length)];
    }

    private static void event(final StringBuilder sse, final String data)
    {
        sse.append("event: x\ndata: ").append(data).append("\n\n");
    }
}
