package io.streamfold.aggregator.internal.dialect.bedrock;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.testkit.EventStreamEncoder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

import static io.streamfold.testkit.EventStreamEncoder.event;

/**
 * Bedrock's repeated {@code contentBlockDelta} is folded without parsing exactly as the full decoder folds it:
 * streams of text deltas padded with a random-length {@code p} (as Bedrock sends them over HTTP), where messages
 * now and then differ where the fast path must notice (padding of another kind or place, another block, the index
 * after the body, reasoning or tool input, a field more, a value of another type, spaces, an exception, a payload
 * that is not JSON), fed whole or in random slices, through arrays or direct buffers: the same JSON, normalized
 * view, errors and listener events with the fast path on as off.
 */
class BedrockFastPathProperties
{
    @Property(tries = 400)
    void repeatedDeltasFoldAsTheFullDecoderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final StringBuilder shown = new StringBuilder();
        add(stream, shown, "messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}");
        final int oddOneIn = 2 + r.nextInt(20);
        int block = 0;
        for (int i = 0, deltas = 1 + r.nextInt(40); i < deltas; i++)
        {
            if (r.nextInt(oddOneIn) > 0)
            {
                add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":" + text(r) + "}," +
                    padding(r) + "}");
                continue;
            }
            switch (r.nextInt(11))
            {
                case 0:
                    // Padding first, absent or a number.
                    add(stream, shown, "contentBlockDelta", r.nextBoolean()
                        ? "{" + padding(r) + ",\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":" + text(r) + "}}"
                        : "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":" + text(r) + "}" +
                        (r.nextBoolean() ? "" : ",\"p\":" + r.nextInt(99)) + "}");
                    break;
                case 1:
                    add(stream, shown, "contentBlockStop", "{\"contentBlockIndex\":" + block + "," + padding(r) + "}");
                    block++;
                    break;
                case 2:
                    add(stream, shown, "contentBlockDelta", "{\"delta\":{\"text\":" + text(r) + "},\"contentBlockIndex\":" + block +
                        "," + padding(r) + "}");
                    break;
                case 3:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"reasoningContent\":" +
                        "{\"text\":" + text(r) + "}}," + padding(r) + "}");
                    break;
                case 4:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + (block + 1) + ",\"delta\":{\"toolUse\":" +
                        "{\"input\":" + text(r) + "}}," + padding(r) + "}");
                    break;
                case 5:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":" + text(r) +
                        ",\"x\":1}," + padding(r) + "}");
                    break;
                case 6:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":" +
                        (r.nextBoolean() ? "7" : "null") + "}," + padding(r) + "}");
                    break;
                case 7:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\" : " + block + ", \"delta\":{\"text\": " + text(r) +
                        "} ,\t" + padding(r) + " }");
                    break;
                case 8:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":" + text(r) + "}");
                    break;
                case 9:
                    add(stream, shown, "contentBlockDelta", "{\"contentBlockIndex\":" + (r.nextBoolean() ? "-1" : "1e0") +
                        ",\"delta\":{\"text\":" + text(r) + "}," + padding(r) + "}");
                    break;
                default:
                    stream.writeBytes(EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow down\"}"));
                    shown.append("exception\n");
            }
        }
        if (r.nextInt(5) > 0)
        {
            add(stream, shown, "contentBlockStop", "{\"contentBlockIndex\":" + block + "}");
            add(stream, shown, "messageStop", "{\"p\":\"abc\",\"stopReason\":\"end_turn\"}");
            add(stream, shown, "metadata", "{\"usage\":{\"inputTokens\":12,\"outputTokens\":7,\"totalTokens\":19}," +
                "\"metrics\":{\"latencyMs\":321},\"p\":\"abcdefghijk\"}");
        }
        final byte[] bytes = stream.toByteArray();
        final long folds = FastPathRun.assertSameFedEveryWay(Format.BEDROCK, bytes, r, shown.toString());
        Statistics.label("folded without parsing").collect(folds > 0);
        Statistics.label("folded without parsing").coverage(c -> c.check(true).percentage(p -> p > 60));
    }

    private static void add(final ByteArrayOutputStream stream, final StringBuilder shown, final String type, final String json)
    {
        stream.writeBytes(event(type, json));
        shown.append(type).append(' ').append(json).append('\n');
    }

    /** Bedrock's padding: random letters and digits of random length (empty now and then). */
    private static String padding(final Random r)
    {
        final StringBuilder p = new StringBuilder("\"p\":\"");
        final String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int k = r.nextInt(20) == 0 ? 0 : 1 + r.nextInt(50); k > 0; k--)
        {
            p.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return p.append('"').toString();
    }

    /** A delta's text: escapes, multi-byte and supplementary characters, sometimes written as escapes. */
    private static String text(final Random r)
    {
        return GeminiTesting.quoteEscaping(GeminiTesting.randomText(r), r);
    }
}
