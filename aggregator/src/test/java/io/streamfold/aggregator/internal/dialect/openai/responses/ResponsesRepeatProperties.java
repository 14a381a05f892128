package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A repeated {@code response.*.delta} event is folded without its full read exactly as the full decoder folds it.
 * The repeat appends to the part the learnt event appended to, and checks its obfuscation padding in a short loop;
 * streams here make either rule wrong if it were: deltas of several items and parts (text, refusal, reasoning
 * summary, function arguments) that take turns, an item id or index that changes, sequence numbers that jump, go
 * back, have leading zeros, fractions or exponents, padding of every kind (empty, long, escaped, multi-byte,
 * ill-formed UTF-8, a control byte, not a string), deltas over the text and argument limits, a total result
 * limit reached in the middle of the repeats.
 */
class ResponsesRepeatProperties
{
    private static final AggregationLimits[] LIMITS = {
        AggregationLimits.DEFAULT,
        AggregationLimits.builder().maxTextChars(24).maxArgumentChars(12).build(),
        AggregationLimits.builder().maxResultChars(200).build(),
        AggregationLimits.builder().maxRawBytes(64).maxNestingDepth(8).build(),
    };

    private static final String[] ITEMS = {
        "{\"id\":\"msg_a\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}",
        "{\"id\":\"rs_b\",\"type\":\"reasoning\",\"summary\":[]}",
        "{\"id\":\"fc_c\",\"type\":\"function_call\",\"call_id\":\"call_c\",\"name\":\"weather\",\"arguments\":\"\"}",
        "{\"id\":\"msg_d\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}",
    };
    private static final String[] IDS = {"msg_a", "rs_b", "fc_c", "msg_d"};
    private static final String[] DELTA_TYPES = {
        "response.output_text.delta", "response.reasoning_summary_text.delta", "response.function_call_arguments.delta",
        "response.refusal.delta",
    };

    @Property(tries = 300)
    void repeatedDeltasFoldAsTheFullDecoderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final byte[] stream = stream(r);
        assertSameUnderEveryLimit(stream, r);
    }

    /**
     * A delta's sequence number is learnt as a counter, its digits counted up after each folded repeat: runs that cross
     * a power of ten, steps other than one (none, two, back), a run that never counts up (the stream scans it as an
     * integer again), with and without {@code event:} lines (the framer's data-line hint) and in any slices.
     */
    @Property(tries = 200)
    void countedSequenceNumbersFoldAsTheFullDecoderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final StringBuilder sse = new StringBuilder();
        final boolean eventLines = r.nextBoolean();
        // Up to 18 digits, and 18 crossing into 19 (too long for a counter or an integer slot: the full decoder's).
        final long[] starts = {0, 7, 95, 996, 9_997, 999_999_997L, 99_999_999_999_999_995L, 999_999_999_999_999_996L};
        long sequence = starts[r.nextInt(starts.length)] + r.nextInt(4);
        final boolean stuck = r.nextInt(5) == 0;
        counted(sse, eventLines, "{\"type\":\"response.created\",\"sequence_number\":" + sequence++ + ",\"response\":{\"id\":" +
            "\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}");
        counted(sse, eventLines, "{\"type\":\"response.output_item.added\",\"sequence_number\":" + sequence++ +
            ",\"output_index\":0,\"item\":" + ITEMS[0] + "}");
        for (int n = 0, events = 5 + r.nextInt(40); n < events; n++)
        {
            if (!stuck)
            {
                final int step = r.nextInt(12);
                sequence += step == 0 ? 0 : step == 1 ? 2 : step == 2 ? -1 : 1;
            }
            counted(sse, eventLines, "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + sequence +
                ",\"item_id\":\"msg_a\",\"output_index\":0,\"content_index\":0,\"delta\":" + delta(r, false) +
                ",\"logprobs\":[],\"obfuscation\":" + padding(r) + "}");
        }
        counted(sse, eventLines, "{\"type\":\"response.completed\",\"sequence_number\":" + (sequence + 1) +
            ",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\"}}");
        final byte[] stream = FastPathRun.rawBytes(sse.toString());
        assertSameUnderEveryLimit(stream, r);
    }

    /** Folds {@code stream} with the fast path off and on under each of {@link #LIMITS}, in slices drawn from {@code r}. */
    private static void assertSameUnderEveryLimit(final byte[] stream, final Random r)
    {
        final String shown = new String(stream, StandardCharsets.UTF_8);
        for (final AggregationLimits limits : LIMITS)
        {
            final long slices = r.nextLong() | 1;
            final boolean direct = r.nextBoolean();
            final FastPathRun full = FastPathRun.of(Format.OPENAI_RESPONSES, stream, limits, false, direct, slices, false);
            final FastPathRun fast = FastPathRun.of(Format.OPENAI_RESPONSES, stream, limits, false, direct, slices, true);
            FastPathRun.assertSame(full, fast, limits + "\n" + shown);
        }
    }

    private static void counted(final StringBuilder sse, final boolean eventLine, final String data)
    {
        if (eventLine)
        {
            final int type = data.indexOf("\"type\":\"") + 8;
            sse.append("event: ").append(data, type, data.indexOf('"', type)).append('\n');
        }
        event(sse, data);
    }

    /** The generator is not vacuous: plain repeats do take the fast path. */
    @Test
    void plainRepeatsAreFoldedByTheFastPath()
    {
        long folds = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            folds += FastPathRun.of(Format.OPENAI_RESPONSES, stream(new Random(seed)), AggregationLimits.DEFAULT, false, false, 0,
                true).folds;
        }
        assertTrue(folds > 200, "fast folds: " + folds);
    }

    static byte[] stream(final Random r)
    {
        final StringBuilder sse = new StringBuilder();
        int sequence = 0;
        event(sse, "{\"type\":\"response.created\",\"sequence_number\":" + sequence++ + ",\"response\":{\"id\":\"resp_1\"," +
            "\"status\":\"in_progress\",\"output\":[]}}");
        for (int i = 0; i < ITEMS.length; i++)
        {
            event(sse, "{\"type\":\"response.output_item.added\",\"sequence_number\":" + sequence++ + ",\"output_index\":" + i +
                ",\"item\":" + ITEMS[i] + "}");
        }
        final String[] obfuscations = {"\"\"", "\"kX3pQ\"", "\"abcdefghijklmnopqrstuvwxyz0123\"", "\"a\\u0041\\\"b\"",
            "\"\u00e9t\u00e9\"", "\"ab%FFc\"", "\"a\tb\"", "\"a\\qb\"", "7", "null", "{\"x\":1}", "\"abcdefghijklmnop\\n\""};
        int item = r.nextInt(ITEMS.length);
        final int oddOneIn = 2 + r.nextInt(12);
        for (int n = 0, events = 5 + r.nextInt(60); n < events; n++)
        {
            String sequenceText = Integer.toString(sequence++);
            String index = Integer.toString(item);
            String itemId = IDS[item];
            String obfuscation = padding(r);
            if (r.nextInt(oddOneIn) == 0)
            {
                switch (r.nextInt(7))
                {
                    case 0:
                        item = r.nextInt(ITEMS.length);
                        index = Integer.toString(item);
                        itemId = IDS[item];
                        break;
                    case 1:
                        sequence += r.nextBoolean() ? 5 : -3;
                        sequenceText = Integer.toString(sequence);
                        break;
                    case 2:
                        sequenceText = r.nextBoolean() ? "0" + sequenceText : sequenceText + (r.nextBoolean() ? ".0" : "e0");
                        break;
                    case 3:
                        itemId = IDS[r.nextInt(IDS.length)];
                        break;
                    case 4:
                        index = Integer.toString(r.nextInt(6));
                        break;
                    default:
                        obfuscation = obfuscations[r.nextInt(obfuscations.length)];
                        break;
                }
            }
            event(sse, "{\"type\":\"" + DELTA_TYPES[item] + "\",\"sequence_number\":" + sequenceText + ",\"item_id\":\"" + itemId +
                "\",\"output_index\":" + index + (item == 1 ? ",\"summary_index\":0" : item == 2 ? "" : ",\"content_index\":0") +
                ",\"delta\":" + delta(r, item == 2) + ",\"logprobs\":[],\"obfuscation\":" + obfuscation + "}");
        }
        for (int i = 0; i < ITEMS.length; i++)
        {
            event(sse, "{\"type\":\"response.output_item.done\",\"sequence_number\":" + sequence++ + ",\"output_index\":" + i +
                ",\"item\":" + ITEMS[i].replace("in_progress", "completed") + "}");
        }
        event(sse, "{\"type\":\"response.completed\",\"sequence_number\":" + sequence + ",\"response\":{\"id\":\"resp_1\"," +
            "\"status\":\"completed\"}}");
        return FastPathRun.rawBytes(sse.toString());
    }

    /** OpenAI's padding: 1 to 15 random letters. */
    private static String padding(final Random r)
    {
        final StringBuilder p = new StringBuilder("\"");
        for (int k = 1 + r.nextInt(15); k > 0; k--)
        {
            p.append((char)('a' + r.nextInt(26)));
        }
        return p.append('"').toString();
    }

    private static String delta(final Random r, final boolean arguments)
    {
        final String[] words = arguments
            ? new String[] {"{\\\"ci", "ty\\\":", "\\\"SF\\\"", "}", "", "0123456789abcdef"}
            : new String[] {"Hi", " there", " \u00e9", " \\u00e9", "\\n", " \uD83D\uDE42", "", "a much longer delta than the limit"};
        return "\"" + words[r.nextInt(words.length)] + "\"";
    }

    private static void event(final StringBuilder sse, final String data)
    {
        sse.append("data: ").append(data).append("\n\n");
    }
}
