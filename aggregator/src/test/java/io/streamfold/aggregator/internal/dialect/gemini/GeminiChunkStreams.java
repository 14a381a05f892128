package io.streamfold.aggregator.internal.dialect.gemini;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Gemini streams built to hit the edges of the repeated-chunk fast path: a run of chunks that repeat one
 * learnt chunk (AI Studio's spacing, Vertex's, or none) around a new text and growing usage counts, now and then
 * one that differs slightly: counts of another width, too long, negative, fractional or with a leading zero;
 * texts with escapes, surrogate pairs (raw, escaped, lone), multi-byte and invalid UTF-8, control bytes;
 * an extra field in the part, the candidate, the usage or the response; a finishReason, another one, or one
 * twice; safety ratings spaced otherwise or with another value; a second part, a thought, a signature, a call,
 * citations; a second candidate, another index; a key given twice; whitespace put in; a chunk cut short.
 */
final class GeminiChunkStreams
{
    private static final String[] TEXTS = {
        "The", " stream", " é", " naïve", " 数据", " 🙂", "\\n", " \\\"quoted\\\"", "\\u00e9", "\\ud83d\\ude00", "", " a",
        "\\ud800", "\\u0000", " tab\\t", "\\/"
    };
    private static final String[] STYLES = { "\": ", "\":", "\" : " };

    private GeminiChunkStreams()
    {
    }

    /** The shape that stays the same through a run, drawn once per stream. */
    private static final class Learnt
    {
        String colon;
        boolean thought;
        boolean usage;
        boolean usageFirst;
        boolean details;
        boolean index;
        boolean finish;
        boolean safety;
        boolean grounding;
        boolean roleFirst;
        boolean createTime;
        boolean extra;
        String safetySpace;
        long prompt;
        long candidates;
        long thoughts;

        static Learnt random(final Random random)
        {
            final Learnt l = new Learnt();
            l.colon = STYLES[random.nextInt(STYLES.length)];
            l.thought = random.nextInt(4) == 0;
            l.usage = random.nextInt(5) != 0;
            l.usageFirst = random.nextInt(6) == 0;
            l.details = random.nextBoolean();
            l.index = random.nextBoolean();
            l.finish = random.nextInt(4) == 0;
            l.safety = random.nextInt(3) == 0;
            l.grounding = random.nextInt(4) == 0;
            l.roleFirst = random.nextBoolean();
            l.createTime = random.nextInt(3) == 0;
            l.extra = random.nextInt(4) == 0;
            l.safetySpace = random.nextBoolean() ? " " : "";
            l.prompt = random.nextInt(3) == 0 ? 9 : random.nextInt(100_000);
            l.candidates = random.nextInt(3) == 0 ? 98 : random.nextInt(1000);
            l.thoughts = random.nextInt(3) == 0 ? -1 : random.nextInt(1000);
            return l;
        }
    }

    /** @return a stream of one to sixty chunks, over SSE or (one in five) as a JSON array. */
    static byte[] stream(final Random random)
    {
        final Learnt l = Learnt.random(random);
        final boolean array = random.nextInt(5) == 0;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int chunks = 1 + random.nextInt(60);
        if (array)
        {
            write(out, "[");
        }
        for (int i = 0; i < chunks; i++)
        {
            l.candidates += random.nextInt(3) == 0 ? random.nextInt(2000) : random.nextInt(4);
            final int what = random.nextInt(3) == 0 ? random.nextInt(45) : -1;
            final byte[] chunk = chunk(l, what, i == chunks - 1, random);
            if (array)
            {
                write(out, i == 0 ? "" : ",\r\n");
                out.writeBytes(chunk);
            }
            else
            {
                write(out, "data: ");
                out.writeBytes(chunk);
                write(out, random.nextInt(10) == 0 ? "\n\n" : "\r\n\r\n");
            }
        }
        if (array && random.nextInt(8) != 0)
        {
            write(out, "]");
        }
        return out.toByteArray();
    }

    /** One chunk of the learnt shape, changed as {@code what} says (-1: not at all). */
    private static byte[] chunk(final Learnt l, final int what, final boolean last, final Random random)
    {
        final String q = l.colon;
        final StringBuilder part = new StringBuilder("{\"text").append(q).append(text(random, what));
        if (l.thought != (what == 0))
        {
            part.append(",\"thought").append(q).append("true");
        }
        else if (what == 1)
        {
            part.append(",\"thought").append(q).append("false");
        }
        if (what == 2)
        {
            part.append(",\"thoughtSignature").append(q).append("\"c2ln\"");
        }
        if (what == 3)
        {
            part.append(",\"foo").append(q).append(random.nextBoolean() ? "1" : "{\"a\": 1}");
        }
        if (what == 4)
        {
            part.append(",\"text").append(q).append("\"again\"");
        }
        part.append('}');
        final StringBuilder parts = new StringBuilder("[").append(part);
        if (what == 5)
        {
            parts.append(",{\"text").append(q).append(random.nextBoolean() ? "\"second\"}" : "\"thinking\",\"thought\":true}");
        }
        else if (what == 6)
        {
            parts.append(",{\"functionCall").append(q).append("{\"name\":\"f\",\"args\":{\"a\":1}}}");
        }
        parts.append(']');
        final String role = "\"role" + q + "\"model\"";
        final StringBuilder content = new StringBuilder("{");
        content.append(l.roleFirst ? role + ",\"parts" + q + parts : "\"parts" + q + parts + "," + role).append('}');

        final StringBuilder candidate = new StringBuilder("{\"content").append(q).append(what == 7 ? "null" : content);
        if (l.finish || what == 8 || (last && random.nextBoolean()))
        {
            final String reason = what == 9 ? "MAX_TOKENS" : "STOP";
            candidate.append(",\"finishReason").append(q).append('"').append(reason).append('"');
            if (what == 10)
            {
                candidate.append(",\"finishReason").append(q).append("\"SAFETY\"");
            }
        }
        if (l.index || what == 11)
        {
            candidate.append(",\"index").append(q).append(what == 11 ? "1" : "0");
        }
        if (l.safety || what == 12)
        {
            final String space = what == 13 ? (l.safetySpace.isEmpty() ? " " : "") : l.safetySpace;
            final String probability = what == 14 ? "LOW" : "NEGLIGIBLE";
            candidate.append(",\"safetyRatings").append(q).append('[').append(space).append("{\"category").append(q)
                .append("\"HARM_CATEGORY_HATE_SPEECH\",").append(space).append("\"probability").append(q).append('"')
                .append(probability).append("\"}").append(space).append(']');
        }
        if (l.grounding || what == 15)
        {
            candidate.append(",\"groundingMetadata").append(q).append(what == 16 ? "{\"webSearchQueries\": [\"q\"]}" : "{}");
        }
        if (what == 17)
        {
            candidate.append(",\"citationMetadata").append(q).append("{\"citationSources\":[{\"startIndex\":1,\"uri\":\"u\"}]}");
        }
        if (what == 18)
        {
            candidate.append(",\"avgLogprobs").append(q).append("-0.25");
        }
        candidate.append('}');

        final StringBuilder candidates = new StringBuilder("[").append(candidate);
        if (what == 19)
        {
            candidates.append(",{\"content\":{\"parts\":[{\"text\":\"other\"}],\"role\":\"model\"},\"index\":1}");
        }
        candidates.append(']');

        final StringBuilder usage = new StringBuilder("{\"promptTokenCount").append(q).append(count(l.prompt, random, what == 20));
        usage.append(",\"candidatesTokenCount").append(q).append(count(l.candidates, random, what == 21 || random.nextInt(25) == 0));
        usage.append(",\"totalTokenCount").append(q).append(count(l.prompt + l.candidates + Math.max(0, l.thoughts), random, false));
        if (l.details)
        {
            final String space = what == 43 ? " " : "";
            usage.append(",\"promptTokensDetails").append(q).append("[{\"modality").append(q).append("\"TEXT\",").append(space)
                .append("\"tokenCount").append(q).append(what == 22 ? l.prompt + 1 : l.prompt).append("}]");
        }
        if (l.thoughts >= 0)
        {
            usage.append(",\"thoughtsTokenCount").append(q).append(l.thoughts);
        }
        if (what == 23)
        {
            usage.append(",\"trafficType").append(q).append("\"ON_DEMAND\"");
        }
        if (what == 24)
        {
            usage.append(",\"cachedContentTokenCount").append(q).append(random.nextInt(50));
        }
        if (what == 25)
        {
            usage.append(",\"candidatesTokenCount").append(q).append("7");
        }
        usage.append('}');

        final StringBuilder response = new StringBuilder("{");
        final String usageMember = "\"usageMetadata" + q + (what == 26 ? "null" : what == 27 ? "{}" : usage);
        final boolean withUsage = l.usage != (what == 28);
        if (withUsage && l.usageFirst)
        {
            response.append(usageMember).append(',');
        }
        response.append("\"candidates").append(q).append(candidates);
        if (withUsage && !l.usageFirst)
        {
            response.append(',').append(usageMember);
        }
        if (what == 29)
        {
            response.append(',').append(usageMember);
        }
        response.append(",\"modelVersion").append(q).append(what == 30 ? "\"\"" : "\"gemini-2.5-flash\"");
        if (l.createTime)
        {
            response.append(",\"createTime").append(q).append("\"2026-04-02T17:03:50.399550Z\"");
        }
        response.append(",\"responseId").append(q).append(what == 31 ? "\"r\\u0032\"" : "\"r1\"");
        if (what == 32)
        {
            response.append(",\"promptFeedback").append(q).append("{\"blockReason\":\"SAFETY\"}");
        }
        if (what == 33)
        {
            response.append(",\"error").append(q).append(random.nextBoolean() ? "null" : "{\"code\":500,\"message\":\"boom\"}");
        }
        if (l.extra != (what == 34))
        {
            response.append(",\"extra").append(q).append(what == 44 ? "{ \"a\" : [1,2] }" : "{ \"a\" : [1, 2] }");
        }
        response.append('}');

        String s = response.toString();
        if (what == 35 || what == 36)
        {
            // Whitespace put in, or a byte dropped, somewhere.
            final int at = random.nextInt(s.length());
            s = what == 35 ? s.substring(0, at) + (random.nextBoolean() ? " " : "\n  ") + s.substring(at) :
                s.substring(0, at) + s.substring(at + 1);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (what == 37)
        {
            bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        else if (what == 38)
        {
            // A byte that is not UTF-8 in the text.
            final int at = s.indexOf("\"text") + 8;
            if (at < bytes.length)
            {
                bytes[at] = (byte)(0x80 + random.nextInt(0x80));
            }
        }
        return bytes;
    }

    private static String text(final Random random, final int what)
    {
        if (what == 39)
        {
            return "\"" + "long text ".repeat(1 + random.nextInt(40)) + "\"";
        }
        if (what == 40)
        {
            return "\"ctl\u0001\"";
        }
        if (what == 41)
        {
            return "\"unterminated\\\"";
        }
        if (what == 42)
        {
            return random.nextBoolean() ? "null" : "7";
        }
        final StringBuilder sb = new StringBuilder("\"");
        for (int n = random.nextInt(4); n >= 0; n--)
        {
            sb.append(TEXTS[random.nextInt(TEXTS.length)]);
        }
        return sb.append('"').toString();
    }

    /** A usage count as written, or (when {@code odd}) one the full path may read otherwise. */
    private static String count(final long value, final Random random, final boolean odd)
    {
        if (!odd)
        {
            return Long.toString(value);
        }
        switch (random.nextInt(7))
        {
            case 0:
                return "-" + value;
            case 1:
                return "-0";
            case 2:
                return value + ".0";
            case 3:
                return "0" + value;
            case 4:
                return "12345678901234567";
            case 5:
                return "1234567890123456789012";
            default:
                return "1e3";
        }
    }

    private static void write(final ByteArrayOutputStream out, final String s)
    {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
