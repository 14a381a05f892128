package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;

/**
 * The framer's line-end hint ({@code DataLineHint}, answered through {@code Dialect.dataLineEnd} by
 * {@link ChunkTemplate#matchLine} and {@link ChunkShapes#matchLine}): a data line whose value repeats the learnt
 * event is not scanned for its end, and the fold of its frame reuses the match.
 * Whatever the SSE around the chunks (CR, LF or CRLF line ends, fields before and after the data line, comments,
 * a chunk split over two data lines, a raw CR or LF inside the JSON, {@code data:} with or without its space)
 * and however the bytes are sliced, the fast path gives what the full path gives.
 */
public class DataLineHintProperties
{
    private static final String[] ENDS = {"\n", "\r", "\r\n"};

    @Property(tries = 300)
    void hintedLinesFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        // The one-string template's chunks, or those of the shared EventTemplate (token ids, logprob entries, usage).
        final byte[] stream = reframe(random.nextBoolean() ? ChunkTemplateEquivalenceTest.adversarialStream(random) :
            ChunkShapesStreams.stream(random), random);
        final AggregationLimits limits = random.nextInt(4) == 0 ?
            AggregationLimits.builder().maxTextChars(1 + random.nextInt(60)).build() : AggregationLimits.DEFAULT;
        final long folds = FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, limits, random, new String(stream, StandardCharsets.UTF_8));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    /**
     * Anthropic streams (an {@code event:} line before each data line, deltas padded before their closing brace by
     * a count that varies, sometimes with tabs, text of every kind, pings between, now and then a broken delta), in
     * every SSE framing as above: the fast path folds them as the full path does. (Anthropic does not answer the
     * hint yet: on its short delta lines the match cost more than the line scan it spared; this is the proof a hint
     * must pass.)
     */
    @Property(tries = 300)
    void anthropicDeltasInAnySseFramingFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        final byte[] stream = reframe(anthropicStream(random), random);
        final AggregationLimits limits = random.nextInt(4) == 0 ?
            AggregationLimits.builder().maxTextChars(1 + random.nextInt(60)).build() : AggregationLimits.DEFAULT;
        final long folds = FastPathRun.assertSameDrawn(Format.ANTHROPIC, stream, limits, random, new String(stream, StandardCharsets.UTF_8));
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 50));
    }

    private static final String[] FRAGMENTS = {"Hello", " world", "caf\u00e9", "caf\u00c3\u00a9", "\\n", "\\\"q\\\"",
        "\\u00e9", "\ud83d\ude00", "", "a b", "\\r\\n", "  ", "\\t", "x\\/y", "{\\\"a\\\": ", "1}", "\\ud83d\\ude00"};
    private static final String[][] DELTAS = {{"text", "text_delta", "text"}, {"thinking", "thinking_delta", "thinking"},
        {"tool_use", "input_json_delta", "partial_json"}};

    /** A generated Anthropic stream, one data line per event with its {@code event:} line, LF ends (reframed after). */
    static byte[] anthropicStream(final Random random)
    {
        final StringBuilder sse = new StringBuilder();
        anthropicEvent(sse, random, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":" +
            "\"message\",\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":" +
            "null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
        final int blocks = 1 + random.nextInt(3);
        for (int b = 0; b < blocks; b++)
        {
            final String[] kind = DELTAS[random.nextInt(DELTAS.length)];
            final String block = kind[0].equals("text") ? "{\"type\":\"text\",\"text\":\"\"}" : kind[0].equals("thinking") ?
                "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}" :
                "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}";
            anthropicEvent(sse, random, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + b +
                ",\"content_block\":" + block + "}");
            for (int n = 1 + random.nextInt(30); n > 0; n--)
            {
                if (random.nextInt(15) == 0)
                {
                    anthropicEvent(sse, random, "ping", "{\"type\": \"ping\"}");
                }
                String data = "{\"type\":\"content_block_delta\",\"index\":" + (random.nextInt(40) == 0 ? blocks - b : b) +
                    ",\"delta\":{\"type\":\"" + kind[1] + "\",\"" + kind[2] + "\":\"" +
                    FRAGMENTS[random.nextInt(FRAGMENTS.length)] + "\"}}";
                if (random.nextInt(40) == 0)
                {
                    // A broken delta: one byte changed.
                    final char[] chars = data.toCharArray();
                    chars[random.nextInt(chars.length)] = "\"\\}{,: 0x]".charAt(random.nextInt(10));
                    data = new String(chars);
                }
                anthropicEvent(sse, random, "content_block_delta", data);
            }
            anthropicEvent(sse, random, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + b + "}");
        }
        anthropicEvent(sse, random, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"," +
            "\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}");
        anthropicEvent(sse, random, "message_stop", "{\"type\":\"message_stop\"}");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void anthropicEvent(final StringBuilder sse, final Random random, final String type, final String data)
    {
        if (random.nextInt(8) != 0)
        {
            sse.append("event: ").append(type).append('\n');
        }
        String json = data;
        final int pad = random.nextInt(3);
        if (pad > 0)
        {
            // Padded before the closing brace as the API pads, by a count that varies; sometimes with a tab.
            json = json.substring(0, json.length() - 1) + " ".repeat(random.nextInt(16)) + (pad == 2 ? "\t " : "") + "}";
        }
        sse.append("data: ").append(json).append("\n\n");
    }

    /**
     * The events of {@code stream} (field lines then one data line each, LF ends, ended by a blank line) in other SSE
     * framing (shared with the other dialects' hint properties).
     */
    public static byte[] reframe(final byte[] stream, final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final String end = ENDS[random.nextInt(ENDS.length)];
        int from = 0;
        while (from < stream.length)
        {
            int to = from;
            while (to + 1 < stream.length && !(stream[to] == '\n' && stream[to + 1] == '\n'))
            {
                to++;
            }
            if (to + 1 >= stream.length)
            {
                to = stream.length;
            }
            final String lineEnd = random.nextInt(8) == 0 ? ENDS[random.nextInt(ENDS.length)] : end;
            // Field lines before the data line (Anthropic's event line), each with the line end drawn.
            for (int nl = firstLf(stream, from, to); nl >= 0; nl = firstLf(stream, from, to))
            {
                out.write(stream, from, nl - from);
                write(out, random.nextInt(8) == 0 ? ENDS[random.nextInt(ENDS.length)] : lineEnd);
                from = nl + 1;
            }
            // stream[from, to) is one data line, "data: " and its value.
            final int what = random.nextInt(24);
            if (what == 0)
            {
                write(out, ": keep-alive" + lineEnd);
            }
            else if (what == 1)
            {
                write(out, "event: chunk" + lineEnd);
            }
            else if (what == 2)
            {
                write(out, "id: " + from + lineEnd);
            }
            final int valueFrom = Math.min(to, from + 6);
            if (what == 3 && to > valueFrom)
            {
                write(out, "data:");
                out.write(stream, valueFrom, to - valueFrom);
            }
            else if ((what == 4 || what == 5) && to - valueFrom > 2)
            {
                // A raw line end inside the JSON: two data lines (their join holds LF), or a data line and a field.
                final int cut = valueFrom + 1 + random.nextInt(to - valueFrom - 1);
                out.write(stream, from, cut - from);
                write(out, what == 4 ? lineEnd + "data: " : ENDS[random.nextInt(ENDS.length)]);
                out.write(stream, cut, to - cut);
            }
            else
            {
                out.write(stream, from, to - from);
            }
            write(out, lineEnd);
            if (what == 6)
            {
                write(out, "id: x" + lineEnd);
            }
            else if (what == 7)
            {
                write(out, "event: other" + lineEnd);
            }
            else if (what == 8)
            {
                write(out, "data: " + lineEnd);
            }
            if (what != 9 || to == stream.length)
            {
                // Else no blank line: the next chunk's line joins this event.
                write(out, lineEnd);
            }
            from = to + 2;
        }
        return out.toByteArray();
    }

    /** @return the first LF in {@code stream[from, to)} (a field line's end), or -1. */
    private static int firstLf(final byte[] stream, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (stream[i] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    private static void write(final ByteArrayOutputStream out, final String text)
    {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
