package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The chunk shapes {@link ChunkShapes} learns on the shared template beyond one string, each in long runs of alike
 * chunks as providers send them: Together's (the token again at choice level, before the delta that it repeats),
 * logprob entries kept whole while their {@code bytes} and {@code top_logprobs} vary and their token repeats the
 * text or not, and a response-naming field ({@code model}) last. Fast and full path must agree on the same bytes
 * in any slicing, with and without a listener, and on every variant of a stream that differs from it at one byte
 * in one chunk, where the fast path must notice or read the change as the full path reads it.
 */
class ChunkShapesProperties
{
    private static final byte[] DAMAGE = {'"', '\\', '}', '{', ',', ':', ' ', '0', '9', '-', '.', 'e', 'x', '[', ']',
        (byte)0xC3, (byte)0xFF, 0x01, '\n'};

    @Property(tries = 300)
    void alikeChunksFoldAsTheFullPathReadsThem(@ForAll final Random random)
    {
        final boolean together = random.nextBoolean();
        final byte[][] chunks = bytes(together ? together(random) : logprobs(random));
        final byte[] stream = sse(chunks);
        final boolean listening = random.nextInt(3) != 0;
        final FastPathRun fast = compare(stream, random, listening);
        // Most chunks fold (an odd token or value sends one to the full path, which learns again).
        final String label = together ? "together: most chunks folded" : "logprobs: most chunks folded";
        Statistics.label(label).collect(fast.folds * 2 > chunks.length);
        Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p > 75));
    }

    @Property(tries = 400)
    void aChunkThatDiffersAtOneByteFoldsAsTheFullPathReadsIt(@ForAll final Random random)
    {
        final byte[][] chunks = bytes(random.nextBoolean() ? together(random) : logprobs(random));
        // A chunk after the one the template learns: changed, dropped or doubled at one byte.
        final int which = 2 + random.nextInt(chunks.length - 2);
        final byte[] chunk = chunks[which];
        final int at = random.nextInt(chunk.length);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(chunk, 0, at);
        switch (random.nextInt(3))
        {
            case 0:
                out.write(DAMAGE[random.nextInt(DAMAGE.length)]);
                out.write(chunk, at + 1, chunk.length - at - 1);
                break;
            case 1:
                out.write(chunk, at + 1, chunk.length - at - 1);
                break;
            default:
                out.write(chunk, at, chunk.length - at);
                out.write(chunk[chunk.length - 1]);
        }
        chunks[which] = out.toByteArray();
        compare(sse(chunks), random, random.nextBoolean());
    }

    private static FastPathRun compare(final byte[] stream, final Random random, final boolean listening)
    {
        final long seed = random.nextInt(3) == 0 ? 0 : random.nextLong();
        final boolean direct = random.nextInt(4) == 0;
        final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, direct, seed, false,
            listening);
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, direct, seed, true,
            listening);
        FastPathRun.assertSame(full, fast, "");
        return fast;
    }

    /** Together's chunks as recorded: the token at choice level, then a token id and the same token in the delta. */
    private static String[] together(final Random random)
    {
        final String[] chunks = new String[3 + random.nextInt(30)];
        for (int i = 0; i < chunks.length; i++)
        {
            final String token = token(random);
            final String copy = random.nextInt(10) == 0 ? token(random) : token;
            chunks[i] = "{\"id\":\"oV1nHvx\",\"object\":\"chat.completion.chunk\",\"created\":1769546683,\"choices\":[{\"index\":0," +
                "\"text\":" + copy + ",\"logprobs\":null,\"finish_reason\":null,\"seed\":null,\"delta\":{\"token_id\":" +
                random.nextInt(130_000) + ",\"role\":\"assistant\",\"content\":" + token + "}}],\"model\":\"deepseek-ai/DeepSeek-R1\"," +
                "\"usage\":null}";
        }
        return chunks;
    }

    /** OpenAI's chunks with one logprob entry each, whose members are the same in every chunk of the stream. */
    private static String[] logprobs(final Random random)
    {
        final boolean refusal = random.nextInt(4) == 0;
        final int tops = random.nextInt(3);
        final boolean withBytes = random.nextInt(4) != 0;
        final boolean obfuscation = random.nextBoolean();
        final String[] chunks = new String[3 + random.nextInt(30)];
        for (int i = 0; i < chunks.length; i++)
        {
            final String token = token(random);
            final StringBuilder entry = new StringBuilder("{\"token\":").append(random.nextInt(8) == 0 ? token(random) : token)
                .append(",\"logprob\":").append(logprob(random));
            if (withBytes)
            {
                entry.append(",\"bytes\":").append(bytes(random));
            }
            entry.append(",\"top_logprobs\":[");
            for (int k = 0; k < tops; k++)
            {
                entry.append(k > 0 ? "," : "").append("{\"token\":").append(token(random)).append(",\"logprob\":").append(logprob(random))
                    .append(",\"bytes\":").append(bytes(random)).append('}');
            }
            entry.append("]}");
            final String field = refusal ? "refusal" : "content";
            chunks[i] = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\"," +
                "\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"" + field + "\":" + token + "}," +
                "\"logprobs\":{\"" + field + "\":[" + entry + "]" + (refusal ? ",\"content\":null" : ",\"refusal\":null") +
                "},\"finish_reason\":null}],\"usage\":null" +
                (obfuscation ? ",\"obfuscation\":\"" + Long.toString(random.nextLong() & 0xFFFFFF, 36) + "\"" : "") + "}";
        }
        return chunks;
    }

    private static String token(final Random random)
    {
        return random.nextInt(6) == 0 ? ChunkTemplateEquivalenceTest.body(random) : "\" w" + random.nextInt(1000) + "\"";
    }

    private static String logprob(final Random random)
    {
        switch (random.nextInt(12))
        {
            case 0:
                return "-1.0e-7";
            case 1:
                return "0";
            case 2:
                return "-0.12345678901234567";
            default:
                return String.format(Locale.ROOT, "%.9f", -random.nextInt(2_000_000) / 1e7);
        }
    }

    private static String bytes(final Random random)
    {
        final StringBuilder b = new StringBuilder("[");
        for (int k = random.nextInt(5); k > 0; k--)
        {
            b.append(random.nextInt(256)).append(k > 1 ? "," : "");
        }
        return b.append(']').toString();
    }

    /** Each chunk's bytes (with the invalid UTF-8 its strings stand for). */
    private static byte[][] bytes(final String[] chunks)
    {
        final byte[][] bytes = new byte[chunks.length][];
        for (int i = 0; i < chunks.length; i++)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChunkTemplateEquivalenceTest.write(out, chunks[i]);
            bytes[i] = out.toByteArray();
        }
        return bytes;
    }

    private static byte[] sse(final byte[][] chunks)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkTemplateEquivalenceTest.write(out, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\"," +
            "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (final byte[] chunk : chunks)
        {
            out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(chunk);
            out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
