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
 * A repeated {@code response.output_text.delta} that carries one logprob entry (LM Studio's deltas) is folded by the
 * learnt delta template exactly as the full decoder folds it: the delta appended, the entry kept on its part and its
 * choice, its token and value heard by a listener. The entries here vary as a server's do (token, value, bytes,
 * top_logprobs) and in every way the template must not take: a token that is not the delta's or not a string, a value
 * Jackson reads otherwise or that is not a number, members missing, repeated, reordered or added, nesting over the
 * limit, no entry or two, logprobs that are not an array, bytes that are not JSON or not UTF-8; items and indices that
 * change, limits reached in the middle of the repeats; with and without a listener, fed in any slices.
 */
class ResponsesLogprobRepeatProperties
{
    private static final AggregationLimits[] LIMITS = {
        AggregationLimits.DEFAULT,
        AggregationLimits.builder().maxTextChars(24).build(),
        AggregationLimits.builder().maxResultChars(200).build(),
        AggregationLimits.builder().maxRawBytes(64).maxNestingDepth(4).build(),
        AggregationLimits.builder().maxRawBytes(400).build(),
    };

    private static final String[] WORDS = {"Hi", " there", " \u00e9", " \\u00e9", "\\n", " \uD83D\uDE42", "", "a much longer token than that"};

    @Property(tries = 300)
    void repeatedLogprobDeltasFoldAsTheFullDecoderFoldsThem(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final byte[] stream = stream(r);
        final String shown = new String(stream, StandardCharsets.UTF_8);
        for (final AggregationLimits limits : LIMITS)
        {
            final boolean listening = r.nextBoolean();
            FastPathRun.assertSameDrawn(Format.OPENAI_RESPONSES, stream, limits, r, listening, limits + " listening " + listening + "\n" + shown);
        }
    }

    /** The generator is not vacuous: deltas with their entry do take the template. */
    @Test
    void logprobDeltasAreFoldedByTheTemplate()
    {
        long folds = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            for (final boolean listening : new boolean[] {false, true})
            {
                folds += FastPathRun.of(Format.OPENAI_RESPONSES, stream(new Random(seed)), AggregationLimits.DEFAULT, false, false, 0, true,
                    listening).folds;
            }
        }
        assertTrue(folds > 400, "fast folds: " + folds);
    }

    static byte[] stream(final Random r)
    {
        final StringBuilder sse = new StringBuilder();
        int sequence = 0;
        event(sse, "{\"type\":\"response.created\",\"sequence_number\":" + sequence++ + ",\"response\":{\"id\":\"resp_1\"," +
            "\"status\":\"in_progress\",\"output\":[]}}");
        for (int i = 0; i < 2; i++)
        {
            event(sse, "{\"type\":\"response.output_item.added\",\"sequence_number\":" + sequence++ + ",\"output_index\":" + i +
                ",\"item\":{\"id\":\"msg_" + i + "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}}");
            event(sse, "{\"type\":\"response.content_part.added\",\"sequence_number\":" + sequence++ + ",\"item_id\":\"msg_" + i +
                "\",\"output_index\":" + i + ",\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[]," +
                "\"text\":\"\"}}");
        }
        int item = r.nextInt(2);
        final int oddOneIn = 2 + r.nextInt(10);
        for (int n = 0, events = 5 + r.nextInt(50); n < events; n++)
        {
            final String word = WORDS[r.nextInt(WORDS.length)];
            String delta = "\"" + word + "\"";
            String token = delta;
            String logprob = r.nextBoolean() ? "0" : "-" + r.nextInt(3) + "." + r.nextInt(1000);
            String bytes = "[32,72,105]";
            String top = "[]";
            String index = Integer.toString(item);
            String logprobs = null;
            String order = "tlbp";
            String extra = "";
            boolean reasoning = false;
            if (r.nextInt(oddOneIn) == 0)
            {
                switch (r.nextInt(12))
                {
                    case 0:
                        item = r.nextInt(2);
                        index = Integer.toString(item);
                        break;
                    case 1:
                        token = pick(r, "\"other\"", "\"\\u0041\"", "\"\u00e9\"", "7", "null", "\"a%FFb\"", "\"a\tb\"", "\"a\\qb\"",
                            "\"" + WORDS[7] + WORDS[7] + "\"");
                        break;
                    case 2:
                        logprob = pick(r, "-0", "1e-3", "-1.5E+2", "-12345678901234567890.5", "1e400", "-0.1000000000000000055511151231257827",
                            "\"x\"", "null", "01", "-", "1.", "2e");
                        break;
                    case 3:
                        bytes = pick(r, "[]", "\"x\"", "[[[[[1]]]]]", "[1,]", "null", "{\"a\":[1,{\"b\":2}]}");
                        break;
                    case 4:
                        top = pick(r, "[{\"token\":\"a\",\"logprob\":-1,\"bytes\":[97]}]", "[[[[[]]]]]", "[{\"token\":\"a\"}", "{}");
                        break;
                    case 5:
                        order = pick(r, "ltbp", "tbpl", "tlb", "lbp", "tlbpt", "tllbp", "bp", "");
                        break;
                    case 6:
                        extra = pick(r, ",\"x\":{\"y\":[1,2]}", ",\"token\":\"again\"", ",\"logprob\":-9", ", \"z\" : true ", ",\"q\":");
                        break;
                    case 7:
                        logprobs = pick(r, "[]", "{}", "null", "[1]", "[{},{}]", "[{\"token\":\"a\",\"logprob\":0},{\"token\":\"b\",\"logprob\":-1}]",
                            "[ {\"token\":" + token + ",\"logprob\":0} ]", "\"x\"");
                        break;
                    case 8:
                        delta = pick(r, "7", "null", "\"" + WORDS[7] + WORDS[7] + WORDS[7] + "\"", "\"%C3\"");
                        break;
                    case 9:
                        index = pick(r, "5", "-1", "0", "1", "1.0");
                        break;
                    case 10:
                        reasoning = true;
                        break;
                    default:
                        sequence += r.nextBoolean() ? 7 : -2;
                        break;
                }
            }
            if (logprobs == null)
            {
                final String entry = entry(order, token, logprob, bytes, top);
                logprobs = "[" + entry.substring(0, entry.length() - 1) + extra + "}]";
            }
            final String type = reasoning ? "response.reasoning_text.delta" : "response.output_text.delta";
            event(sse, "{\"type\":\"" + type + "\",\"item_id\":\"msg_" + item + "\",\"output_index\":" + index + ",\"content_index\":0," +
                "\"delta\":" + delta + ",\"logprobs\":" + logprobs + ",\"sequence_number\":" + sequence++ + "}");
        }
        for (int i = 0; i < 2; i++)
        {
            event(sse, "{\"type\":\"response.output_item.done\",\"sequence_number\":" + sequence++ + ",\"output_index\":" + i +
                ",\"item\":{\"id\":\"msg_" + i + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":[],\"role\":\"assistant\"}}");
        }
        event(sse, "{\"type\":\"response.completed\",\"sequence_number\":" + sequence + ",\"response\":{\"id\":\"resp_1\"," +
            "\"status\":\"completed\"}}");
        return FastPathRun.rawBytes(sse.toString());
    }

    /** One entry, its members in {@code order} (t token, l logprob, b bytes, p top_logprobs; a letter again repeats it). */
    private static String entry(final String order, final String token, final String logprob, final String bytes, final String top)
    {
        final StringBuilder e = new StringBuilder("{");
        for (int i = 0; i < order.length(); i++)
        {
            if (i > 0)
            {
                e.append(',');
            }
            switch (order.charAt(i))
            {
                case 't':
                    e.append("\"token\":").append(token);
                    break;
                case 'l':
                    e.append("\"logprob\":").append(logprob);
                    break;
                case 'b':
                    e.append("\"bytes\":").append(bytes);
                    break;
                default:
                    e.append("\"top_logprobs\":").append(top);
                    break;
            }
        }
        return e.append('}').toString();
    }

    private static String pick(final Random r, final String... choices)
    {
        return choices[r.nextInt(choices.length)];
    }

    private static void event(final StringBuilder sse, final String data)
    {
        sse.append("data: ").append(data).append("\n\n");
    }
}
