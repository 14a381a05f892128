package io.streamfold.aggregator;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Raw bytes into the whole auto-detecting pipeline ({@link Format#AUTO}): detection, framing, the
 * detected dialect. Slicing also moves the point where detection decides. See {@link AggregatorFuzzing}
 * for what is checked.
 */
class AutoFormatFuzzTest
{
    // No entry holds CR or LF: jazzer-junit 0.24 writes them unescaped and libFuzzer then rejects the dictionary.
    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({
        "data: ", "[DONE]", "{\"choices\":[{\"index\":0,\"delta\":{", "\"content\":\"", "\"tool_calls\":[{",
        "chat.completion.chunk", "event: response.", "\"type\":\"response.", "message_start", "content_block_start",
        "\"candidates\"", "\"usageMetadata\"", "\"promptFeedback\"", "\"choices\"", "\"done\":", "\u00ef\u00bb\u00bf"
    })
    void anyBytes(final FuzzedDataProvider data)
    {
        final boolean strict = data.consumeBoolean();
        final int[] cuts = DialectFuzzTest.cuts(data);
        final byte[] stream = data.consumeRemainingAsBytes();
        AggregatorFuzzing.check(Format.AUTO, strict, stream, cuts);
    }
}
