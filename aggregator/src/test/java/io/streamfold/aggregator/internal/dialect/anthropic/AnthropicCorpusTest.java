package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every recorded Anthropic stream of the shared corpus, whole and in every kind of slicing. */
class AnthropicCorpusTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MAX_TOKENS = "anthropic-sonnet37-max-tokens-partial-tool-json.sse";

    @TestFactory
    Stream<DynamicTest> completeAndIndependentOfSlicing()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Path file : SharedFiles.corpus("anthropic-messages", ".sse"))
        {
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> checkFile(file)));
        }
        return tests.stream();
    }

    private static void checkFile(final Path file) throws Exception
    {
        final byte[] bytes = SharedFiles.read(file);
        final AnthropicStreams.Run whole = AnthropicStreams.whole(bytes);
        assertEquals(Outcome.COMPLETE, whole.result().outcome());
        assertEquals(1, whole.events.ends);
        for (final StreamError e : whole.result().errors())
        {
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.toString());
        }
        if (file.getFileName().toString().equals(MAX_TOKENS))
        {
            assertEquals(1, whole.result().errors().size(), whole.result().errors().toString());
            assertEquals(ErrorKind.MALFORMED_JSON, whole.result().errors().get(0).kind());
        }
        else
        {
            assertEquals(List.of(), whole.result().errors());
        }

        // The output is JSON with one block per content_block_start, in index order.
        final JsonNode message = MAPPER.readTree(whole.json());
        final List<JsonNode> starts = events(bytes, "content_block_start");
        assertEquals(starts.size(), message.get("content").size());
        for (int i = 0; i < starts.size(); i++)
        {
            assertEquals(starts.get(i).get("content_block").get("type"), message.get("content").get(i).get("type"));
        }
        final List<JsonNode> deltas = events(bytes, "message_delta");
        assertEquals(deltas.get(deltas.size() - 1).get("delta").get("stop_reason"), message.get("stop_reason"));
        assertEquals(deltas.get(deltas.size() - 1).get("usage").get("output_tokens"), message.get("usage").get("output_tokens"));

        // Listener deltas add up to the folded parts.
        final Choice choice = whole.choice();
        assertEquals(choice.joined(Part.Kind.TEXT), whole.events.text());
        assertEquals(textDeltas(bytes), whole.events.text());

        final String json = whole.json();
        final List<String> log = whole.events.events;
        assertSame(json, log, AnthropicStreams.byteByByte(bytes));
        for (long seed = 1; seed <= 5; seed++)
        {
            assertSame(json, log, AnthropicStreams.randomSlices(bytes, seed));
        }
    }

    private static void assertSame(final String json, final List<String> log, final AnthropicStreams.Run other)
    {
        assertEquals(json, other.json());
        assertEquals(log, other.events.events);
    }

    /** The stream's payloads of one type, read by Jackson's tree model (an independent reading). */
    static List<JsonNode> events(final byte[] bytes, final String type) throws Exception
    {
        final List<JsonNode> out = new ArrayList<>();
        for (final String payload : AnthropicSdkDifferentialTest.payloads(bytes))
        {
            final JsonNode node = MAPPER.readTree(payload);
            if (type.equals(node.path("type").asText()))
            {
                out.add(node);
            }
        }
        return out;
    }

    private static String textDeltas(final byte[] bytes) throws Exception
    {
        final StringBuilder sb = new StringBuilder();
        for (final JsonNode d : events(bytes, "content_block_delta"))
        {
            if ("text_delta".equals(d.get("delta").get("type").asText()))
            {
                sb.append(d.get("delta").get("text").asText());
            }
        }
        return sb.toString();
    }

    private static AnthropicStreams.Run run(final String name)
    {
        return AnthropicStreams.whole(SharedFiles.read(SharedFiles.require().resolve("corpus/anthropic-messages/" + name)));
    }

    private static JsonNode message(final AnthropicStreams.Run run) throws Exception
    {
        return MAPPER.readTree(run.json());
    }

    @Test
    void textThenToolUseAsTheSourceAsserts() throws Exception
    {
        final AnthropicStreams.Run run = run("anthropic-sonnet4-text-then-tool-use.sse");
        final JsonNode m = message(run);
        assertEquals("I'll check the current weather in Paris for you.", m.at("/content/0/text").asText());
        assertEquals("tool_use", m.at("/content/1/type").asText());
        assertEquals("toolu_01NRLabsLyVHZPKxbKvkfSMn", m.at("/content/1/id").asText());
        assertEquals(MAPPER.readTree("{\"location\":\"Paris\"}"), m.at("/content/1/input"));
        assertEquals(377, run.result().usage().inputTokens());
        assertEquals(65, run.result().usage().outputTokens());
        assertEquals("tool_use", m.get("stop_reason").asText());
        assertTrue(run.events.events.contains("tool 0 0 toolu_01NRLabsLyVHZPKxbKvkfSMn get_weather"), run.events.events.toString());
        assertTrue(run.events.events.contains("toolEnd 0 0 {\"location\": \"Paris\"}"), run.events.events.toString());
        assertTrue(run.events.events.contains("finish 0 tool_use"));
        // The tool call's end comes from its content_block_stop, before the finish.
        assertTrue(run.events.events.indexOf("toolEnd 0 0 {\"location\": \"Paris\"}") < run.events.events.indexOf("finish 0 tool_use"));
    }

    @Test
    void maxTokensKeepsPartialInputAndMarksTheCallIncomplete() throws Exception
    {
        final AnthropicStreams.Run run = run(MAX_TOKENS);
        final JsonNode m = message(run);
        assertEquals("max_tokens", m.get("stop_reason").asText());
        final Part call = run.choice().toolCalls().get(0);
        // Never {}: the partial text is written as the string it is, and the call is not passed as complete.
        assertEquals(call.text().toString(), m.at("/content/1/input").asText());
        assertFalse(call.isComplete());
        assertTrue(call.incompleteReason().contains("end"), call.incompleteReason());
        assertTrue(call.text().toString().startsWith("{\"filename\": \"taxes.txt\", \"lines_of_text\": [\n"), call.text().toString());
        assertTrue(call.text().toString().endsWith("\n\"Filing taxes"));
        assertTrue(call.isEnded());
        assertTrue(run.result().errors().get(0).message().contains("block 1"));
        assertEquals(124, run.result().usage().outputTokens());
        assertEquals(450, run.result().usage().inputTokens());
    }

    @Test
    void paddedToolUseKeepsCallerAndCacheUsage() throws Exception
    {
        final AnthropicStreams.Run run = run("anthropic-haiku45-tool-use-padded.sse");
        final JsonNode m = message(run);
        assertEquals(MAPPER.readTree("{\"location\":\"San Francisco, CA\",\"units\":\"f\"}"), m.at("/content/0/input"));
        assertEquals(MAPPER.readTree("{\"type\":\"direct\"}"), m.at("/content/0/caller"));
        assertEquals(0, m.at("/usage/cache_creation/ephemeral_1h_input_tokens").asInt(-1));
        assertEquals(74, m.at("/usage/output_tokens").asInt());
        assertEquals("not_available", m.at("/usage/inference_geo").asText());
        // The first fragment is empty: no listener event for it, ten events in the stream, nine fragments heard.
        assertEquals(9, run.events.events.stream().filter(l -> l.startsWith("args ")).count());
    }

    @Test
    void serverToolResultBlocksAreKeptWhole() throws Exception
    {
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/anthropic-messages/anthropic-code-execution-server-tool.sse"));
        final JsonNode m = MAPPER.readTree(AnthropicStreams.whole(bytes).json());
        final JsonNode sent = events(bytes, "content_block_start").get(3).get("content_block");
        assertEquals("bash_code_execution_tool_result", sent.get("type").asText());
        assertEquals(sent, m.at("/content/3"));
        assertEquals("server_tool_use", m.at("/content/2/type").asText());
        assertEquals("echo \"65465-6544 * 65464-6+1.02255\" | bc -l", m.at("/content/2/input/command").asText());
        assertTrue(m.at("/content/4/text").asText().contains("1️⃣"));
        assertEquals("thinking", m.at("/content/0/type").asText());
        assertTrue(m.at("/content/0/signature").asText().startsWith("EusBClsIDRgCKkBpzetW9oKOZtFP6"));
    }

    @Test
    void webSearchCitationsGoToTheirTextBlocks() throws Exception
    {
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/anthropic-messages/anthropic-web-search-citations.sse"));
        final AnthropicStreams.Run run = AnthropicStreams.whole(bytes);
        final JsonNode m = message(run);
        assertEquals(17, m.get("content").size());
        int citations = 0;
        for (final JsonNode d : events(bytes, "content_block_delta"))
        {
            if ("citations_delta".equals(d.at("/delta/type").asText()))
            {
                final JsonNode block = m.get("content").get(d.get("index").asInt());
                assertTrue(block.get("citations").toString().contains(d.at("/delta/citation/encrypted_index").asText()));
                citations++;
            }
        }
        assertEquals(7, citations);
        int written = 0;
        for (final JsonNode block : m.get("content"))
        {
            written += block.path("citations").size();
        }
        assertEquals(7, written);
        final JsonNode result = events(bytes, "content_block_start").get(2).get("content_block");
        assertEquals(result, m.at("/content/2"));
        assertEquals(2, m.at("/usage/server_tool_use/web_search_requests").asInt());
    }

    @Test
    void redactedThinkingKeptAsSent() throws Exception
    {
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/anthropic-messages/anthropic-redacted-thinking.sse"));
        final JsonNode m = MAPPER.readTree(AnthropicStreams.whole(bytes).json());
        final List<JsonNode> starts = events(bytes, "content_block_start");
        assertEquals(starts.get(0).get("content_block"), m.at("/content/0"));
        assertEquals(starts.get(1).get("content_block"), m.at("/content/1"));
        assertEquals("redacted_thinking", m.at("/content/1/type").asText());
    }

    @Test
    void thinkingWithSignatureAndReasoningEvents() throws Exception
    {
        final AnthropicStreams.Run run = run("anthropic-thinking-signature.sse");
        // 14 thinking_delta events, one of them empty: empty deltas are not announced.
        assertEquals(13, run.events.events.stream().filter(l -> l.startsWith("reasoning 0 ")).count());
        final Part thinking = run.choice().parts().get(0);
        assertEquals(Part.Kind.REASONING, thinking.kind());
        assertTrue(thinking.signature().toString().endsWith("fQYAQ=="));
        assertTrue(thinking.text().toString().startsWith("This is a straightforward question about pedestrian safety."));
    }

    @Test
    void contextManagementAndMultibyteThinking() throws Exception
    {
        final AnthropicStreams.Run run = run("anthropic-sonnet45-thinking-context-management.sse");
        final JsonNode m = message(run);
        assertEquals(MAPPER.readTree("{\"applied_edits\":[]}"), m.get("context_management"));
        assertTrue(m.at("/content/0/thinking").asText().contains("925 ÷ 5 = 185"));
        assertEquals("925 ÷ 5 = 185", m.at("/content/1/text").asText());
    }

    @Test
    void messageDeltaUsageReplacesStartUsage() throws Exception
    {
        final AnthropicStreams.Run run = run("anthropic-compatible-message-delta-input-tokens.sse");
        assertEquals(61, run.result().usage().inputTokens());
        assertEquals(2, run.result().usage().outputTokens());
        assertEquals("pong", run.choice().joined(Part.Kind.TEXT));
    }

    @Test
    void toolWithoutArgumentsHasEmptyInput() throws Exception
    {
        final JsonNode m = message(run("anthropic-sonnet45-tool-no-args-pings.sse"));
        assertEquals(MAPPER.createObjectNode(), m.at("/content/1/input"));
        assertEquals("updateIssueList", m.at("/content/1/name").asText());
    }

    @Test
    void multibyteTextSurvivesPadding() throws Exception
    {
        final JsonNode m = message(run("anthropic-haiku45-text-multibyte-padded.sse"));
        assertTrue(m.at("/content/0/text").asText().contains("68°F"));
        final JsonNode s = message(run("anthropic-sonnet45-structured-output-padded.sse"));
        assertEquals("[12345,67890]", s.at("/content/0/text").asText());
    }
}
