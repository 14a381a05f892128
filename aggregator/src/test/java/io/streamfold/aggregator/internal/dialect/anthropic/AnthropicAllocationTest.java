package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.AllocationCounter;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reused aggregator folds a whole Anthropic stream with tool calls in (almost) no allocation: each tool
 * block's input is checked without a parser. Measured in bytes with the JVM's per-thread allocation counter,
 * never with time.
 */
class AnthropicAllocationTest
{
    private static final int TOOL_CALLS = 8;

    @Test
    void toolInputChecksAllocateNothing()
    {
        final AllocationCounter counter = AllocationCounter.start();
        final byte[] stream = stream();
        final StreamAggregator a = StreamAggregator.builder().format(Format.ANTHROPIC).build();
        final long allocated = counter.warmFeed(a, stream, 50, () -> { });

        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals(List.of(), a.result().errors());
        final List<? extends Part> calls = a.result().choice(0).toolCalls();
        assertEquals(TOOL_CALLS, calls.size());
        assertTrue(calls.get(0).isComplete());
        // A Jackson parser per call cost some 600 bytes each (4864 for this stream).
        assertTrue(allocated < 64, "allocated " + allocated + " bytes for " + TOOL_CALLS + " tool calls");
    }

    @ParameterizedTest
    @ValueSource(strings = { "anthropic-web-search-citations.sse", "anthropic-code-execution-server-tool.sse",
        "anthropic-thinking-signature.sse" })
    void aPooledRecordedStreamAllocatesAlmostNothing(final String name)
    {
        // Search results, citations and signatures are kept as their bytes: nothing per stream once the buffers grew.
        final StreamAggregator a = StreamAggregator.builder().format(Format.ANTHROPIC).build();
        final long allocated = AllocationCounter.start().warmFeedCorpus(a, "anthropic-messages", name);
        assertTrue(a.result().errors().isEmpty(), a.result().errors()::toString);
        assertTrue(allocated < 256, "allocated " + allocated + " bytes for one pooled stream of " + name);
    }

    private static byte[] stream()
    {
        final StringBuilder sb = new StringBuilder();
        event(sb, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
            "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," +
            "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");
        for (int b = 0; b < TOOL_CALLS; b++)
        {
            event(sb, "content_block_start", "{\"type\":\"content_block_start\",\"index\":" + b +
                ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_" + b + "\",\"name\":\"get_weather\",\"input\":{}}}");
            for (final String fragment : new String[] {"{\\\"loc", "ation\\\": \\\"Z\u00fcrich", "\\\", \\\"days\\\": [1,", " 2]}"})
            {
                event(sb, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + b +
                    ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + fragment + "\"}}");
            }
            event(sb, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + b + "}");
        }
        event(sb, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null}," +
            "\"usage\":{\"output_tokens\":40}}");
        event(sb, "message_stop", "{\"type\":\"message_stop\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void event(final StringBuilder sb, final String name, final String data)
    {
        sb.append("event: ").append(name).append("\ndata: ").append(data).append("\n\n");
    }
}
