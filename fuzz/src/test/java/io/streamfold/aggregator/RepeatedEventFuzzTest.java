package io.streamfold.aggregator;

import static io.streamfold.aggregator.FuzzedBytes.value;
import static io.streamfold.aggregator.FuzzedBytes.write;

import java.io.ByteArrayOutputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamfold.testkit.EventStreamEncoder;

/**
 * Streams of a dialect's repeated event, as providers send them, where the fuzzer writes the values that change
 * (text, timestamps, padding) and now and then a whole event of its own: Ollama lines (a {@code created_at} per
 * line) and Bedrock {@code contentBlockDelta} messages (a {@code p} padding per message, framed with correct CRCs,
 * which random bytes alone almost never pass). Raw bytes rarely repeat an event long enough for a fast path to
 * learn it; here nearly every stream runs it, and {@link AggregatorFuzzing} checks it invisible (the same bytes
 * and slices with the fast path off give the same result, errors and listener deltas) besides everything it checks
 * for any bytes.
 */
class RepeatedEventFuzzTest
{
    // No entry holds CR or LF: jazzer-junit 0.24 writes them unescaped and libFuzzer then rejects the dictionary.
    // Entries are bytes, one per char: UTF-8 sequences are spelled byte by byte.
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
        "\\u00", "\\\"", "\\\\", "\\ud83d\\ude00", "\u00c3\u00a9", "\u00f0\u009f\u0098\u0080", "2025-10-26T17:15:24.097767Z",
        "\"},\"p\":\"",
        "\"thinking\":\"", "\"content\":\"", "\"response\":\"", "\"done\":true", "\"contentBlockIndex\":1", "\"toolUse\":{",
        "\"reasoningContent\":{", "\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{}}}]"
    })
    void typicalStreams(final FuzzedDataProvider data)
    {
        final boolean bedrock = data.consumeBoolean();
        final boolean strict = data.consumeBoolean();
        final int[] cuts = DialectFuzzTest.cuts(data);
        final byte[] stream = bedrock ? bedrock(data) : ollama(data);
        AggregatorFuzzing.check(bedrock ? Format.BEDROCK : Format.OLLAMA, strict, stream, cuts);
    }

    /** {@code /api/chat} or {@code /api/generate} lines, mostly of one shape, then (mostly) the done line. */
    private static byte[] ollama(final FuzzedDataProvider data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final boolean chat = data.consumeBoolean();
        final String end = data.consumeBoolean() ? "\n" : "\r\n";
        for (int i = 0, lines = data.consumeInt(1, 48); i < lines; i++)
        {
            final int kind = data.consumeInt(0, 15);
            if (kind == 0)
            {
                // A line of the fuzzer's own.
                out.writeBytes(data.consumeBytes(96));
                write(out, end);
                continue;
            }
            write(out, "{\"model\":\"llama3.2\",\"created_at\":");
            value(out, data);
            final String field = kind == 1 ? "\"thinking\":" : chat ? "\"content\":" : "\"response\":";
            write(out, chat ? ",\"message\":{\"role\":\"assistant\"," + field : "," + field);
            value(out, data);
            if (kind == 2)
            {
                write(out, ",\"thinking\":");
                value(out, data);
            }
            write(out, chat ? "}" : "");
            write(out, kind == 3 ? ",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}" : ",\"done\":false}");
            write(out, end);
        }
        if (data.consumeBoolean())
        {
            write(out, "{\"model\":\"llama3.2\",\"created_at\":\"2025-10-26T17:16:00Z\"," +
                (chat ? "\"message\":{\"role\":\"assistant\",\"content\":\"\"}" : "\"response\":\"\"") +
                ",\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":26,\"eval_count\":290}");
        }
        return out.toByteArray();
    }

    /** messageStart, text deltas of a block padded with {@code p}, now and then another event, then the end. */
    private static byte[] bedrock(final FuzzedDataProvider data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventStreamEncoder.event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}"));
        int block = 0;
        for (int i = 0, messages = data.consumeInt(1, 48); i < messages; i++)
        {
            final int kind = data.consumeInt(0, 15);
            final ByteArrayOutputStream payload = new ByteArrayOutputStream();
            String type = "contentBlockDelta";
            switch (kind)
            {
                case 0:
                    // A payload of the fuzzer's own.
                    payload.writeBytes(data.consumeBytes(96));
                    break;
                case 1:
                    type = "contentBlockStop";
                    write(payload, "{\"contentBlockIndex\":" + block++ + "}");
                    break;
                case 2:
                    write(payload, "{\"contentBlockIndex\":" + block + ",\"delta\":{\"reasoningContent\":{\"text\":");
                    value(payload, data);
                    write(payload, "}}}");
                    break;
                case 3:
                    out.writeBytes(EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow down\"}"));
                    continue;
                default:
                    write(payload, "{\"contentBlockIndex\":" + block + ",\"delta\":{\"text\":");
                    value(payload, data);
                    write(payload, "},\"p\":");
                    value(payload, data);
                    write(payload, "}");
            }
            out.writeBytes(new EventStreamEncoder().string(":event-type", type).string(":content-type", "application/json")
                .string(":message-type", "event").encode(payload.toByteArray()));
        }
        if (data.consumeBoolean())
        {
            out.writeBytes(EventStreamEncoder.event("messageStop", "{\"p\":\"abc\",\"stopReason\":\"end_turn\"}"));
            out.writeBytes(EventStreamEncoder.event("metadata", "{\"usage\":{\"inputTokens\":12,\"outputTokens\":7," +
                "\"totalTokens\":19},\"p\":\"abcdefghijk\"}"));
        }
        return out.toByteArray();
    }
}
