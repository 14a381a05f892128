package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tool input that is not streamed: given whole in the block's start (programmatic tool calling, vercel/ai's recordings
 * of it), or a whole message sent in message_start with its blocks and stop reason, then message_stop. The call's
 * arguments are that input and the message finishes with that stop reason, as the Messages API returns them.
 */
class AnthropicWholeBlocksTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String event(final String name, final String data)
    {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static final String START = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\"," +
        "\"role\":\"assistant\",\"model\":\"claude\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");

    private static Aggregate fold(final String sse)
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.ANTHROPIC).build();
        final byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    @Test
    void inputGivenWholeInTheStartIsTheCallsArguments() throws Exception
    {
        final String sse = START +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\"," +
                "\"id\":\"toolu_1\",\"name\":\"rollDie\",\"input\":{\"player\":\"player1\"},\"caller\":{\"type\":\"code_execution_20250825\"}}}") +
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
            event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}") +
            event("message_stop", "{\"type\":\"message_stop\"}");
        final Aggregate a = fold(sse);
        assertEquals(List.of(), a.errors());
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("{\"player\":\"player1\"}", call.text().toString());
        assertTrue(call.isComplete());
        final JsonNode view = MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0);
        assertEquals("{\"player\":\"player1\"}", view.get("tool_calls").get(0).get("arguments").asText());
        assertEquals(MAPPER.readTree("{\"player\":\"player1\"}"), MAPPER.readTree(a.toJson()).get("content").get(0).get("input"));
        FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, sse.getBytes(StandardCharsets.UTF_8), new Random(1), "input in start");
    }

    @Test
    void theStreamedPlaceholderIsNoInputAndDeltasStillMakeTheArguments()
    {
        final String sse = START +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\"," +
                "\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{ }}}") +
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\"," +
                "\"id\":\"toolu_2\",\"name\":\"g\",\"input\":{}}}") +
            event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\"," +
                "\"partial_json\":\"{\\\"a\\\":1}\"}}") +
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}") +
            event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}") +
            event("message_stop", "{\"type\":\"message_stop\"}");
        final Aggregate a = fold(sse);
        assertEquals("", a.choice(0).toolCalls().get(0).text().toString(), "a tool without parameters");
        assertEquals("{\"a\":1}", a.choice(0).toolCalls().get(1).text().toString());
    }

    @Test
    void aWholeMessageInMessageStartFinishesWithItsStopReason() throws Exception
    {
        final String sse = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\"," +
                "\"role\":\"assistant\",\"model\":\"claude\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_3\",\"name\":\"rollDie\"," +
                "\"input\":{\"player\":\"player2\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null," +
                "\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}}") +
            event("message_stop", "{\"type\":\"message_stop\"}");
        final Aggregate a = fold(sse);
        assertEquals(List.of(), a.errors());
        assertEquals("tool_use", a.choice(0).finishReason().toString());
        assertEquals(StopReason.TOOL_CALLS, a.verdict().reason());
        assertEquals("{\"player\":\"player2\"}", a.choice(0).toolCalls().get(0).text().toString());
        final JsonNode json = MAPPER.readTree(a.toJson());
        assertEquals("tool_use", json.get("stop_reason").asText());
        assertEquals(MAPPER.readTree("{\"player\":\"player2\"}"), json.get("content").get(0).get("input"));
        assertEquals("", a.verdict().detail());
        FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, sse.getBytes(StandardCharsets.UTF_8), new Random(2), "whole message");
    }
}
