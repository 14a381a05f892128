package io.streamfold.parser;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamfold.parser.sse.SseTokenizer;

/** Any bytes through the SSE tokenizer: see {@link FramerFuzzing} for what is checked. */
class SseTokenizerFuzzTest
{
    /** Five reusable buffers: line, data (frame), type, id and last event id. */
    private static final long BOUND = 4L * FramerFuzzing.LIMITS.maxLineBytes() + FramerFuzzing.LIMITS.maxFrameBytes();

    @FuzzTest(maxDuration = "60s")
    void anyBytes(final FuzzedDataProvider data)
    {
        FramerFuzzing.check(data, listener -> new SseTokenizer(listener, FramerFuzzing.LIMITS), BOUND);
    }
}
