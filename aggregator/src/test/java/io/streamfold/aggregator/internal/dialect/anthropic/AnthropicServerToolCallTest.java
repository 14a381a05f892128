package io.streamfold.aggregator.internal.dialect.anthropic;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicStreams.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls Anthropic runs itself ({@code server_tool_use}: web search, code execution; {@code mcp_tool_use}) are marked
 * {@link Part#serverExecuted()} and listed apart from the calls the client must answer in the normalized view; the
 * provider JSON writes every block as sent.
 */
class AnthropicServerToolCallTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String START =
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
        "\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," +
        "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}";
    private static final String SEARCH = "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":" +
        "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}";
    private static final String SEARCH_INPUT = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":" +
        "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\":\\\"weather\\\"}\"}}";
    private static final String MCP = "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":" +
        "{\"type\":\"mcp_tool_use\",\"id\":\"mcptoolu_1\",\"name\":\"lookup\",\"server_name\":\"docs\",\"input\":{}}}";
    private static final String CLIENT = "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":" +
        "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_time\",\"input\":{}}}";
    private static final String CLIENT_INPUT = "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":" +
        "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"tz\\\":\\\"UTC\\\"}\"}}";
    private static final String END =
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}";
    private static final String MESSAGE_STOP = "{\"type\":\"message_stop\"}";

    private static String stop(final int index)
    {
        return "{\"type\":\"content_block_stop\",\"index\":" + index + "}";
    }

    @Test
    void serverAndMcpCallsAreListedApartFromTheClientsCalls() throws Exception
    {
        final byte[] bytes = sse(START, SEARCH, SEARCH_INPUT, stop(0), MCP, stop(1), CLIENT, CLIENT_INPUT, stop(2), END,
            MESSAGE_STOP).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (final AnthropicStreams.Run r : List.of(AnthropicStreams.whole(bytes), AnthropicStreams.byteByByte(bytes),
            AnthropicStreams.randomSlices(bytes, 7)))
        {
            assertEquals(Outcome.COMPLETE, r.result().outcome());
            final List<? extends Part> parts = r.choice().parts();
            assertTrue(parts.get(0).serverExecuted());
            assertTrue(parts.get(1).serverExecuted());
            assertFalse(parts.get(2).serverExecuted());
            final JsonNode choice = MAPPER.readTree(r.result().toNormalizedJson()).get("choices").get(0);
            assertEquals(1, choice.get("tool_calls").size());
            assertEquals("get_time", choice.get("tool_calls").get(0).get("name").asText());
            assertEquals("{\"tz\":\"UTC\"}", choice.get("tool_calls").get(0).get("arguments").asText());
            final JsonNode server = choice.get("server_tool_calls");
            assertEquals(2, server.size());
            assertEquals("srvtoolu_1", server.get(0).get("id").asText());
            assertEquals("{\"query\":\"weather\"}", server.get(0).get("arguments").asText());
            assertEquals("lookup", server.get(1).get("name").asText());
            assertEquals("tool_calls", choice.get("finish_reason").asText());
            // The provider JSON keeps every block, its type included.
            assertTrue(r.json().contains("\"type\":\"server_tool_use\""), r.json());
            assertTrue(r.json().contains("\"type\":\"mcp_tool_use\""), r.json());
        }
    }

    @Test
    void aStreamWithoutServerCallsHasNoServerList() throws Exception
    {
        final AnthropicStreams.Run r = AnthropicStreams.whole(sse(START, CLIENT, CLIENT_INPUT, stop(2), END,
            MESSAGE_STOP));
        final JsonNode choice = MAPPER.readTree(r.result().toNormalizedJson()).get("choices").get(0);
        assertEquals(1, choice.get("tool_calls").size());
        assertFalse(choice.has("server_tool_calls"));
    }
}
