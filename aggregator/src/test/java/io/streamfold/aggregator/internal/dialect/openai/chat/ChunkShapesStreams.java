package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import io.streamfold.aggregator.OneByte;

/**
 * Streams of the chunks {@link ChunkShapes} folds, as providers send them and then damaged where the fast path
 * must notice: Together's (a {@code token_id} in every delta, the text again at choice level, in either of its
 * field orders), per-token logprob entries (numbers Jackson and the fast path could read differently, entries
 * with odd fields), reasoning under both names, vLLM's running usage and {@code token_ids}, each with an
 * {@code obfuscation} value or not; then chunks that change the shape, finish, or are cut or corrupted.
 */
final class ChunkShapesStreams
{
    private static final String[] LOGPROBS = {
        "-0.0025094282", "-0.26638845", "0", "-0", "-0.0", "-1e-5", "-1.5E+2", "-123456789012345678", "-7",
        "-0.12345678901234567", "-9.999999999999999e-23", "1e400", "-2.2250738585072014E-308", "\"-1\"", "null",
        "-0.30000000000000004", "-1.0e22", "-1e23", "-12345678901234567890"};
    private static final String[] ENTRY_TAILS = {
        "", ",\"bytes\":[70,111,111]", ",\"bytes\":null,\"top_logprobs\":[]",
        ",\"top_logprobs\":[{\"token\":\"a\",\"logprob\":-1.25,\"bytes\":[97]},{\"token\":\"b\",\"logprob\":-3}]",
        ",\"token\":\"again\"", ",\"logprob\":\"text\"", ",\"tok\\u0065n\":\"escaped name\"", ",\"extra\":{\"deep\":[1,{\"x\":null}]}",
        // The entry scanner's own edges: whitespace anywhere a token may end, names it must check as strings.
        " , \"bytes\" : [ 70 , 111 ] , \"top_logprobs\"\t: [ ] ", ",\"t\u014dken\":\"x\"", ",\"n\uE001\":1", ",\"n\u0001\":1",
        ",\"token\":\"x\uE003\"", ",\"logprob\":-1.5e", ",\"logprob\":- 1", ",}", ",\"bytes\":[1,]", ",\"x\" 1", ",\"token\":7",
        ",\"logprob\":-2,\"logprob\":-3.25", ",\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};
    private static final String[] USAGE_NUMBERS = {"0", "-0", "7", "1.5", "12345678901234567890", "null", "\"9\""};
    private static final byte[] DAMAGE = {'"', '\\', '}', '{', ',', ' ', '1', 'x', (byte)0xC3, (byte)0xFF, 0x01, '\n'};

    private ChunkShapesStreams()
    {
    }

    static byte[] stream(final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int shape = random.nextInt(6);
        final boolean obfuscation = random.nextInt(3) == 0;
        final String field = shape == 3 ? (random.nextBoolean() ? "reasoning_content" : "reasoning") :
            random.nextInt(6) == 0 ? "refusal" : "content";
        final int chunks = 1 + random.nextInt(40);
        // Providers send the same members in every entry: one tail for the stream, another now and then.
        final int streamTail = random.nextInt(ENTRY_TAILS.length + 2);
        long completion = 0;
        ChunkTemplateEquivalenceTest.write(out, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1," +
            "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"" + field + "\":\"\"}," +
            "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < chunks; i++)
        {
            final String text = random.nextInt(4) == 0 ? ChunkTemplateEquivalenceTest.body(random) : "\"t" + i + "\"";
            final StringBuilder c = new StringBuilder("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,");
            final int variant = random.nextInt(30) == 0 ? random.nextInt(6) : shape;
            switch (variant)
            {
                case 0:
                    // Together, as recorded: token id first, text again at choice level (another string now and
                    // then, well-formed or not, which the fast path must check on its own).
                    c.append("\"choices\":[{\"index\":0,\"text\":").append(random.nextInt(4) == 0 ? ChunkTemplateEquivalenceTest.body(random) : text).append(",\"logprobs\":null,\"finish_reason\":null,")
                        .append("\"seed\":null,\"delta\":{\"token_id\":").append(tokenId(random)).append(",\"role\":\"assistant\",\"")
                        .append(field).append("\":").append(text).append("}}],\"model\":\"m\",\"usage\":null");
                    break;
                case 1:
                    // The seed's order: token id last, explicit nulls.
                    c.append("\"choices\":[{\"delta\":{\"").append(field).append("\":").append(text)
                        .append(",\"function_call\":null,\"refusal\":null,\"role\":\"assistant\",\"tool_calls\":null,\"token_id\":")
                        .append(tokenId(random)).append("},\"finish_reason\":null,\"index\":0,\"logprobs\":null,\"text\":").append(text)
                        .append(",\"seed\":null}],\"model\":\"m\",\"usage\":null");
                    break;
                case 2:
                {
                    final boolean refusal = "refusal".equals(field);
                    c.append("\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"").append(field).append("\":").append(text)
                        .append("},\"logprobs\":{\"").append(refusal ? "refusal" : "content").append("\":[{\"token\":")
                        .append(random.nextInt(5) == 0 ? ChunkTemplateEquivalenceTest.body(random) : text)
                        .append(",\"logprob\":").append(random.nextInt(3) == 0 ? LOGPROBS[random.nextInt(LOGPROBS.length)] : logprob(random))
                        .append(entryTail(random, random.nextInt(6) == 0 ? random.nextInt(ENTRY_TAILS.length + 2) : streamTail)).append("}]")
                        .append(random.nextInt(8) == 0 ? ",\"content\":[{\"token\":\"second\",\"logprob\":-1}]" : "")
                        .append(refusal ? "" : ",\"refusal\":null").append("},\"finish_reason\":null}]");
                    break;
                }
                case 3:
                    c.append("\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"").append(field).append("\":")
                        .append(text).append(random.nextInt(10) == 0 ? ",\"reasoning\":" + text : "")
                        .append("},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null");
                    break;
                case 4:
                {
                    // vLLM: running usage on every chunk, token ids per choice.
                    completion += 1 + random.nextInt(3);
                    final String number = random.nextInt(15) == 0 ? USAGE_NUMBERS[random.nextInt(USAGE_NUMBERS.length)] :
                        Long.toString(completion);
                    c.append("\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"").append(field).append("\":").append(text)
                        .append("},\"logprobs\":null,\"finish_reason\":null,\"token_ids\":[");
                    for (int k = random.nextInt(4); k > 0; k--)
                    {
                        c.append(tokenId(random)).append(k > 1 ? "," : "");
                    }
                    c.append("]}],\"usage\":{\"prompt_tokens\":5,\"total_tokens\":").append(number);
                    if (random.nextInt(12) != 0)
                    {
                        c.append(",\"completion_tokens\":").append(completion);
                    }
                    c.append(random.nextInt(10) == 0 ? ",\"prompt_tokens_details\":{\"cached_tokens\":" + i + "}" : "").append('}');
                    break;
                }
                default:
                    // Tool-call arguments beside a token id.
                    c.append("\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"token_id\":").append(tokenId(random))
                        .append(",\"tool_calls\":[{\"index\":0").append(i == 0 ? ",\"id\":\"call\",\"function\":{\"name\":\"f\",\"arguments\":"
                            : ",\"function\":{\"arguments\":").append(text).append("}}]},\"logprobs\":null,\"finish_reason\":null}]");
            }
            if (obfuscation)
            {
                c.append(",\"obfuscation\":").append(random.nextInt(8) == 0 ? "\"\"" : "\"" + Long.toHexString(random.nextLong()) + "\"");
            }
            c.append('}');
            byte[] chunk = bytes(c.toString());
            if (random.nextInt(12) == 0)
            {
                chunk = OneByte.changed(chunk, 6, random, DAMAGE);
            }
            out.writeBytes(chunk);
            ChunkTemplateEquivalenceTest.write(out, "\n\n");
        }
        if (random.nextBoolean())
        {
            ChunkTemplateEquivalenceTest.write(out, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," +
                "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":" + completion + ",\"total_tokens\":9}}\n\n");
        }
        if (random.nextBoolean())
        {
            ChunkTemplateEquivalenceTest.write(out, "data: [DONE]\n\n");
        }
        return out.toByteArray();
    }

    /**
     * Logprob chunks around one entry of every kind the generator writes: each logprob value with each entry tail
     * comes after a chunk whose entry has the same members with a plain value (which teaches the fast path those
     * members, when it can learn them), and before a plain chunk again; the token repeats the content or not.
     */
    static byte[] everyEntry()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkTemplateEquivalenceTest.write(out, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\n\n");
        int n = 0;
        for (final String logprob : LOGPROBS)
        {
            for (final String tail : ENTRY_TAILS)
            {
                entry(out, n++, "-0.5", tail);
                entry(out, n++, logprob, tail);
                entry(out, n++, "-0.5", "");
            }
        }
        ChunkTemplateEquivalenceTest.write(out, "data: [DONE]\n\n");
        return out.toByteArray();
    }

    private static void entry(final ByteArrayOutputStream out, final int n, final String logprob, final String tail)
    {
        ChunkTemplateEquivalenceTest.write(out, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + n +
            "\"},\"logprobs\":{\"content\":[{\"token\":\"" + (n % 3 == 1 ? "u" : "t") + n + "\",\"logprob\":" + logprob + tail +
            "}]}}]}\n\n");
    }

    /** A logprob as providers print their float32 values: at most nine decimals. */
    static String logprob(final Random random)
    {
        return String.format(java.util.Locale.ROOT, "%.9f", -random.nextInt(2_000_000) / 1e7);
    }

    /** One of the odd tails, or the members real entries have, with values that vary from entry to entry. */
    private static String entryTail(final Random random, final int kind)
    {
        if (kind < ENTRY_TAILS.length)
        {
            return ENTRY_TAILS[kind];
        }
        final StringBuilder tail = new StringBuilder(",\"bytes\":[");
        for (int k = random.nextInt(5); k > 0; k--)
        {
            tail.append(random.nextInt(256)).append(k > 1 ? "," : "");
        }
        tail.append("],\"top_logprobs\":[");
        for (int k = kind == ENTRY_TAILS.length ? 0 : random.nextInt(3); k > 0; k--)
        {
            tail.append("{\"token\":").append(ChunkTemplateEquivalenceTest.body(random)).append(",\"logprob\":").append(logprob(random))
                .append(",\"bytes\":").append(random.nextBoolean() ? "null" : "[" + random.nextInt(256) + "]").append(k > 1 ? "}," : "}");
        }
        return tail.append(']').toString();
    }

    private static String tokenId(final Random random)
    {
        switch (random.nextInt(20))
        {
            case 0:
                return "-0";
            case 1:
                return "1.0";
            case 2:
                return "123456789012345678901";
            case 3:
                return "null";
            case 4:
                return "\"5\"";
            default:
                return Integer.toString(random.nextInt(130_000));
        }
    }

    private static byte[] bytes(final String text)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkTemplateEquivalenceTest.write(out, text);
        return out.toByteArray();
    }
}
