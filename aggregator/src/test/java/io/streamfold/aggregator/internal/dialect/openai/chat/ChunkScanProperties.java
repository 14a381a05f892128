package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;

/**
 * A chunk the template does not fold is read scan-first ({@link ChunkScan}) when it holds only what the scan reads,
 * else by the token reader. Whatever the chunk (several choices, the index first, later or missing, deltas of every
 * text field or none, tool-call fragments of every kind (new calls, continuations by index, by id or neither, several
 * in a delta, values kept raw or reported), token ids of every kind of number, Together's choice-level text with or without a delta, Mistral's
 * content parts, Groq's channel and x_groq, logprob lists, finish reasons, usage, an
 * error, unknown fields, values of unexpected types, {@code -0}, escaped identity values that compare equal byte for
 * character to another kept value) and whatever the limits, any slicing: the stream folds as the token reader alone
 * folds it (the fast path off), errors and listener events included.
 */
public class ChunkScanProperties
{
    private static final String[] IDS = {"\"c1\"", "\"c1\"", "\"c2\"", "\"\"", "null", "\"a\\\\\\\\b\"", "\"a\\\\b\"", "-0", "0", "7",
        "\"caf\u00e9\""};
    private static final String[] OBJECTS = {"\"chat.completion.chunk\"", "\"text_completion\"", "\"text\\u005fcompletion\"", "5"};
    private static final String[] CREATED = {"1700", "1700", "1701", "0", "-0", "\"1700\"", "1.5", "null"};
    private static final String[] INDEXES = {"0", "0", "0", "1", "-0", "\"0\"", "99999999999", "1.0", "null"};
    private static final String[] TEXT_FIELDS = {"content", "content", "reasoning_content", "reasoning", "refusal"};
    private static final String[] OTHER_DELTA = {"\"role\":\"assistant\"", "\"role\":\"\"", "\"role\":null", "\"role\":5",
        "\"content\":null", "\"reasoning\":null", "\"refusal\":null", "\"channel\":\"analysis\"", "\"channel\":null", "\"channel\":-0",
        "\"channel\":{\"a\":[1]}", "\"token_id\":5", "\"token_id\":null", "\"token_id\":-0", "\"token_id\":-7", "\"token_id\":1.5",
        "\"token_id\":2e3", "\"token_id\":123456789012345678", "\"token_id\":-123456789012345678", "\"token_id\":1234567890123456789",
        "\"token_id\":12345678901234567890", "\"token_id\":\"5\"", "\"token_id\":[5]", "\"tool_calls\":null", "\"tool_calls\":[]",
        "\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]",
        "\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]",
        "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]", "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]",
        "\"tool_calls\":[{\"index\":1,\"id\":\"u\",\"function\":{\"name\":\"g\",\"arguments\":\"caf\u00e9\\n\"}}]",
        "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"x\"}},{\"index\":1,\"function\":{\"arguments\":\"y\"}}]",
        "\"tool_calls\":[{\"id\":\"t\",\"function\":{\"arguments\":\"z\"}}]", "\"tool_calls\":[{\"function\":{\"arguments\":\"w\"}}]",
        "\"tool_calls\":[{\"index\":0,\"id\":\"t2\",\"function\":{\"name\":\"f\"}}]", "\"tool_calls\":[{\"index\":-0,\"function\":{\"arguments\":\"a\"}}]",
        "\"tool_calls\":[{\"index\":99999999999,\"function\":{\"arguments\":\"a\"}}]", "\"tool_calls\":[{\"index\":\"0\"}]",
        "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":{\"a\":1}}}]", "\"tool_calls\":[{\"index\":0,\"type\":5,\"id\":null}]",
        "\"tool_calls\":[{\"index\":0,\"function\":null}]", "\"tool_calls\":[{\"index\":0,\"function\":\"f\"}]",
        "\"tool_calls\":[{\"index\":0,\"name\":\"n\",\"arguments\":\"{}\"}]", "\"tool_calls\":[{\"index\":0,\"id\":[1]}]",
        "\"tool_calls\":[1]", "\"tool_calls\":[{\"index\":0},2]", "\"tool_calls\":{}",
        "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"@\"}}]", "\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"@\"}}]", "\"function_call\":null",
        "\"function_call\":\"x\"", "\"foo\":null", "\"foo\":1",
        // Unknown fields of every kind, repeated so that strings join, arrays grow and a field changes its type.
        "\"foo\":\"a\\u00e9\"", "\"foo\":\"@\"", "\"foo\":[]", "\"foo\":[1,\"s\\n\",null,true,{\"a\":-0},[2]]", "\"foo\":[-0]",
        "\"foo\":[ -1.5e3 , \"x\" ]", "\"foo\":{\"k\":[1]}", "\"foo\":-0", "\"foo\":-2.50", "\"foo\":false", "\"bar\":\"b\"",
        "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"@\",\"format\":\"anthropic-claude-v1\",\"index\":0}]",
        "\"reasoning_details\":[]", "\"reasoning_details\":null",
        // Indexed entries in pieces, merged by index; with entries of other kinds, a null, a nested value, no index.
        "\"reasoning_details\":[ {\"index\":1,\"type\":\"reasoning.encrypted\",\"data\":\"e\\u00e9\",\"id\":null} ]",
        "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"signature\":\"s\",\"index\":0,\"x\":{\"k\":-0},\"n\":[1]}]",
        "\"reasoning_details\":[{\"text\":\"no index\"},2,{\"index\":\"0\",\"text\":\"q\"},{\"index\":-1,\"text\":\"r\"}]",
        "\"executed_tools\":[{\"index\":0,\"type\":\"search\",\"arguments\":\"{\\\"q\\\":1}\",\"search_results\":{\"results\":[]}}]",
        "\"executed_tools\":[{\"index\":0,\"type\":\"search\",\"arguments\":\"{\\\"q\\\":1}\",\"output\":\"o\"}]", "\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"hm\"}]}]",
        "\"content\":[{\"type\":\"text\",\"text\":\"x\"}]", "\"content\":[{\"text\":\"y\",\"type\":\"thinking\"}]",
        "\"content\":[{\"type\":\"thinking\",\"thinking\":\"s\"}]", "\"content\":[{\"type\":\"thinking\",\"thinking\":[]}]",
        "\"content\":[{\"type\":\"thinking\",\"thinking\":[1]}]", "\"content\":[{\"type\":\"reference\",\"reference_ids\":[1,-0]},{\"type\":\"text\",\"text\":\"@\",\"x\":1}]", "\"content\":[\"s\"]", "\"content\":[]"};
    private static final String[] ENTRIES = {"{\"token\":\"a\",\"logprob\":-0.5,\"top_logprobs\":[]}",
        "{\"token\":\"b\",\"logprob\":-0,\"bytes\":[98]}", "{\"logprob\":-1e-3,\"token\":\"c\",\"token\":\"d\"}", "{}", "1",
        "{\"token\":\"e\",\"logprob\":\"x\"}"};
    private static final String[] CHOICE_OTHER = {"\"finish_reason\":null", "\"finish_reason\":\"stop\"", "\"finish_reason\":\"\"",
        "\"finish_reason\":5", "\"text\":\"t\"", "\"text\":\"t\"", "\"text\":null", "\"text\":5", "\"text\":\"caf\u00e9\\n\"",
        "\"stop_reason\":null", "\"stop_reason\":-0", "\"stop_reason\":\"s\"",
        "\"token_ids\":null", "\"token_ids\":[1,2]", "\"token_ids\":[]", "\"token_ids\":[ 7 , -0 ]",
        "\"token_ids\":[1,2.5]", "\"token_ids\":[1,\"2\"]", "\"token_ids\":[1234567890123456789]", "\"token_ids\":5", "\"logprobs\":null", "\"logprobs\":\"x\"", "\"message\":{\"content\":\"m\"}",
        "\"delta\":null"};
    private static final String[] TOP_OTHER = {"\"usage\":null", "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}",
        "\"usage\":{\"a\":-0}", "\"usage\":5", "\"x_groq\":{\"id\":\"q\",\"usage\":{\"prompt_tokens\":1}}", "\"x_groq\":{\"usage\":null}",
        "\"x_groq\":{\"usage\":5}", "\"x_groq\":5", "\"error\":null", "\"error\":{\"message\":\"m\",\"code\":-0}", "\"error\":\"e\"",
        "\"obfuscation\":\"abc\"", "\"system_fingerprint\":\"fp\"", "\"choices\":[]", "\"choices\":[1]", "\"choices\":null"};
    private static final String[] BLANKS = {"", "", "", " ", "\n\t "};
    private static final String[] TEXTS = {"Hi", " there", "", "caf\u00e9", "\\n", "a\\\"b", "\\\\", "\\u00e9"};

    @Property(tries = 1000)
    void chunksReadScanFirstFoldAsTheTokenReaderReadsThem(@ForAll final Random random)
    {
        final byte[] stream = stream(random);
        final AggregationLimits limits = limits(random);
        FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, limits, random,
            limits + "\n" + new String(stream, StandardCharsets.UTF_8));
    }

    /** An id whose bytes spell, character for byte, the id kept from another (a backslash pair) is kept anew. */
    @Example
    void anEscapedIdEqualToTheKeptOneByteForCharacterIsKeptAnew()
    {
        final String a = "{\"id\":\"a\\\\\\\\b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}";
        final String b = "{\"id\":\"a\\\\b\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"y\"}}]}";
        final byte[] stream = ("data: " + a + "\n\ndata: " + b + "\n\n").getBytes(StandardCharsets.UTF_8);
        FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, new Random(1), new String(stream, StandardCharsets.UTF_8));
    }

    private static AggregationLimits limits(final Random random)
    {
        switch (random.nextInt(8))
        {
            case 0:
                return AggregationLimits.builder().maxRawFields(1 + random.nextInt(4)).build();
            case 1:
                return AggregationLimits.builder().maxRawBytes(1 + random.nextInt(20)).build();
            case 2:
                return AggregationLimits.builder().maxTextChars(1 + random.nextInt(12)).build();
            case 3:
                return AggregationLimits.builder().maxNestingDepth(1 + random.nextInt(7)).build();
            case 4:
                return AggregationLimits.builder().maxChoices(1).build();
            case 5:
                // Also bounds the entries of an indexed delta list.
                return AggregationLimits.builder().maxPartsPerChoice(1 + random.nextInt(2)).build();
            default:
                return AggregationLimits.DEFAULT;
        }
    }

    /** A few chunk shapes, each repeated with other texts (so that templates are learnt and left), in any order. */
    static byte[] stream(final Random random)
    {
        final List<String> shapes = new ArrayList<>();
        // Two ids per stream, so that a chunk often repeats or changes the one kept.
        final String[] ids = {IDS[random.nextInt(IDS.length)], IDS[random.nextInt(IDS.length)]};
        for (int n = 1 + random.nextInt(4); n > 0; n--)
        {
            shapes.add(chunk(random, ids[random.nextInt(2)]));
        }
        final StringBuilder sse = new StringBuilder();
        String shape = shapes.get(0);
        for (int n = 1 + random.nextInt(16); n > 0; n--)
        {
            if (random.nextInt(3) == 0)
            {
                shape = shapes.get(random.nextInt(shapes.size()));
            }
            sse.append("data: ").append(shape.replace("@", TEXTS[random.nextInt(TEXTS.length)])).append("\n\n");
        }
        if (random.nextBoolean())
        {
            sse.append("data: [DONE]\n\n");
        }
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One chunk, its varying text written {@code @}. */
    private static String chunk(final Random random, final String id)
    {
        final List<String> members = new ArrayList<>();
        members.add("\"id\":" + id);
        members.add("\"object\":" + OBJECTS[random.nextInt(OBJECTS.length)]);
        members.add("\"created\":" + CREATED[random.nextInt(CREATED.length)]);
        members.add("\"model\":\"m\"");
        // The check locates the first choice as it checks the array: blanks, a trailing comma, a scalar first element or
        // a missing comma too.
        final String blank = BLANKS[random.nextInt(BLANKS.length)];
        final StringBuilder choices = new StringBuilder("\"choices\":[").append(blank);
        if (random.nextInt(16) == 0)
        {
            choices.append(random.nextBoolean() ? "1," : "null").append(blank);
        }
        for (int c = random.nextInt(8) == 0 ? 2 : 1; c > 0; c--)
        {
            choices.append(choice(random)).append(blank).append(c > 1 ? "," + blank : "");
        }
        if (random.nextInt(32) == 0)
        {
            choices.append(',');
        }
        members.add(choices.append(']').toString());
        for (int n = random.nextInt(3); n > 0; n--)
        {
            members.add(random.nextInt(members.size() + 1), TOP_OTHER[random.nextInt(TOP_OTHER.length)]);
        }
        return "{" + String.join(",", members) + "}";
    }

    private static String choice(final Random random)
    {
        final List<String> members = new ArrayList<>();
        final StringBuilder delta = new StringBuilder("{");
        final List<String> fields = new ArrayList<>();
        if (random.nextInt(6) != 0)
        {
            fields.add("\"" + TEXT_FIELDS[random.nextInt(TEXT_FIELDS.length)] + "\":\"@\"");
        }
        for (int n = random.nextInt(3); n > 0; n--)
        {
            fields.add(random.nextInt(fields.size() + 1), OTHER_DELTA[random.nextInt(OTHER_DELTA.length)]);
        }
        delta.append(String.join(",", fields)).append('}');
        members.add("\"delta\":" + delta);
        if (random.nextInt(3) == 0)
        {
            final StringBuilder list = new StringBuilder();
            for (int n = random.nextInt(3); n > 0; n--)
            {
                list.append(list.length() > 0 ? "," : "").append(ENTRIES[random.nextInt(ENTRIES.length)]);
            }
            members.add("\"logprobs\":{\"" + (random.nextInt(4) == 0 ? "refusal" : "content") + "\":[" + list + "]}");
        }
        for (int n = random.nextInt(3); n > 0; n--)
        {
            members.add(CHOICE_OTHER[random.nextInt(CHOICE_OTHER.length)]);
        }
        final String index = "\"index\":" + INDEXES[random.nextInt(INDEXES.length)];
        switch (random.nextInt(6))
        {
            case 0:
                members.add(random.nextInt(members.size() + 1), index);
                break;
            case 1:
                break;
            default:
                members.add(0, index);
        }
        return "{" + String.join(",", members) + "}";
    }
}
