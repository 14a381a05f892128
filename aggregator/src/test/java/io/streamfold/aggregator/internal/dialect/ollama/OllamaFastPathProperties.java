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
            stream.append("{\"model\":\"llama3.2\",\"created_at\":").append(createdAt(r, 99))
                .append(chat ? ",\"message\":{\"role\":\"assistant\",\"content\":\"\"}" : ",\"response\":\"\"")
                .append(",\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,\"prompt_eval_count\":26,")
                .append("\"eval_count\":290}").append(r.nextBoolean() ? end : "");
        }
        final byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
        long folds = 0;
        for (int feeding = 0; feeding < 3; feeding++)
        {
            // Whole, then random slices through arrays, then through direct buffers.
            final long slices = feeding == 0 ? 0 : r.nextLong() | 1;
            final FastPathRun full = FastPathRun.of(Format.OLLAMA, bytes, AggregationLimits.DEFAULT, false, feeding == 2, slices, false);
            final FastPathRun fast = FastPathRun.of(Format.OLLAMA, bytes, AggregationLimits.DEFAULT, false, feeding == 2, slices, true);
            FastPathRun.assertSame(full, fast, "feeding " + feeding + ":\n" + stream);
            folds += fast.folds;
        }
        Statistics.label("folded without parsing").collect(folds > 0);
        Statistics.label("folded without parsing").coverage(c -> c.check(true).percentage(p -> p > 60));
    }

    /** A line of the typical shape, or (when {@code odd}) one that differs from it in one of many ways. */
    private static String line(final Random r, final boolean chat, final int n, final boolean odd)
    {
        String model = "\"llama3.2\"";
        String createdAt = createdAt(r, n);
        String role = "\"assistant\"";
        String text = quote(GeminiTesting.randomText(r), r);
        String thinking = null;
        String extra = "";
        String colon = ":";
        if (odd)
        {
            switch (r.nextInt(11))
            {
                case 0:
                    thinking = quote(GeminiTesting.randomText(r), r);
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
                    thinking = quote(GeminiTesting.randomText(r), r);
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

    /**
     * An RFC 3339 timestamp as Ollama writes it (the fraction's trailing zeros dropped, so its width varies), now and
     * then with a character escaped, or empty.
     */
    private static String createdAt(final Random r, final int n)
    {
        if (r.nextInt(25) == 0)
        {
            return "\"\"";
        }
        final StringBuilder t = new StringBuilder("2025-10-26T17:15:").append(10 + n % 50);
        final int digits = r.nextInt(10);
        if (digits > 0)
        {
            t.append('.');
            for (int i = 0; i < digits; i++)
            {
                t.append((char)('0' + r.nextInt(10)));
            }
        }
        return quote(t.append('Z').toString(), r);
    }

    /** {@code s} as a JSON string, one character in ten written as a {@code \}{@code u} escape when the stream says so. */
    private static String quote(final String s, final Random r)
    {
        if (r.nextInt(4) > 0)
        {
            return GeminiTesting.quote(s);
        }
        final StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || r.nextInt(10) == 0)
            {
                q.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
