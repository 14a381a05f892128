package io.streamfold.aggregator;

import static io.streamfold.aggregator.FuzzedBytes.ownEvent;
import static io.streamfold.aggregator.FuzzedBytes.value;
import static io.streamfold.aggregator.FuzzedBytes.write;

import java.io.ByteArrayOutputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * OpenAI chat streams of one repeated chunk, where the fuzzer writes the values that change (text, its field name:
 * reasoning, then the answer or a refusal; TGI's created second; a logprob entry's token) and now and then a
 * finish, a usage object or a line of its own; a logprob entry may carry the token's bytes. Raw bytes rarely repeat a
 * chunk long enough for the chat fast paths to learn it; here nearly every stream runs them, and
 * {@link AggregatorFuzzing} checks them invisible besides everything it checks for any bytes.
 */
class ChatChunkFuzzTest
{
    private static final String[] FIELDS = {"content", "reasoning_content", "reasoning", "refusal", "content"};

    // No entry holds CR or LF (jazzer-junit writes them unescaped); UTF-8 sequences are spelled byte by byte.
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
        "\\u00", "\\\"", "\\\\", "\\n", "\\ud83d\\ude00", "\u00c3\u00a9", "\u00f0\u009f\u0098\u0080", "**",
        "\"content\":\"", "\"reasoning_content\":\"", "\"refusal\":", "null", "1712154498", "\"},\"logprobs\":null"
    })
    void repeatedChunks(final FuzzedDataProvider data)
    {
        final boolean strict = data.consumeBoolean();
        final int[] cuts = DialectFuzzTest.cuts(data);
        AggregatorFuzzing.check(Format.OPENAI_CHAT, strict, stream(data), cuts);
    }

    private static byte[] stream(final FuzzedDataProvider data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final boolean tgi = data.consumeBoolean();
        final boolean logprobs = data.consumeBoolean();
        // A logprob entry's bytes: compact integer arrays of the fuzzer's numbers (the template's compact scan), now and
        // then the fuzzer's own bytes between the brackets.
        final boolean tokenBytes = logprobs && data.consumeBoolean();
        String field = FIELDS[data.consumeInt(0, FIELDS.length - 1)];
        for (int i = 0, chunks = data.consumeInt(1, 48); i < chunks; i++)
        {
            final int kind = data.consumeInt(0, 15);
            if (kind == 0)
            {
                ownEvent(out, data);
                continue;
            }
            if (kind == 1)
            {
                field = FIELDS[data.consumeInt(0, FIELDS.length - 1)];
            }
            write(out, "data: {\"id\":\"c\",\"object\":\"" + (tgi ? "text_completion" : "chat.completion.chunk") + "\",\"created\":");
            if (kind == 2)
            {
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 12)));
            }
            else
            {
                write(out, "1712154497");
            }
            write(out, ",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"" + field + "\":");
            value(out, data);
            write(out, "}");
            if (logprobs)
            {
                write(out, ",\"logprobs\":{\"content\":[{\"token\":");
                value(out, data);
                write(out, ",\"logprob\":-0.5");
                if (tokenBytes)
                {
                    write(out, ",\"bytes\":[");
                    if (kind == 5)
                    {
                        out.writeBytes(data.consumeBytes(data.consumeInt(0, 10)));
                    }
                    else
                    {
                        for (int b = 0, n = data.consumeInt(1, 4); b < n; b++)
                        {
                            write(out, (b > 0 ? "," : "") + data.consumeInt(0, 255));
                        }
                    }
                    write(out, "]");
                }
                write(out, ",\"top_logprobs\":[]}]}");
            }
            write(out, kind == 3 ? ",\"finish_reason\":\"stop\"}]" : "}]");
            if (kind == 4)
            {
                write(out, ",\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":5,\"total_tokens\":18}");
            }
            write(out, "}\n\n");
        }
        if (data.consumeBoolean())
        {
            write(out, "data: [DONE]\n\n");
        }
        return out.toByteArray();
    }
}
