package io.streamfold.parser;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamfold.parser.ndjson.NdjsonFramer;

/** Any bytes through the NDJSON framer: see {@link FramerFuzzing} for what is checked. */
class NdjsonFramerFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void anyBytes(final FuzzedDataProvider data)
    {
        FramerFuzzing.check(data, listener -> new NdjsonFramer(listener, FramerFuzzing.LIMITS),
            FramerFuzzing.LIMITS.maxLineBytes());
    }
}
