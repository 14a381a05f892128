package io.streamfold.aggregator;

import static io.streamfold.aggregator.FuzzedBytes.ownEvent;
import static io.streamfold.aggregator.FuzzedBytes.value;
import static io.streamfold.aggregator.FuzzedBytes.write;

import java.io.ByteArrayOutputStream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Anthropic streams of repeated block deltas, each an {@code event:} line then its data line, where the fuzzer writes
 * the values that change (the delta's text, the padding before its closing brace), the line ends, now and then the
 * event line's bytes, a ping, or an event of its own. Raw bytes rarely repeat a delta long enough for the templates to
 * learn it; here nearly every stream runs them, and with them the framer's repeated event line (taken by one
 * comparison); with a second block's deltas among them, the block index becomes a slot. {@link AggregatorFuzzing}
 * checks them invisible (the same bytes and slices with the fast path off give the same result, errors and listener
 * deltas) besides everything it checks for any bytes.
 */
class AnthropicDeltaFuzzTest
{
    private static final String[] ENDS = {"\n", "\r\n", "\r"};

    // No entry holds CR or LF (jazzer-junit writes them unescaped); UTF-8 sequences are spelled byte by byte.
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
        "\\u00", "\\\"", "\\\\", "\\n", "\\ud83d\\ude00", "\u00c3\u00a9", "\u00f0\u009f\u0098\u0080",
        "event: content_block_delta", "event:content_block_delta", "data: ", "data:", "\"}}", "     "
    })
    void repeatedDeltas(final FuzzedDataProvider data)
    {
        final boolean strict = data.consumeBoolean();
        final int[] cuts = DialectFuzzTest.cuts(data);
        AggregatorFuzzing.check(Format.ANTHROPIC, strict, stream(data), cuts);
    }

    private static byte[] stream(final FuzzedDataProvider data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        String end = ENDS[data.consumeInt(0, ENDS.length - 1)];
        final boolean thinking = data.consumeBoolean();
        // Deltas for a second block too: the template learns the block index as a slot (its flat layout with a lead slot).
        final boolean twoBlocks = data.consumeBoolean();
        write(out, "event: message_start" + end + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"," +
            "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":5}}}" + end + end);
        write(out, "event: content_block_start" + end + "data: {\"type\":\"content_block_start\",\"index\":0," +
            "\"content_block\":" + (thinking ? "{\"type\":\"thinking\",\"thinking\":\"\"}" : "{\"type\":\"text\",\"text\":\"\"}") +
            "}" + end + end);
        if (twoBlocks)
        {
            write(out, "event: content_block_start" + end + "data: {\"type\":\"content_block_start\",\"index\":1," +
                "\"content_block\":" + (thinking ? "{\"type\":\"thinking\",\"thinking\":\"\"}" : "{\"type\":\"text\",\"text\":\"\"}") +
                "}" + end + end);
        }
        // Blocks stream one after the other, as the API sends them: once a delta went to the second block, the rest do
        // too. Interleaved blocks of one kind fold block by block, but a listener joining a choice's deltas (the check of
        // AggregatorFuzzing) would hear them in another order than the blocks hold them.
        boolean second = false;
        for (int i = 0, deltas = data.consumeInt(1, 48); i < deltas; i++)
        {
            final int kind = data.consumeInt(0, 15);
            if (kind == 0)
            {
                ownEvent(out, data);
                continue;
            }
            if (kind == 1)
            {
                end = ENDS[data.consumeInt(0, ENDS.length - 1)];
            }
            if (kind == 2)
            {
                write(out, "event: ping" + end + "data: {\"type\": \"ping\"}" + end + end);
            }
            if (kind == 3)
            {
                // An event line of the fuzzer's own.
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 40)));
                write(out, end);
            }
            else if (kind != 4)
            {
                write(out, "event: content_block_delta" + end);
            }
            second |= twoBlocks && kind >= 12;
            write(out, "data: {\"type\":\"content_block_delta\",\"index\":" + (second ? 1 : 0) +
                ",\"delta\":{\"type\":\"" +
                (thinking ? "thinking_delta\",\"thinking\":" : "text_delta\",\"text\":"));
            value(out, data);
            write(out, "}");
            if (kind == 5)
            {
                // The padding the API puts before the closing brace, or any bytes there.
                out.writeBytes(data.consumeBytes(data.consumeInt(0, 20)));
            }
            write(out, "}" + end + (kind == 6 ? "" : end));
        }
        write(out, "event: content_block_stop" + end + "data: {\"type\":\"content_block_stop\",\"index\":0}" + end + end);
        if (twoBlocks)
        {
            write(out, "event: content_block_stop" + end + "data: {\"type\":\"content_block_stop\",\"index\":1}" + end + end);
        }
        if (data.consumeBoolean())
        {
            write(out, "event: message_stop" + end + "data: {\"type\":\"message_stop\"}" + end + end);
        }
        return out.toByteArray();
    }
}
