package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The events {@link EventScan} reads without the token reader (block stops and pings read bare, block events by their
 * members) fold exactly as the token reader folds them, on their usual bytes, with any whitespace, and broken in the
 * ways that must send them back (an index that is no plain non-negative integer, a member more or less, bytes after
 * the object, escaped names, a cut): fast path on and off, fed whole and in any slices.
 */
class AnthropicScanProperties
{
    private static final String[] SPACE = { "", "", "", " ", "  ", "\t", "\n", " \r\n ", "           ", "                 " };
    private static final String[] INDEX = {
        "0", "1", "2", "7", "12", "01", "00", "-1", "-0", "1.0", "1e2", "1E0", "123456789012345678", "1234567890123456789",
        "99999999999999999999", "\"1\"", "null", "true", "[1]", "",
    };

    @Property(tries = 400)
    void stopsAndPingsFoldAsTheTokenReaderFoldsThem(@ForAll final Random random)
    {
        final StringBuilder sse = new StringBuilder();
        event(sse, "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
            "\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}");
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
        }
        event(sse, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}");
        event(sse, "{\"type\":\"message_stop\"}");
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        final long folds = FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, bytes, random, sse.toString());
        Statistics.label("fast folds").collect(folds > 0);
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
