package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.AllocationCounter;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reused aggregator folds whole recorded Responses streams, with their opaque values (encrypted reasoning kept as
 * bytes, web search items, the terminal response repeating every item), allocating (almost) nothing. Measured in bytes
 * with the JVM's per-thread allocation counter, never with time.
 */
class ResponsesAllocationTest
{
    @ParameterizedTest
    @ValueSource(strings = { "openai-web-search-call.sse", "openai-reasoning-item-then-function-call.sse",
        "lmstudio-reasoning-text-then-function-call.sse" })
    void aPooledStreamAllocatesAlmostNothing(final String name)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_RESPONSES).build();
        final long allocated = AllocationCounter.start().warmFeedCorpus(a, "openai-responses", name);
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertTrue(a.result().errors().isEmpty(), a.result().errors()::toString);
        assertTrue(allocated < 256, "allocated " + allocated + " bytes for one pooled stream of " + name);
    }
}
