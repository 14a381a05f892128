package io.streamfold.aggregator.internal.dialect.ollama;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Ollama's repeated line is folded without parsing exactly as the full decoder folds it: streams of the typical
 * shape (a line per token, each with its own {@code created_at}) where lines now and then differ where the fast
 * path must notice (a timestamp of another width, escaped or empty, thinking beside or instead of content, a tool
 * call, a value of another type, another role or model, spaces, a field more, a broken line, the done line early
 * or missing), fed whole or in random slices, through arrays or direct buffers: the same JSON, normalized view,
 * errors and listener events with the fast path on as off.
 */
class OllamaFastPathProperties
{
    @Property(tries = 400)
    void repeatedLinesFoldAsTheFullDecoderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final String stream = stream(r);
        final long folds = FastPathRun.assertSameFedEveryWay(Format.OLLAMA, stream.getBytes(StandardCharsets.UTF_8), r, stream);
        Statistics.label("folded without parsing").collect(folds > 0);
        Statistics.label("folded without parsing").coverage(c -> c.check(true).percentage(p -> p > 60));
    }

    /**
     * The same under a text limit a line's string may pass, alone or with the rest of the text: the line over it is
     * reported and dropped, the text before it kept, as the full decoder does.
     */
    @Property(tries = 200)
    void repeatedLinesOverTheTextLimitFoldAsTheFullDecoderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final String stream = stream(r);
        final AggregationLimits limits = AggregationLimits.builder().maxTextChars(1 + r.nextInt(12)).build();
        final long folds = FastPathRun.assertSameDrawn(Format.OLLAMA, stream.getBytes(StandardCharsets.UTF_8), limits, r, stream);
        Statistics.label("folded without parsing").collect(folds > 0);
        Statistics.label("folded without parsing").coverage(c -> c.check(true).percentage(p -> p > 60));
    }

    /** A stream of the typical shape, lines now and then differing, the done line mostly there. */
    private static String stream(final Random r)
    {
        final boolean chat = r.nextInt(3) > 0;
        final StringBuilder stream = new StringBuilder();
        final String end = r.nextBoolean() ? "\n" : "\r\n";
        // Mostly the typical line; how often a line differs changes from stream to stream.
        final int oddOneIn = 2 + r.nextInt(20);
        for (int i = 0, lines = 1 + r.nextInt(40); i < lines; i++)
        {
            stream.append(line(r, chat, i, r.nextInt(oddOneIn) == 0)).append(end);
        }
        if (r.nextInt(5) > 0)
        {
            stream.append("{\"model\":\"llama3.2\",\"created_at\":").append(OllamaLines.createdAt(r, 99))
                .append(chat ? ",\"message\":{\"role\":\"assistant\",\"content\":\"\"}" : ",\"response\":\"\"")
                .append(",\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,\"prompt_eval_count\":26,")
                .append("\"eval_count\":290}").append(r.nextBoolean() ? end : "");
        }
        return stream.toString();
    }

    /** A line of the typical shape, or (when {@code odd}) one that differs from it in one of many ways. */
    private static String line(final Random r, final boolean chat, final int n, final boolean odd)
    {
        String model = "\"llama3.2\"";
        String createdAt = OllamaLines.createdAt(r, n);
        String role = "\"assistant\"";
        String text = GeminiTesting.quoteEscaping(GeminiTesting.randomText(r), r);
        String thinking = null;
        String extra = "";
        String colon = ":";
        if (odd)
        {
            switch (r.nextInt(11))
            {
                case 0:
                    thinking = GeminiTesting.quoteEscaping(GeminiTesting.randomText(r), r);
                    if (r.nextBoolean())
                    {
                        text = null;
                    }
                    break;
                case 1:
                    text = r.nextBoolean() ? "null" : r.nextBoolean() ? "17" : "{\"a\":[1]}";
                    break;
                case 2:
                    role = r.nextBoolean() ? "\"tool\"" : "7";
                    break;
                case 3:
                    model = "\"llama3.3\"";
                    break;
                case 4:
                    colon = r.nextBoolean() ? ": " : " :\t";
                    break;
                case 5:
                    extra = ",\"x_extra\":" + r.nextInt(3);
                    break;
                case 6:
                    createdAt = r.nextBoolean() ? "null" : String.valueOf(r.nextInt(100));
                    break;
                case 7:
                    return "{\"model\":\"llama3.2\",\"created_at\":" + createdAt + ",\"message\":{\"role\":\"assistant\"," +
                        "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"f" + n + "\",\"arguments\":{\"q\":" + text +
                        "}}}]},\"done\":false}";
                case 8:
                    return "{\"model\":\"llama3.2\",\"created_at\":" + createdAt + ",\"message\":{\"role\"";
                case 9:
                    return "{\"model\":\"llama3.2\",\"created_at\":" + createdAt + (chat ? ",\"message\":{\"content\":" + text + "}" :
                        ",\"response\":" + text) + ",\"done\":true,\"done_reason\":\"length\"}";
                default:
                    // Thinking and text in the same line, in either order.
                    thinking = GeminiTesting.quoteEscaping(GeminiTesting.randomText(r), r);
                    break;
            }
        }
        final StringBuilder fields = new StringBuilder();
        final boolean thinkingFirst = r.nextBoolean();
        if (thinking != null && thinkingFirst)
        {
            fields.append(",\"thinking\"").append(colon).append(thinking);
        }
        if (text != null)
        {
            fields.append(chat ? ",\"content\"" : ",\"response\"").append(colon).append(text);
        }
        if (thinking != null && !thinkingFirst)
        {
            fields.append(",\"thinking\"").append(colon).append(thinking);
        }
        final String body = chat ? ",\"message\":{\"role\":" + role + fields + "}" : fields.toString();
        return "{\"model\":" + model + ",\"created_at\":" + createdAt + body + extra + ",\"done\":false}";
    }
}
