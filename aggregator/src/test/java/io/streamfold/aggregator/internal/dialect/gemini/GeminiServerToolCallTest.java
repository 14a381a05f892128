package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code functionCall} answered by a {@code functionResponse} in the model's own turn ran on the server (a remote MCP
 * server's tool, the shape js-genai's server-side MCP recordings have): a server call, not one the client must run.
 */
class GeminiServerToolCallTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String chunk(final String parts, final String tail)
    {
        return "data: {\"candidates\":[{\"content\":{\"parts\":[" + parts + "],\"role\":\"model\"}" + tail + ",\"index\":0}]," +
            "\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n";
    }

    private static final String CALL = "{\"functionCall\":{\"args\":{\"location\":\"New York\"},\"name\":\"weather_server_get_weather\"}}";
    private static final String ANSWER = "{\"functionResponse\":{\"name\":\"weather_server_get_weather\",\"response\":{\"result\":\"-8.4C\"}}}";

    @Test
    void aCallAnsweredInTheModelsTurnRanOnTheServer() throws Exception
    {
        final byte[] stream = (chunk(CALL, ",\"finishMessage\":\"Model generated function call(s).\",\"finishReason\":\"STOP\"") +
            chunk(ANSWER, "") + chunk("{\"text\":\"It is -8.4C in New York.\"}", ",\"finishReason\":\"STOP\""))
            .getBytes(StandardCharsets.UTF_8);
        final Aggregate a = GeminiTesting.whole(Format.GEMINI, stream).result();
        assertEquals(List.of(), a.errors());
        final Part call = a.choice(0).toolCalls().get(0);
        assertTrue(call.serverExecuted());
        final JsonNode choice = MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0);
        assertEquals(0, choice.get("tool_calls").size());
        assertEquals("weather_server_get_weather", choice.get("server_tool_calls").get(0).get("name").asText());
        assertEquals("stop", choice.get("finish_reason").asText(), "nothing left for the client: not tool_calls");
        assertEquals(StopReason.COMPLETE, a.verdict().reason());
        assertEquals("It is -8.4C in New York.", choice.get("text").asText());
        // The provider JSON is unchanged: the call, its answer, the text.
        final JsonNode parts = MAPPER.readTree(a.toJson()).get("candidates").get(0).get("content").get("parts");
        assertTrue(parts.get(0).has("functionCall") && parts.get(1).has("functionResponse"), parts.toString());
        FastPathRun.assertSameFedEveryWay(Format.GEMINI, stream, new Random(3), "mcp");
    }

    @Test
    void anAnswerGoesToTheCallWithItsIdElseTheLatestByName() throws Exception
    {
        final String first = "{\"functionCall\":{\"id\":\"a\",\"args\":{},\"name\":\"f\"}}";
        final String second = "{\"functionCall\":{\"id\":\"b\",\"args\":{},\"name\":\"f\"}}";
        final String answerA = "{\"functionResponse\":{\"id\":\"a\",\"name\":\"f\",\"response\":{}}}";
        final Aggregate a = GeminiTesting.whole(Format.GEMINI, (chunk(first + "," + second, "") +
            chunk(answerA, ",\"finishReason\":\"STOP\"")).getBytes(StandardCharsets.UTF_8)).result();
        assertTrue(a.choice(0).toolCalls().get(0).serverExecuted());
        assertFalse(a.choice(0).toolCalls().get(1).serverExecuted(), "b is still the client's to run");
        assertEquals("tool_calls", MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0).get("finish_reason").asText());
        final String unnamed = "{\"functionCall\":{\"args\":{},\"name\":\"g\"}}";
        final Aggregate b = GeminiTesting.whole(Format.GEMINI, (chunk(unnamed + "," + unnamed, "") +
            chunk("{\"functionResponse\":{\"name\":\"g\",\"response\":{}}}", ",\"finishReason\":\"STOP\"")).getBytes(StandardCharsets.UTF_8))
            .result();
        assertFalse(b.choice(0).toolCalls().get(0).serverExecuted());
        assertTrue(b.choice(0).toolCalls().get(1).serverExecuted(), "the latest unanswered call of that name");
    }

    @Test
    void executableCodeIsAServerCallOfTheCodeExecutionTool() throws Exception
    {
        final String code = "{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"print(sum(range(5)))\\n\"}}";
        final String result = "{\"codeExecutionResult\":{\"outcome\":\"OUTCOME_OK\",\"output\":\"10\\n\"}}";
        final byte[] stream = (chunk("{\"text\":\"Let me compute.\"}", "") + chunk(code, "") + chunk(result, "") +
            chunk("{\"text\":\"The sum is 10.\"}", ",\"finishReason\":\"STOP\"")).getBytes(StandardCharsets.UTF_8);
        final Aggregate a = GeminiTesting.whole(Format.GEMINI, stream).result();
        assertEquals(List.of(), a.errors());
        final Part call = a.choice(0).toolCalls().get(0);
        assertTrue(call.serverExecuted());
        assertTrue(call.isComplete(), "code is free text, whole when its part came");
        final JsonNode choice = MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0);
        assertEquals(0, choice.get("tool_calls").size());
        assertEquals(MAPPER.readTree("[{\"id\":\"\",\"name\":\"code_execution\",\"arguments\":\"print(sum(range(5)))\\n\",\"complete\":true}]"),
            choice.get("server_tool_calls"));
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals("Let me compute.The sum is 10.", choice.get("text").asText());
        // The provider JSON has the parts as sent.
        final JsonNode parts = MAPPER.readTree(a.toJson()).get("candidates").get(0).get("content").get("parts");
        assertEquals(MAPPER.readTree(code), parts.get(1));
        assertEquals(MAPPER.readTree(result), parts.get(2));
        FastPathRun.assertSameFedEveryWay(Format.GEMINI, stream, new Random(8), "code execution");
    }

    @Test
    void aCallWithNoAnswerStaysTheClients() throws Exception
    {
        final Aggregate a = GeminiTesting.whole(Format.GEMINI, chunk(CALL, ",\"finishReason\":\"STOP\"").getBytes(StandardCharsets.UTF_8))
            .result();
        assertFalse(a.choice(0).toolCalls().get(0).serverExecuted());
        final JsonNode choice = MAPPER.readTree(a.toNormalizedJson()).get("choices").get(0);
        assertEquals(1, choice.get("tool_calls").size());
        assertNull(choice.get("server_tool_calls"));
        assertEquals("tool_calls", choice.get("finish_reason").asText());
    }
}
