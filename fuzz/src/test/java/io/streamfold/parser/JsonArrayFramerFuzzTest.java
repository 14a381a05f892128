package io.streamfold.parser;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamfold.parser.jsonarray.JsonArrayFramer;

/** Any bytes through the streamed JSON array framer: see {@link FramerFuzzing} for what is checked. */
class JsonArrayFramerFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void anyBytes(final FuzzedDataProvider data)
    {
        FramerFuzzing.check(data, listener -> new JsonArrayFramer(listener, FramerFuzzing.LIMITS),
            FramerFuzzing.LIMITS.maxFrameBytes());
    }
}
