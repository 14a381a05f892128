package io.streamfold.aggregator;

import static io.streamfold.aggregator.FuzzedBytes.ownEvent;
import static io.streamfold.aggregator.FuzzedBytes.value;
import static io.streamfold.aggregator.FuzzedBytes.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * OpenAI Responses streams whose text deltas each carry one logprob entry (LM Studio's), where the fuzzer writes
 * the delta, the entry's token, value and bytes, and now and then an event of its own: the delta template learns
 * such a delta with its entry as a slot, and {@link AggregatorFuzzing} checks it invisible (the same bytes and slices
 * with the fast path off give the same result, errors and listener events) besides everything it checks for any bytes.
 */
class ResponsesLogprobFuzzTest
{
    // No entry holds CR or LF (see RepeatedEventFuzzTest). Entries are bytes, one per char.
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
        "\\u00", "\\\"", "\\\\", "\u00c3\u00a9", "\"token\":", "\"logprob\":", "\"bytes\":[", "\"top_logprobs\":[]", "1e400", "-0.25",
        "\"},{\"", "\"logprobs\":[]"
    })
    void logprobDeltas(final FuzzedDataProvider data)
    {
        final boolean strict = data.consumeBoolean();
        final int[] cuts = DialectFuzzTest.cuts(data);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        event(out, "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]},\"sequence_number\":0}");
        event(out, "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\"," +
            "\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"},\"sequence_number\":1}");
        event(out, "{\"type\":\"response.content_part.added\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0," +
            "\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"},\"sequence_number\":2}");
        for (int i = 0, events = data.consumeInt(1, 40); i < events; i++)
        {
            final int kind = data.consumeInt(0, 15);
            if (kind == 0)
            {
                // An event of the fuzzer's own.
                ownEvent(out, data);
                continue;
            }
            final ByteArrayOutputStream e = new ByteArrayOutputStream();
            write(e, "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":");
            final byte[] delta = value(data, 24);
            e.writeBytes(delta);
            write(e, ",\"logprobs\":[{\"token\":");
            e.writeBytes(kind == 1 ? value(data, 24) : delta);
            write(e, ",\"logprob\":");
            e.writeBytes(kind == 2 ? data.consumeBytes(data.consumeInt(0, 24)) : ("-" + data.consumeInt(0, 99) + "." + data.consumeInt(0, 999)).getBytes(
                StandardCharsets.US_ASCII));
            write(e, ",\"bytes\":[");
            e.writeBytes(kind == 3 ? data.consumeBytes(data.consumeInt(0, 24)) : Integer.toString(data.consumeInt(0, 255)).getBytes(StandardCharsets.US_ASCII));
            write(e, "],\"top_logprobs\":[]}");
            if (kind == 4)
            {
                e.writeBytes(data.consumeBytes(data.consumeInt(0, 32)));
            }
            write(e, "],\"sequence_number\":" + (i + 3) + "}");
            event(out, e.toString(StandardCharsets.ISO_8859_1));
        }
        if (data.consumeBoolean())
        {
            event(out, "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\"}}");
        }
        AggregatorFuzzing.check(Format.OPENAI_RESPONSES, strict, out.toByteArray(), cuts);
    }


    private static void event(final ByteArrayOutputStream out, final String data)
    {
        write(out, "data: ");
        out.writeBytes(data.getBytes(StandardCharsets.ISO_8859_1));
        write(out, "\n\n");
    }
}
