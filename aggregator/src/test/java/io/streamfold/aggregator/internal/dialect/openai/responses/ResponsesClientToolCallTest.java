package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.StopReason;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.CREATED;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.added;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.call;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.done;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.firstOutput;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.normalizedChoice;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.completed;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesTestSupport.whole;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesDialectTest.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Items the client must execute and answer with a {@code *_output} item, as it answers a {@code function_call}:
 * {@code custom_tool_call}, {@code local_shell_call}, {@code shell_call}, {@code apply_patch_call}, {@code computer_call}.
 * They are tool calls (the normalized view lists them, a completed response with one ends for tool calls); the provider
 * JSON still writes each item as sent. Hosted tools the server runs are server calls (see ResponsesHostedToolCallTest).
 */
class ResponsesClientToolCallTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CUSTOM_ADDED = "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" +
        "{\"type\":\"custom_tool_call\",\"id\":\"ct_1\",\"call_id\":\"call_1\",\"name\":\"write_sql\",\"input\":\"\"}}";
    private static final String CUSTOM_ITEM = "{\"type\":\"custom_tool_call\",\"id\":\"ct_1\",\"call_id\":\"call_1\"," +
        "\"name\":\"write_sql\",\"input\":\"SELECT 1\",\"status\":\"completed\"}";

    private static String input(final String delta)
    {
        return "{\"type\":\"response.custom_tool_call_input.delta\",\"item_id\":\"ct_1\",\"output_index\":0,\"delta\":\"" + delta + "\"}";
    }





    @Test
    void aCustomToolCallIsAToolCallWithItsInputAsArguments() throws Exception
    {
        final RecordingListener recorder = new RecordingListener();
        final Aggregate a = whole(sse(CREATED, CUSTOM_ADDED, input("SELECT"), input(" 1"), done(CUSTOM_ITEM),
            completed(CUSTOM_ITEM)), recorder);
        assertEquals(List.of(), a.errors());
        assertEquals(MAPPER.createArrayNode().add(call("call_1", "write_sql", "SELECT 1")), normalizedChoice(a).get("tool_calls"));
        assertEquals("tool_calls", normalizedChoice(a).get("finish_reason").asText());
        assertEquals(StopReason.TOOL_CALLS, a.choice(0).stopReason());
        assertEquals(null, normalizedChoice(a).get("unknown_deltas"));
        assertEquals(MAPPER.readTree(CUSTOM_ITEM), MAPPER.readTree(a.toJson()).get("output").get(0));
        assertTrue(recorder.events.containsAll(List.of("tool 0 0 call_1 write_sql", "args 0 0 SELECT", "args 0 0  1",
            "toolEnd 0 0 SELECT 1")), recorder.events.toString());
    }

    @Test
    void aCutCustomToolCallKeepsTheInputItsDeltasCarried() throws Exception
    {
        final Aggregate a = whole(sse(CREATED, CUSTOM_ADDED, input("SELECT"), input(" 1")), new RecordingListener());
        assertEquals(Outcome.TRUNCATED, a.outcome());
        final JsonNode call = normalizedChoice(a).get("tool_calls").get(0);
        assertEquals("SELECT 1", call.get("arguments").asText());
        assertFalse(call.get("complete").asBoolean());
        assertEquals("SELECT 1", MAPPER.readTree(a.toJson()).get("output").get(0).get("input").asText());
    }

    @Test
    void shellAndPatchCallsAreToolCallsWithTheirActionOrOperationAsArguments() throws Exception
    {
        final String local = "{\"id\":\"lsh_1\",\"type\":\"local_shell_call\",\"status\":\"completed\"," +
            "\"action\":{\"type\":\"exec\",\"command\":[\"ls\",\"-a\"],\"env\":{}},\"call_id\":\"call_l\"}";
        final String shell = "{\"id\":\"sh_1\",\"type\":\"shell_call\",\"status\":\"completed\"," +
            "\"action\":{\"commands\":[\"ls -a\",\"pwd\"],\"timeout_ms\":null},\"call_id\":\"call_s\"}";
        final String patch = "{\"id\":\"apc_1\",\"type\":\"apply_patch_call\",\"status\":\"completed\",\"call_id\":\"call_p\"," +
            "\"operation\":{\"type\":\"create_file\",\"diff\":\"+hi\\n\",\"path\":\"a.md\"}}";
        // A computer call holds one action, or (the GA computer tool) a list of them.
        final String computer = "{\"id\":\"cu_1\",\"type\":\"computer_call\",\"status\":\"completed\",\"call_id\":\"call_c\"," +
            "\"action\":{\"type\":\"click\",\"button\":\"left\",\"x\":1,\"y\":2},\"pending_safety_checks\":[]}";
        final String batch = "{\"id\":\"cu_2\",\"type\":\"computer_call\",\"status\":\"completed\",\"call_id\":\"call_b\"," +
            "\"actions\":[{\"type\":\"type\",\"text\":\"hi\"},{\"type\":\"keypress\",\"keys\":[\"ENTER\"]}],\"pending_safety_checks\":[]}";
        for (final String[] c : List.of(
            new String[] {local, "call_l", "local_shell", "{\"type\":\"exec\",\"command\":[\"ls\",\"-a\"],\"env\":{}}"},
            new String[] {shell, "call_s", "shell", "{\"commands\":[\"ls -a\",\"pwd\"],\"timeout_ms\":null}"},
            new String[] {patch, "call_p", "apply_patch", "{\"type\":\"create_file\",\"diff\":\"+hi\\n\",\"path\":\"a.md\"}"},
            new String[] {computer, "call_c", "computer", "{\"type\":\"click\",\"button\":\"left\",\"x\":1,\"y\":2}"},
            new String[] {batch, "call_b", "computer", "[{\"type\":\"type\",\"text\":\"hi\"},{\"type\":\"keypress\",\"keys\":[\"ENTER\"]}]"}))
        {
            final Aggregate a = whole(sse(CREATED, added(c[0]), done(c[0]), completed(c[0])), new RecordingListener());
            assertEquals(List.of(), a.errors(), c[2]);
            assertEquals(MAPPER.createArrayNode().add(call(c[1], c[2], c[3])), normalizedChoice(a).get("tool_calls"), c[2]);
            assertEquals("tool_calls", normalizedChoice(a).get("finish_reason").asText(), c[2]);
            assertEquals(MAPPER.readTree(c[0]), MAPPER.readTree(a.toJson()).get("output").get(0), c[2]);
        }
    }

    private static byte[] recording(final String name) throws IOException
    {
        try (InputStream in = ResponsesClientToolCallTest.class.getResourceAsStream("recordings/" + name))
        {
            return in.readAllBytes();
        }
    }

    @Test
    void realRecordingsListTheirCallsAsTheStreamsDoneItemsSayThem() throws Exception
    {
        for (final String[] c : List.of(
            new String[] {"openai-responses-custom-tool.sse", "call_custom_sql_001", "write_sql", "SELECT * FROM users WHERE age > 25"},
            new String[] {"openai-responses-local-shell.sse", "call_h3nm8hUG0KO9tVNuRACkL1ri", "local_shell",
                "{\"type\":\"exec\",\"command\":[\"ls\",\"-a\",\"~\"],\"env\":{}}"},
            new String[] {"openai-responses-shell-call.sse", "call_pbxjNs1tMJUahLZKAS9qLtvw", "shell",
                "{\"commands\":[\"ls -a ~/Desktop\"],\"max_output_length\":8912,\"timeout_ms\":null}"},
            new String[] {"openai-responses-apply-patch.sse", "call_kA46f91ZwocQyMCKyyZqRyC5", "apply_patch",
                "{\"type\":\"create_file\",\"diff\":\"+## Shopping Checklist\\n+\\n+- [ ] Milk\\n+- [ ] Bread\\n+- [ ] Eggs\\n+- [ ] Fresh fruit\\n" +
                "+- [ ] Coffee\\n\",\"path\":\"shopping-checklist.md\"}"}))
        {
            final byte[] bytes = recording(c[0]);
            final Aggregate a = whole(bytes, new RecordingListener());
            assertEquals(List.of(), a.errors(), c[0]);
            assertEquals(Outcome.COMPLETE, a.outcome(), c[0]);
            final JsonNode choice = normalizedChoice(a);
            assertEquals(MAPPER.createArrayNode().add(call(c[1], c[2], c[3])), choice.get("tool_calls"), c[0]);
            assertEquals("tool_calls", choice.get("finish_reason").asText(), c[0]);
            assertEquals(null, choice.get("unknown_deltas"), c[0]);
            // The provider JSON's output is the stream's own terminal output, item for item.
            final JsonNode terminal = terminalOutput(bytes);
            assertEquals(terminal, MAPPER.readTree(a.toJson()).get("output"), c[0]);
            FastPathRun.assertInvisible(Format.OPENAI_RESPONSES, bytes, c[0]);
        }
    }

    /** @return the output of the stream's response.completed, read with Jackson's tree model. */
    private static JsonNode terminalOutput(final byte[] bytes) throws IOException
    {
        for (final String payload : ResponsesTestSupport.dataPayloads(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)))
        {
            final JsonNode event = MAPPER.readTree(payload);
            if ("response.completed".equals(event.get("type").asText()))
            {
                return event.get("response").get("output");
            }
        }
        throw new AssertionError("no response.completed");
    }
}
