package io.streamfold.aggregator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Gemini chunks that repeat one learnt chunk, with what varies (the text's bytes, the usage counts) and where
 * the repeats differ (a byte changed, put in or dropped) chosen by the fuzzer: raw bytes rarely make a chunk
 * the fast path learns, so this target starts from the shapes it does learn (AI Studio's text and thought
 * chunks with the usage growing, Vertex's with the finishReason and safety ratings on every chunk, compact
 * ones). The invariant is {@link AggregatorFuzzing#check}'s: fed whole and in the fuzzer's slices, with the
 * fast path on and off, the results, errors and listener deltas are the same.
 */
class GeminiFastPathFuzzTest
{
    /** The learnt chunk around {@code %s} (the text's bytes) and {@code %d} (two usage counts). */
    private static final String[] SHAPES = {
        "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"%s\"}],\"role\": \"model\"},\"index\": 0}]," +
            "\"usageMetadata\": {\"promptTokenCount\": 15,\"candidatesTokenCount\": %d,\"totalTokenCount\": %d," +
            "\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 15}]},\"modelVersion\": \"gemini-2.5-flash\"," +
            "\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}",
        "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"%s\",\"thought\": true}],\"role\": \"model\"},\"index\": 0}]," +
            "\"usageMetadata\": {\"promptTokenCount\": 34,\"totalTokenCount\": %d,\"promptTokensDetails\": [{\"modality\": " +
            "\"TEXT\",\"tokenCount\": 34}],\"thoughtsTokenCount\": %d},\"modelVersion\": \"gemini-2.5-pro\",\"responseId\": \"b\"}",
        "{ \"candidates\": [ { \"content\": { \"parts\": [ { \"text\": \"%s\" } ], \"role\": \"model\" }, \"finishReason\": \"STOP\", " +
            "\"index\": 0, \"safetyRatings\": [ { \"category\": \"HARM_CATEGORY_HATE_SPEECH\", \"probability\": \"NEGLIGIBLE\" } ] } ], " +
            "\"usageMetadata\": { \"candidatesTokenCount\": %d, \"totalTokenCount\": %d } }",
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"%s\"}]},\"groundingMetadata\":{}}]," +
            "\"usageMetadata\":{\"trafficType\":\"ON_DEMAND\",\"candidatesTokenCount\":%d,\"totalTokenCount\":%d}," +
            "\"createTime\":\"2026-04-02T17:03:50.399550Z\"}"
    };

    @FuzzTest(maxDuration = "60s")
    void repeatsOfALearntChunk(final FuzzedDataProvider data)
    {
        final String shape = data.pickValue(SHAPES);
        final boolean strict = data.consumeBoolean();
        final boolean array = data.consumeBoolean();
        final int[] cuts = DialectFuzzTest.cuts(data);
        final int chunks = 2 + data.consumeInt(0, 40);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((array ? "[" : "").getBytes(StandardCharsets.US_ASCII));
        long count = 1;
        for (int i = 0; i < chunks; i++)
        {
            count += data.consumeInt(0, 3) == 3 ? data.consumeLong(-2, 1L << 62) : data.consumeInt(0, 9);
            final byte[] text = text(data);
            final String[] around = shape.split("%s", -1);
            final String tail = String.format(around[1], count, count + 15);
            final ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            chunk.writeBytes(around[0].getBytes(StandardCharsets.US_ASCII));
            chunk.writeBytes(text);
            chunk.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
            final byte[] bytes = damage(chunk.toByteArray(), data);
            if (array)
            {
                out.writeBytes((i == 0 ? "" : ",\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bytes);
            }
            else
            {
                out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(bytes);
                out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (array)
        {
            out.writeBytes("]".getBytes(StandardCharsets.US_ASCII));
        }
        AggregatorFuzzing.check(Format.GEMINI, strict, out.toByteArray(), cuts);
    }

    /**
     * The text's bytes inside the quotes: mostly letters, or any string escaped as JSON writes it (non-ASCII as
     * UTF-8, lone surrogates and control characters escaped), or (rarely) the fuzzer's raw bytes.
     */
    private static byte[] text(final FuzzedDataProvider data)
    {
        final int kind = data.consumeInt(0, 5);
        if (kind == 5)
        {
            return data.consumeBytes(data.consumeInt(0, 12));
        }
        if (kind >= 3)
        {
            final String s = data.consumeString(12);
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++)
            {
                final char c = s.charAt(i);
                final boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (c == '"' || c == '\\')
                {
                    sb.append('\\').append(c);
                }
                else if (c < 0x20 || Character.isSurrogate(c) && !paired && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1))))
                {
                    sb.append(String.format("\\u%04x", (int)c));
                }
                else
                {
                    sb.append(c);
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        final byte[] letters = data.consumeBytes(data.consumeInt(0, 12));
        for (int i = 0; i < letters.length; i++)
        {
            letters[i] = (byte)(' ' + (letters[i] & 0x3f));
            if (letters[i] == '"' || letters[i] == '\\')
            {
                letters[i] = 'q';
            }
        }
        return letters;
    }

    /** Most chunks as built; some with a byte changed, put in or dropped where the fuzzer says. */
    private static byte[] damage(final byte[] chunk, final FuzzedDataProvider data)
    {
        // 0, what an exhausted input gives, leaves the chunk as built.
        final int kind = data.consumeInt(0, 11) - 9;
        if (kind < 0 || chunk.length == 0)
        {
            return chunk;
        }
        final int at = data.consumeInt(0, chunk.length - 1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(chunk, 0, at);
        if (kind == 0)
        {
            out.write(data.consumeByte());
            out.write(chunk, at + 1, chunk.length - at - 1);
        }
        else if (kind == 1)
        {
            out.write(data.consumeByte());
            out.write(chunk, at, chunk.length - at);
        }
        else
        {
            out.write(chunk, at + 1, chunk.length - at - 1);
        }
        return out.toByteArray();
    }
}
