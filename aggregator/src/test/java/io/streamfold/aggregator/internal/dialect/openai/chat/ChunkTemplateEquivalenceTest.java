package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.internal.InternalErrors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repeated-prefix fast path must be invisible: every stream gives the same written JSON, normalized
 * JSON, errors, outcome and listener events with it on and off. The streams are built to hit its edges:
 * chunks that repeat a header around string bodies with escapes, surrogate pairs (raw and escaped), lone
 * surrogates, multi-byte and invalid UTF-8, control bytes, bad escapes and unterminated strings; a varying
 * value after the choices (empty, escaped, absent); headers that change mid-stream; text that switches
 * between content, reasoning and refusal; finish, usage, tool-call, token-id and logprob chunks between
 * them; payloads cut short; small limits; strict and lenient; byte arrays and direct buffers. A share of the
 * streams repeat the richer chunks of {@link ChunkShapesStreams} (Together token ids, logprob entries,
 * reasoning, running usage) instead.
 */
class ChunkTemplateEquivalenceTest
{
    private static final String[] FIELDS = {"content", "content", "content", "reasoning_content", "refusal", "reasoning"};

    @Property(tries = 400)
    void fastPathGivesWhatTheFullPathGives(@ForAll final Random random)
    {
        final int kind = random.nextInt(8);
        final byte[] stream = kind == 0 ?
            ChatRoundTripProperties.encode(ChatRoundTripProperties.Completion.random(random), random) :
            kind < 4 ? ChunkShapesStreams.stream(random) : adversarialStream(random);
        final AggregationLimits limits = randomLimits(random);
        final boolean strict = random.nextInt(4) == 0;
        final boolean direct = random.nextInt(4) == 0;
        final long seed = random.nextLong();
        // Without a listener the fast path skips what only a listener hears (a logprob entry's token and value).
        final boolean listening = random.nextInt(4) != 0;

        final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, limits, strict, direct, seed, false, listening);
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, stream, limits, strict, direct, seed, true, listening);
        // The comparison means something only if the fast path ran in a good share of the streams.
        Statistics.label("fast path taken").collect(fast.folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 30));
        FastPathRun.assertSame(full, fast, "");
        for (final String e : fast.errors)
        {
            assertFalse(e.contains(InternalErrors.PREFIX), e);
        }
    }

    /**
     * Every logprob entry the generator writes, each after a chunk that teaches the fast path its members, with and
     * without a listener: every entry whose members it can learn is folded with its own value and token.
     */
    @Test
    void everyLogprobEntryIsReadAsTheFullPathReadsIt()
    {
        final byte[] stream = ChunkShapesStreams.everyEntry();
        for (final boolean listening : new boolean[] {false, true})
        {
            final FastPathRun full = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 1, false, listening);
            final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, stream, AggregationLimits.DEFAULT, false, false, 1, true, listening);
            FastPathRun.assertSame(full, fast, "listening " + listening);
            // 437 entries under test: about a third have members the fast path cannot learn (a repeated or escaped
            // name, a malformed or too deep value) or a value that is not a number; a listener also needs the value
            // read as surely as Jackson reads it.
            assertTrue(fast.folds > (listening ? 100 : 150), "fast path folds: " + fast.folds);
        }
    }

    private static AggregationLimits randomLimits(final Random random)
    {
        if (random.nextInt(3) != 0)
        {
            return AggregationLimits.DEFAULT;
        }
        return AggregationLimits.builder()
            .maxTextChars(1 + random.nextInt(200))
            .maxRawBytes(1 + random.nextInt(64))
            .maxRawFields(1 + random.nextInt(12))
            .maxArgumentChars(1 + random.nextInt(100))
            .build();
    }

    /** A stream of chunks that mostly repeat one header, mutated at random. */
    static byte[] adversarialStream(final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        String id = "chatcmpl-" + Long.toHexString(random.nextLong());
        String model = random.nextBoolean() ? "gpt-4o" : "m\\u00e9del";
        String field = FIELDS[random.nextInt(FIELDS.length)];
        final boolean obfuscation = random.nextBoolean();
        final boolean trailingModel = random.nextInt(4) == 0;
        final int chunks = 1 + random.nextInt(40);
        write(out, "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model +
            "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null," +
            "\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < chunks; i++)
        {
            final int what = random.nextInt(48);
            if (what == 0)
            {
                field = FIELDS[random.nextInt(FIELDS.length)];
            }
            else if (what == 1)
            {
                model = random.nextBoolean() ? "" : "other-model";
            }
            else if (what == 2)
            {
                id = random.nextBoolean() ? "" : "chatcmpl-" + i;
            }
            final StringBuilder chunk = new StringBuilder("data: ");
            chunk.append("{\"id\":\"").append(id).append("\",\"object\":\"chat.completion.chunk\",\"created\":")
                .append(what == 3 ? 0 : 1).append(trailingModel ? "" : ",\"model\":\"" + model + "\"").append(",\"choices\":[");
            if (what == 4)
            {
                chunk.append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}");
            }
            else if (what == 5)
            {
                chunk.append("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\"," +
                    "\"arguments\":\"{}\"}}]},\"logprobs\":null,\"finish_reason\":null}");
            }
            else if (what == 6)
            {
                chunk.append("{\"index\":0,\"delta\":{\"").append(field).append("\":").append(body(random))
                    .append("},\"logprobs\":{\"content\":[{\"token\":\"x\",\"logprob\":-0.5}]},\"finish_reason\":null,\"token_ids\":[7]}");
            }
            else if (what == 7)
            {
                chunk.append("{\"index\":1,\"delta\":{\"content\":").append(body(random)).append("},\"finish_reason\":null}");
            }
            else if (what == 8)
            {
                chunk.append("{\"index\":0,\"delta\":{\"").append(field).append("\":").append(body(random))
                    .append(",\"extra\":").append(body(random)).append("},\"finish_reason\":null}");
            }
            else if (what >= 19 && what <= 30)
            {
                // Argument fragments for calls named by index; sometimes resending the id, or in the legacy shape.
                final int k = what == 30 ? 1 : 0;
                final String head = what == 29 ? "\"id\":\"c\"," : what == 28 ? "\"type\":\"function\"," : "";
                chunk.append(what == 27 ? "{\"index\":0,\"delta\":{\"function_call\":{\"arguments\":" + body(random) + "}}" :
                    "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + k + "," + head + "\"function\":{\"arguments\":" +
                        (what == 26 ? "{\"a\":1}" : body(random)) + "}}]}").append(",\"logprobs\":null,\"finish_reason\":null}");
            }
            else if (what == 9)
            {
                chunk.append("{\"index\":0,\"delta\":{\"content\":null,\"token_id\":").append(i).append("},\"finish_reason\":null}");
            }
            else
            {
                chunk.append("{\"index\":0,\"delta\":{\"").append(field).append("\":").append(body(random))
                    .append("},\"logprobs\":null,\"finish_reason\":").append(what == 10 ? "0" : "null").append('}');
            }
            chunk.append("]");
            if (what == 11)
            {
                chunk.append(",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":").append(i).append('}');
            }
            else
            {
                chunk.append(",\"usage\":null");
            }
            if (trailingModel)
            {
                chunk.append(",\"model\":\"").append(model).append('"');
            }
            if (obfuscation)
            {
                chunk.append(",\"obfuscation\":").append(what == 12 ? "null" : what == 13 ? "7" : obfuscationValue(random));
            }
            if (what == 14)
            {
                chunk.append(",\"obfuscation\":\"fixed\"");
            }
            chunk.append(what == 15 ? " }" : "}");
            if (what == 16)
            {
                chunk.append("x");
            }
            String text = chunk.toString();
            if (what == 17 && text.length() > 10)
            {
                // Cut short: the prefix still matches, the rest is missing.
                text = text.substring(0, text.length() - 1 - random.nextInt(Math.min(30, text.length() - 8)));
            }
            write(out, text);
            write(out, "\n\n");
            if (what == 18)
            {
                write(out, "data: \n\n");
            }
        }
        if (random.nextBoolean())
        {
            write(out, "data: {\"id\":\"" + id + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        }
        if (random.nextBoolean())
        {
            write(out, "data: [DONE]\n\n");
        }
        return out.toByteArray();
    }

    private static String obfuscationValue(final Random random)
    {
        final int n = random.nextInt(5);
        if (n == 0)
        {
            return "\"\"";
        }
        if (n == 1)
        {
            return body(random);
        }
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = random.nextInt(12); i > 0; i--)
        {
            sb.append((char)('a' + random.nextInt(26)));
        }
        return sb.append('"').toString();
    }

    private static final String[] PIECES = {
        "a", "hello", " world", "é", "東京", "😀", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r",
        "\\u00e9", "\\u00E9", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\ud800", "\\udc00x", "\\u0000", "\\u001f"};

    /** A JSON string literal as raw text, sometimes broken in one of the ways a parser must refuse. */
    static String body(final Random random)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = random.nextInt(6); i > 0; i--)
        {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        switch (random.nextInt(30))
        {
            case 0:
                sb.append("\\x");
                break;
            case 1:
                sb.append("\\u12");
                break;
            case 2:
                sb.append('\u0001');
                break;
            case 3:
                sb.append('\t');
                break;
            case 4:
                sb.append("\\");
                break;
            case 5:
                sb.append("\"\"");
                break;
            case 6:
                // Raw bytes below are replaced after encoding (see write): invalid or unusual UTF-8.
                sb.append('\uE000' + random.nextInt(8));
                break;
            default:
                break;
        }
        return sb.append('"').toString();
    }

    /** Invalid and unusual UTF-8 the encoder cannot write: stand-ins U+E000.. are swapped for these bytes. */
    private static final byte[][] RAW = {
        {(byte)0xC0, (byte)0x80},
        {(byte)0xED, (byte)0xA0, (byte)0x80},
        {(byte)0xE0, (byte)0x80, (byte)0xAF},
        {(byte)0xF4, (byte)0x90, (byte)0x80, (byte)0x80},
        {(byte)0x80},
        {(byte)0xFF},
        {(byte)0xE2, (byte)0x82},
        {(byte)0xF0, (byte)0x9F, (byte)0x98}};

    static void write(final ByteArrayOutputStream out, final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c >= '\uE000' && c < '\uE000' + RAW.length)
            {
                out.writeBytes(RAW[c - '\uE000']);
            }
            else
            {
                final int end = i + (Character.isHighSurrogate(c) && i + 1 < text.length() ? 2 : 1);
                out.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
    }
}
