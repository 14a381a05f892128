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
 * A done text may follow, mostly the deltas' strings again: compared with the part's text where its bytes lie
 * ({@code CheckedText}), it must fold as when decoded.
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
        // The bodies of the deltas' strings, joined: what a done text repeating them sends.
        final ByteArrayOutputStream joined = new ByteArrayOutputStream();
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
            if (delta.length >= 2 && delta[0] == '"' && delta[delta.length - 1] == '"')
            {
                joined.write(delta, 1, delta.length - 2);
            }
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
        final boolean completed = data.consumeBoolean();
        // Read after the events, so that inputs saved before it replay their events as before.
        final int done = data.remainingBytes() > 0 ? data.consumeInt(0, 3) : 0;
        if (done > 0)
        {
            // A done text that repeats the deltas' strings (compared with the part's text where it lies), the fuzzer's
            // own value, or the deltas' strings and a byte of the fuzzer's.
            final ByteArrayOutputStream e = new ByteArrayOutputStream();
            write(e, "{\"type\":\"response.output_text.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":");
            if (done == 2)
            {
                e.writeBytes(value(data, 48));
            }
            else
            {
                e.write('"');
                e.writeBytes(joined.toByteArray());
                if (done == 3)
                {
                    e.writeBytes(data.consumeBytes(1));
                }
                e.write('"');
            }
            write(e, ",\"logprobs\":[]}");
            event(out, e.toString(StandardCharsets.ISO_8859_1));
        }
        if (completed)
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
