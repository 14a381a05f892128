package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.parser.ErrorKind;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesDialectTest.sse;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.CREATED;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.added;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.call;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.done;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.firstOutput;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.normalizedChoice;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.completed;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hosted tools the server runs itself (web search, file search, code interpreter, image generation, MCP) are tool
 * calls marked server-executed, as Anthropic's server tool blocks are: the normalized view lists them under
 * {@code server_tool_calls}, never under {@code tool_calls}, and a response that holds only them ends as it said
 * ({@code stop}), not for tool calls. The provider JSON writes each item as sent.
 */
class ResponsesHostedToolCallTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();



    private static String delta(final String event, final String itemId, final String delta)
    {
        return "{\"type\":\"response." + event + ".delta\",\"output_index\":0,\"item_id\":\"" + itemId + "\",\"delta\":\"" + delta + "\"}";
    }




    @Test
    void aWebSearchIsAServerCallWithItsActionAsArguments() throws Exception
    {
        final String item = "{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"completed\"," +
            "\"action\":{\"type\":\"search\",\"query\":\"weather\"}}";
        final RecordingListener recorder = new RecordingListener();
        final Aggregate a = whole(sse(CREATED, added("{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"in_progress\"}"),
            "{\"type\":\"response.web_search_call.searching\",\"output_index\":0,\"item_id\":\"ws_1\"}", done(item), completed(item)),
            recorder);
        assertEquals(List.of(), a.errors());
        final Part part = a.choice(0).parts().get(0);
        assertEquals(Part.Kind.TOOL_CALL, part.kind());
        assertTrue(part.serverExecuted());
        assertEquals("web_search_call", part.type().toString());
        assertEquals(0, normalizedChoice(a).get("tool_calls").size());
        assertEquals(MAPPER.createArrayNode().add(call("ws_1", "web_search", "{\"type\":\"search\",\"query\":\"weather\"}")),
            normalizedChoice(a).get("server_tool_calls"));
        assertEquals("stop", normalizedChoice(a).get("finish_reason").asText());
        assertEquals(StopReason.COMPLETE, a.verdict().reason());
        assertEquals(MAPPER.readTree(item), firstOutput(a));
        assertTrue(recorder.events.contains("tool 0 0 ws_1 web_search"), recorder.events.toString());
    }

    private static final String CODE_ADDED = added("{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"in_progress\"," +
        "\"code\":\"\",\"container_id\":\"c1\"}");

    private static String codeItem(final String code)
    {
        return "{\"id\":\"ci_1\",\"type\":\"code_interpreter_call\",\"status\":\"completed\",\"code\":\"" + code + "\"," +
            "\"container_id\":\"c1\",\"outputs\":null}";
    }

    @Test
    void codeInterpreterCodeStreamsAsItsArguments() throws Exception
    {
        final RecordingListener recorder = new RecordingListener();
        final String item = codeItem("print(1)");
        final Aggregate a = whole(sse(CREATED, CODE_ADDED, delta("code_interpreter_call_code", "ci_1", "print("),
            delta("code_interpreter_call_code", "ci_1", "1)"),
            "{\"type\":\"response.code_interpreter_call_code.done\",\"output_index\":0,\"item_id\":\"ci_1\",\"code\":\"print(1)\"}",
            done(item), completed(item)), recorder);
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.createArrayNode().add(call("ci_1", "code_interpreter", "print(1)")), normalizedChoice(a).get("server_tool_calls"));
        assertNull(normalizedChoice(a).get("unknown_deltas"));
        assertEquals(MAPPER.readTree(item), firstOutput(a));
        assertTrue(recorder.events.containsAll(List.of("args 0 0 print(", "args 0 0 1)")), recorder.events.toString());
        // Code is no JSON value: whole when the call ended, never parsed as arguments.
        assertTrue(a.choice(0).toolCalls().get(0).isComplete());
    }

    @Test
    void aCutCodeInterpreterCallKeepsTheCodeItsDeltasCarried() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, CODE_ADDED, delta("code_interpreter_call_code", "ci_1", "print("),
            delta("code_interpreter_call_code", "ci_1", "1)")), new RecordingListener());
        assertEquals(Outcome.TRUNCATED, a.outcome());
        final JsonNode call = normalizedChoice(a).get("server_tool_calls").get(0);
        assertEquals("print(1)", call.get("arguments").asText());
        assertFalse(call.get("complete").asBoolean());
        assertEquals("print(1)", firstOutput(a).get("code").asText());
    }

    @Test
    void codeThatDisagreesWithItsDeltasKeepsTheDeltasAndSaysSo() throws Exception
    {
        final String item = codeItem("print(1)");
        final Aggregate a = whole(sse(CREATED, CODE_ADDED, delta("code_interpreter_call_code", "ci_1", "print(2)"), done(item),
            completed(item)), new RecordingListener());
        // The done item and the terminal response each contradict the deltas, as a function call's would.
        assertEquals(List.of(ErrorKind.MALFORMED_JSON, ErrorKind.MALFORMED_JSON),
            a.errors().stream().map(e -> e.kind()).collect(java.util.stream.Collectors.toList()), a.errors().toString());
        assertEquals("print(2)", normalizedChoice(a).get("server_tool_calls").get(0).get("arguments").asText());
    }

    @Test
    void anMcpCallIsAServerCallByItsOwnNameWithItsStreamedArguments() throws Exception
    {
        final String item = "{\"id\":\"mcp_1\",\"type\":\"mcp_call\",\"status\":\"completed\",\"server_label\":\"dice\"," +
            "\"name\":\"roll\",\"arguments\":\"{\\\"n\\\":2}\",\"output\":\"4\",\"error\":null}";
        final Aggregate a = whole(sse(CREATED, added("{\"id\":\"mcp_1\",\"type\":\"mcp_call\",\"status\":\"in_progress\"," +
                "\"server_label\":\"dice\",\"name\":\"roll\",\"arguments\":\"\"}"),
            delta("mcp_call_arguments", "mcp_1", "{\\\"n\\\""), delta("mcp_call_arguments", "mcp_1", ":2}"), done(item), completed(item)),
            new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.createArrayNode().add(call("mcp_1", "roll", "{\"n\":2}")), normalizedChoice(a).get("server_tool_calls"));
        assertEquals(MAPPER.readTree(item), firstOutput(a));
    }

    /** The server waits for the client to approve an MCP tool call: the response ends on the client's turn. */
    @Test
    void anMcpApprovalRequestIsTheClientsCallByItsOwnName() throws Exception
    {
        final String item = "{\"id\":\"mcpr_1\",\"type\":\"mcp_approval_request\",\"server_label\":\"deepwiki\"," +
            "\"name\":\"ask_question\",\"arguments\":\"{\\\"repoName\\\":\\\"a/b\\\"}\"}";
        final Aggregate a = whole(sse(CREATED, added(item), done(item), completed(item)), new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.createArrayNode().add(call("mcpr_1", "ask_question", "{\"repoName\":\"a/b\"}")),
            normalizedChoice(a).get("tool_calls"));
        assertNull(normalizedChoice(a).get("server_tool_calls"));
        assertEquals("tool_calls", normalizedChoice(a).get("finish_reason").asText());
        assertFalse(a.choice(0).parts().get(0).serverExecuted());
        assertEquals(MAPPER.readTree(item), firstOutput(a));
    }

    @Test
    void fileSearchAndImageGenerationAreServerCalls() throws Exception
    {
        final String search = "{\"id\":\"fs_1\",\"type\":\"file_search_call\",\"status\":\"completed\",\"queries\":[\"a\",\"b\"],\"results\":null}";
        final String image = "{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"completed\",\"result\":\"iVBO\"}";
        final Aggregate a = whole(sse(CREATED, added(search), done(search), completed(search)), new RecordingListener());
        assertEquals(MAPPER.createArrayNode().add(call("fs_1", "file_search", "[\"a\",\"b\"]")), normalizedChoice(a).get("server_tool_calls"));
        final Aggregate b = whole(sse(CREATED, added(image), done(image), completed(image)), new RecordingListener());
        // Nothing the model sent counts as the image's arguments: the call is there, with none.
        assertEquals(MAPPER.createArrayNode().add(call("ig_1", "image_generation", "")), normalizedChoice(b).get("server_tool_calls"));
        assertEquals(MAPPER.readTree(image), firstOutput(b));
        assertEquals("stop", normalizedChoice(b).get("finish_reason").asText());
    }

    @Test
    void aToolSearchRunsWhereItsExecutionSays() throws Exception
    {
        final String server = "{\"id\":\"ts_1\",\"type\":\"tool_search_call\",\"status\":\"completed\",\"execution\":\"server\"," +
            "\"arguments\":{\"query\":\"calendar\"}}";
        final String client = "{\"id\":\"ts_2\",\"type\":\"tool_search_call\",\"status\":\"completed\",\"execution\":\"client\"," +
            "\"call_id\":\"call_9\",\"arguments\":{\"query\":\"calendar\"}}";
        final Aggregate s = whole(sse(CREATED, added(server), done(server), completed(server)), new RecordingListener());
        assertEquals(0, normalizedChoice(s).get("tool_calls").size());
        assertEquals(MAPPER.createArrayNode().add(call("ts_1", "tool_search", "{\"query\":\"calendar\"}")), normalizedChoice(s).get("server_tool_calls"));
        final Aggregate c = whole(sse(CREATED, added(client), done(client), completed(client)), new RecordingListener());
        assertEquals(MAPPER.createArrayNode().add(call("call_9", "tool_search", "{\"query\":\"calendar\"}")), normalizedChoice(c).get("tool_calls"));
        assertNull(normalizedChoice(c).get("server_tool_calls"));
        assertEquals("tool_calls", normalizedChoice(c).get("finish_reason").asText());
    }

    @Test
    void aToolSearchWhoseExecutionOnlyItsFinalItemSaysRanOnTheServer() throws Exception
    {
        final String added = "{\"id\":\"ts_1\",\"type\":\"tool_search_call\",\"status\":\"in_progress\",\"arguments\":{}}";
        final String item = "{\"id\":\"ts_1\",\"type\":\"tool_search_call\",\"status\":\"completed\",\"execution\":\"server\"," +
            "\"arguments\":{\"query\":\"calendar\"}}";
        final Aggregate a = whole(sse(CREATED, added(added), done(item), completed(item)), new RecordingListener());
        assertEquals(0, normalizedChoice(a).get("tool_calls").size());
        assertEquals(1, normalizedChoice(a).get("server_tool_calls").size());
        assertEquals("stop", normalizedChoice(a).get("finish_reason").asText());
    }

    @Test
    void theFinalItemsCallIdIsTheOneTheClientAnswers() throws Exception
    {
        // vercel/ai's client tool search recording: the added item's call_id is provisional, the done item's is final.
        final String added = "{\"id\":\"ts_1\",\"type\":\"tool_search_call\",\"status\":\"in_progress\",\"execution\":\"client\"," +
            "\"call_id\":\"call_provisional\",\"arguments\":{}}";
        final String item = "{\"id\":\"ts_1\",\"type\":\"tool_search_call\",\"status\":\"completed\",\"execution\":\"client\"," +
            "\"call_id\":\"call_final\",\"arguments\":{\"query\":\"calendar\"}}";
        final Aggregate a = whole(sse(CREATED, added(added), done(item), completed(item)), new RecordingListener());
        assertEquals("call_final", normalizedChoice(a).get("tool_calls").get(0).get("id").asText());
        assertEquals("call_final", firstOutput(a).get("call_id").asText());
    }

    @Test
    void aFunctionCallBesideAWebSearchStillEndsForToolCalls() throws Exception
    {
        final String search = "{\"id\":\"ws_1\",\"type\":\"web_search_call\",\"status\":\"completed\",\"action\":{\"type\":\"search\",\"query\":\"q\"}}";
        final String function = "{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"completed\",\"arguments\":\"{}\"," +
            "\"call_id\":\"call_1\",\"name\":\"f\"}";
        final String functionAdded = "{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":" + function + "}";
        final String functionDone = "{\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":" + function + "}";
        final Aggregate a = whole(sse(CREATED, added(search), done(search), functionAdded, functionDone,
            completed(search + "," + function)), new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.createArrayNode().add(call("call_1", "f", "{}")), normalizedChoice(a).get("tool_calls"));
        assertEquals(1, normalizedChoice(a).get("server_tool_calls").size());
        assertEquals("tool_calls", normalizedChoice(a).get("finish_reason").asText());
        assertEquals(StopReason.TOOL_CALLS, a.verdict().reason());
    }
}
