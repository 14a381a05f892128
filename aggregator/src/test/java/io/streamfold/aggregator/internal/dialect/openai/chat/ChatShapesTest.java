package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.util.List;
import java.util.Map;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.JsonTree;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.ChatFeeding.sse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real-world shapes of OpenAI-compatible streams that break aggregators, each as a small hand-written
 * stream. Each stream is also fed byte by byte and must give the same result.
 */
class ChatShapesTest
{
    private static final String DONE = "data: [DONE]\n\n";

    private final RecordingListener events = new RecordingListener();

    private StreamAggregator fold(final String stream)
    {
        final byte[] bytes = ChatFeeding.utf8(stream);
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, events, false);
        ChatFeeding.feedWhole(a, bytes);
        a.end();
        final StreamAggregator slow = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        ChatFeeding.feedByteByByte(slow, bytes);
        slow.end();
        assertEquals(ChatFeeding.fingerprint(a), ChatFeeding.fingerprint(slow), "byte by byte differs");
        return a;
    }

    private static Map<String, Object> json(final StreamAggregator a)
    {
        return JsonTree.object(a.result().toJson());
    }

    private static Object at(final StreamAggregator a, final Object... path)
    {
        return JsonTree.at(json(a), path);
    }

    private static String chunk(final String choices)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[" + choices + "]}";
    }

    private static String delta(final int index, final String delta, final String finish)
    {
        return "{\"index\":" + index + ",\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : '"' + finish + '"') + "}";
    }

    private static void noErrors(final StreamAggregator a)
    {
        assertEquals(List.of(), a.result().errors());
    }

    // ---------------------------------------------------------------------------------------------
    // Usage

    @Test
    void usageOnTheSameChunkAsTheFinishReason()
    {
        // Together: no separate usage chunk.
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"Hi\"}", null)),
            "{\"id\":\"c1\",\"choices\":[" + delta(0, "{\"content\":\"\"}", "stop") +
                "],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}") + DONE);
        noErrors(a);
        assertEquals("stop", at(a, "choices", 0, "finish_reason"));
        assertEquals(6L, a.result().usage().totalTokens());
        assertEquals(Outcome.COMPLETE, a.result().outcome());
    }

    @Test
    void cumulativeUsageOnEveryChunkTakesTheLastNeverASum()
    {
        // vLLM continuous_usage_stats: every chunk carries the running totals.
        final StreamAggregator a = fold(sse(
            "{\"id\":\"c\",\"choices\":[" + delta(0, "{\"content\":\"a\"}", null) + "],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8}}",
            "{\"id\":\"c\",\"choices\":[" + delta(0, "{\"content\":\"b\"}", null) + "],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}",
            "{\"id\":\"c\",\"choices\":[" + delta(0, "{\"content\":\"c\"}", "stop") + "],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}") + DONE);
        noErrors(a);
        assertEquals(7, a.result().usage().inputTokens());
        assertEquals(3, a.result().usage().outputTokens());
        assertEquals(10, a.result().usage().totalTokens());
        assertEquals(List.of("usage 7/1/8", "usage 7/2/9", "usage 7/3/10"), events.starting("usage"));
        assertEquals(3, ((Number)at(a, "usage", "completion_tokens")).intValue());
    }

    @Test
    void usageChunkWithNullChoices()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"content\":\"x\"}", "stop")),
            "{\"id\":\"c1\",\"choices\":null,\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}") + DONE);
        noErrors(a);
        assertEquals(2, a.result().usage().totalTokens());
        assertEquals(1, a.result().choices().size());
        assertEquals("x", at(a, "choices", 0, "message", "content"));
    }

    // ---------------------------------------------------------------------------------------------
    // Roles, token ids

    @Test
    void roleRepeatedInEveryDeltaIsNotJoined()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"a\"}", null)),
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"b\"}", null)),
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"\"}", "stop"))) + DONE);
        noErrors(a);
        assertEquals("assistant", at(a, "choices", 0, "message", "role"));
        assertEquals("ab", at(a, "choices", 0, "message", "content"));
    }

    @Test
    void togetherPerChunkTokenIdBecomesAList()
    {
        final StreamAggregator a = fold(sse(
            chunk("{\"index\":0,\"text\":\"a\",\"delta\":{\"content\":\"a\",\"token_id\":11},\"finish_reason\":null}"),
            chunk("{\"index\":0,\"text\":\"b\",\"delta\":{\"content\":\"b\",\"token_id\":12},\"finish_reason\":null}"),
            chunk("{\"index\":0,\"text\":\"\",\"delta\":{\"content\":\"\",\"token_id\":2},\"finish_reason\":\"stop\"}")) + DONE);
        noErrors(a);
        assertArrayEquals(new long[] {11, 12, 2}, a.result().choice(0).tokenIds());
        assertEquals("ab", at(a, "choices", 0, "message", "content"), "choices[].text repeats the delta: not doubled");
        assertEquals(List.of(11, 12, 2), ints(at(a, "choices", 0, "token_ids")));
    }

    @Test
    void vllmPerChoiceTokenIdLists()
    {
        final StreamAggregator a = fold(sse(
            chunk("{\"index\":0,\"delta\":{\"content\":\"ab\"},\"token_ids\":[11,12],\"finish_reason\":null}"),
            chunk("{\"index\":0,\"delta\":{\"content\":\"\"},\"token_ids\":null,\"finish_reason\":null}"),
            chunk("{\"index\":0,\"delta\":{\"content\":\"c\"},\"token_ids\":[13],\"finish_reason\":\"stop\",\"stop_reason\":128009}")) + DONE);
        noErrors(a);
        assertArrayEquals(new long[] {11, 12, 13}, a.result().choice(0).tokenIds());
        assertEquals(128009, ((Number)at(a, "choices", 0, "stop_reason")).intValue(), "stop_reason kept beside finish_reason");
        assertEquals("stop", at(a, "choices", 0, "finish_reason"));
    }

    // ---------------------------------------------------------------------------------------------
    // Tool calls

    @Test
    void toolCallIdOnlyOnTheFirstFragment()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}", null)),
            chunk(delta(0, "{}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("call_1", "f", "{\"a\":1}"));
        assertEquals(List.of("tool 0 0 call_1 f"), events.starting("tool "));
        assertEquals(List.of("args 0 0 {\"a\"", "args 0 0 :1}"), events.starting("args"));
        assertEquals(List.of("toolEnd 0 0 {\"a\":1}"), events.starting("toolEnd"));
    }

    @Test
    void toolCallIdAndNameRepeatedInFullAreNotJoined()
    {
        // DeepSeek, Qwen: every fragment repeats id, type and name.
        final String head = "{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":";
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[" + head + "\"{\\\"a\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[" + head + "\"\\\":1}\"}}]}", null)),
            chunk(delta(0, "{}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("call_1", "f", "{\"a\":1}"));
    }

    @Test
    void emptyIdOnContinuations()
    {
        // DeepSeek / Qwen: continuations carry "id": "" and sometimes "name": "".
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"\",\"arguments\":\"}\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"arguments\":\"\"}}]}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("call_1", "f", "{}"));
    }

    @Test
    void toolCallsWithoutAnyIndex()
    {
        // Gemini's and Ollama's OpenAI-compatible endpoints: whole calls, no index, each with its own id.
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":1}\"}}," +
                "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"h\",\"arguments\":\"{}\"}}]}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("a", "f", "{\"x\":1}"), List.of("b", "g", "{}"), List.of("c", "h", "{}"));
    }

    @Test
    void continuationWithoutIndexOrIdExtendsTheLatestCall()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\"\"}}]}", null)),
            chunk(delta(0, "{\"tool_calls\":[{\"function\":{\"arguments\":\":2}\"}}]}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("a", "f", "{\"x\":2}"));
    }

    @Test
    void twoEntriesWithTheSameIndexInOneChunk()
    {
        // A start and its first fragment in one chunk: one call.
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}," +
                "{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("a", "f", "{}"));
    }

    @Test
    void sameIndexWithDifferentIdsAreSeparateCalls()
    {
        // Some servers number every parallel call 0: a new id means a new call.
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}," +
                "{\"index\":0,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"[]\"}}]}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("a", "f", "{}"), List.of("b", "g", "[]"));
    }

    @Test
    void wholeParallelCallsInOneChunkStaySeparate()
    {
        // Mistral / Groq: every call complete, with index, in one delta.
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"q\\\":1}\"}}," +
                "{\"index\":1,\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"q\\\":2}\"}}]}", "tool_calls"))) + DONE);
        noErrors(a);
        assertCalls(a, List.of("a", "f", "{\"q\":1}"), List.of("b", "f", "{\"q\":2}"));
        assertEquals(List.of("tool 0 0 a f", "tool 0 1 b f"), events.starting("tool "));
    }

    @Test
    void legacyFunctionCall()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"f\",\"arguments\":\"\"}}", null)),
            chunk(delta(0, "{\"function_call\":{\"arguments\":\"{\\\"a\\\":\"}}", null)),
            chunk(delta(0, "{\"function_call\":{\"arguments\":\"1}\"}}", null)),
            chunk(delta(0, "{}", "function_call"))) + DONE);
        noErrors(a);
        assertEquals("f", at(a, "choices", 0, "message", "function_call", "name"));
        assertEquals("{\"a\":1}", at(a, "choices", 0, "message", "function_call", "arguments"));
        assertNull(at(a, "choices", 0, "message", "tool_calls"));
        assertEquals("function_call", at(a, "choices", 0, "finish_reason"));
    }

    // ---------------------------------------------------------------------------------------------
    // Choices

    @Test
    void interleavedChoicesAndOneFinishingBeforeAnotherStarts()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(1, "{\"role\":\"assistant\",\"content\":\"B\"}", null)),
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"A\"}", null)),
            chunk(delta(1, "{\"content\":\"b\"}", "stop")),
            chunk(delta(0, "{\"content\":\"a\"}", null)),
            chunk(delta(2, "{\"role\":\"assistant\",\"content\":\"C\"}", "length")),
            chunk(delta(0, "{}", "stop"))) + DONE);
        noErrors(a);
        assertEquals(List.of(0L, 1L, 2L), a.result().choices().stream().map(Choice::index).toList());
        assertEquals("Aa", at(a, "choices", 0, "message", "content"));
        assertEquals("Bb", at(a, "choices", 1, "message", "content"));
        assertEquals("C", at(a, "choices", 2, "message", "content"));
        assertEquals("length", at(a, "choices", 2, "finish_reason"));
        assertEquals(List.of("finish 1 stop", "finish 2 length", "finish 0 stop"), events.starting("finish"));
    }

    @Test
    void azureFirstChunkAndContentFilterChunks()
    {
        final StreamAggregator a = fold(sse(
            "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"\",\"role\":\"assistant\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null}],\"created\":1724860848,\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\"}",
            "{\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null,\"index\":0}],\"created\":1724860848,\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\"}",
            "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\",\"index\":0}],\"created\":1724860848,\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"object\":\"chat.completion.chunk\"}",
            "{\"choices\":[{\"content_filter_offsets\":{\"check_offset\":1},\"content_filter_results\":{\"hate\":{\"filtered\":false}},\"finish_reason\":null,\"index\":0}],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\"}") + DONE);
        noErrors(a);
        final Map<String, Object> out = json(a);
        assertEquals("chatcmpl-1", out.get("id"));
        assertEquals("gpt-4o", out.get("model"));
        assertEquals(1724860848, ((Number)out.get("created")).intValue(), "a placeholder created 0 must not win");
        assertTrue(out.containsKey("prompt_filter_results"));
        assertEquals("Hi", JsonTree.at(out, "choices", 0, "message", "content"));
        assertEquals("stop", JsonTree.at(out, "choices", 0, "finish_reason"), "a later finish_reason null does not undo it");
        assertEquals(false, JsonTree.at(out, "choices", 0, "content_filter_results", "hate", "filtered"));
        assertEquals(1, a.result().choices().size());
    }

    // ---------------------------------------------------------------------------------------------
    // Content shapes

    @Test
    void mistralContentAsTypedParts()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"Let me \"}]}]}", null)),
            chunk(delta(0, "{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"think.\"}]}]}", null)),
            chunk(delta(0, "{\"content\":[{\"type\":\"text\",\"text\":\"Answer\"}]}", null)),
            chunk(delta(0, "{\"content\":\" done\"}", "stop"))) + DONE);
        noErrors(a);
        final Choice c = a.result().choice(0);
        assertEquals("Let me think.", c.joined(Part.Kind.REASONING));
        assertEquals("Answer done", c.joined(Part.Kind.TEXT));
        assertEquals(List.of("reasoning 0 Let me ", "reasoning 0 think."), events.starting("reasoning"));
        // The complete response holds the content as Mistral's non-streaming one does: the typed chunks, in order.
        assertEquals(List.of(Map.of("type", "thinking", "thinking", List.of(Map.of("type", "text", "text", "Let me think."))),
            Map.of("type", "text", "text", "Answer done")), at(a, "choices", 0, "message", "content"));
        assertNull(at(a, "choices", 0, "message", "reasoning_content"));
    }

    /** Reasoning and answer may alternate; a stream that opens with an empty string gets no empty chunk. */
    @Test
    void mistralTypedContentKeepsItsOrder()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"\"}", null)),
            chunk(delta(0, "{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"a\"}]}]}", null)),
            chunk(delta(0, "{\"content\":\"b\"}", null)),
            chunk(delta(0, "{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"c\"}]}]}", null)),
            chunk(delta(0, "{\"content\":[{\"type\":\"text\",\"text\":\"d\"}]}", "stop"))) + DONE);
        noErrors(a);
        assertEquals(List.of(Map.of("type", "thinking", "thinking", List.of(Map.of("type", "text", "text", "a"))),
            Map.of("type", "text", "text", "b"),
            Map.of("type", "thinking", "thinking", List.of(Map.of("type", "text", "text", "c"))),
            Map.of("type", "text", "text", "d")), at(a, "choices", 0, "message", "content"));
    }

    /** A typed part of another kind (Mistral's reference chunk) is kept whole, in its place. */
    @Test
    void mistralReferenceChunksAreKeptInPlace()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Paris\"}]}", null)),
            chunk(delta(0, "{\"content\":[{\"reference_ids\":[3,4],\"type\":\"reference\"}]}", null)),
            chunk(delta(0, "{\"content\":[{\"type\":\"text\",\"text\":\" is big.\"}]}", "stop"))) + DONE);
        noErrors(a);
        assertEquals("Paris is big.", a.result().choice(0).joined(Part.Kind.TEXT));
        assertEquals(List.of(Map.of("type", "text", "text", "Paris"), Map.of("type", "reference", "reference_ids", List.of(new java.math.BigDecimal(3), new java.math.BigDecimal(4))),
            Map.of("type", "text", "text", " is big.")), at(a, "choices", 0, "message", "content"));
    }

    /**
     * A text part's members other than its text are not kept, so one over a limit is no error; an other part's field
     * over the limit is dropped and said to be. Both readers agree.
     */
    @Test
    void contentPartFieldsOverTheRawLimit()
    {
        final AggregationLimits small = AggregationLimits.builder().maxRawBytes(16).build();
        final String big = "y".repeat(36);
        final byte[] text = ChatFeeding.utf8(sse(chunk(delta(0, "{\"content\":[{\"type\":\"text\",\"text\":\"a\",\"signature\":\"" + big +
            "\"}]}", null))) + DONE);
        final byte[] reference = ChatFeeding.utf8(sse(chunk(delta(0, "{\"content\":[{\"note\":\"" + big +
            "\",\"type\":\"reference\",\"reference_ids\":[1]}]}", null))) + DONE);
        for (final byte[] stream : new byte[][]{text, reference})
        {
            FastPathRun.assertSameDrawn(Format.OPENAI_CHAT, stream, small, new java.util.Random(3),
                new String(stream, java.nio.charset.StandardCharsets.UTF_8));
        }
        final StreamAggregator t = StreamAggregator.builder().format(Format.OPENAI_CHAT).limits(small).build();
        ChatFeeding.feedWhole(t, text);
        t.end();
        assertEquals(List.of(), t.result().errors());
        final StreamAggregator r = StreamAggregator.builder().format(Format.OPENAI_CHAT).limits(small).build();
        ChatFeeding.feedWhole(r, reference);
        r.end();
        assertEquals(List.of(ErrorKind.LIMIT_EXCEEDED), r.result().errors().stream().map(e -> e.kind()).collect(java.util.stream.Collectors.toList()));
        assertEquals(List.of(Map.of("type", "reference", "reference_ids", List.of(java.math.BigDecimal.ONE))),
            JsonTree.at(JsonTree.object(r.result().toJson()), "choices", 0, "message", "content"));
    }

    /** Content sent only as strings stays a string, reasoning beside it. */
    @Test
    void plainContentStaysAString()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"reasoning_content\":\"r\",\"content\":\"\"}", null)),
            chunk(delta(0, "{\"content\":\"x\"}", "stop"))) + DONE);
        assertEquals("x", at(a, "choices", 0, "message", "content"));
        assertEquals("r", at(a, "choices", 0, "message", "reasoning_content"));
    }

    @Test
    void openRouterCommentsReasoningDetailsAndInBandError()
    {
        final StreamAggregator a = fold(": OPENROUTER PROCESSING\n\n" + sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Hm\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"Hm\",\"index\":0}]}", null))) +
            ": OPENROUTER PROCESSING\n\n" + sse(
            chunk(delta(0, "{\"role\":\"assistant\",\"content\":\"Hi\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"signature\":\"sig\",\"index\":0}]}", null)),
            "{\"id\":\"c1\",\"error\":{\"code\":502,\"message\":\"upstream died\"},\"choices\":[" + delta(0, "{\"content\":\"\"}", "error") + "]}") + DONE);
        final Aggregate r = a.result();
        assertEquals(1, r.errors().size());
        assertEquals(ErrorKind.PROVIDER_ERROR, r.errors().get(0).kind());
        assertEquals(Outcome.ERROR, r.outcome());
        assertEquals("Hi", at(a, "choices", 0, "message", "content"));
        assertEquals("Hm", at(a, "choices", 0, "message", "reasoning"));
        // The two pieces of entry 0 are one entry: its text and, later, its signature.
        assertEquals(1, ((List<?>)at(a, "choices", 0, "message", "reasoning_details")).size());
        assertEquals("Hm", at(a, "choices", 0, "message", "reasoning_details", 0, "text"));
        assertEquals("sig", at(a, "choices", 0, "message", "reasoning_details", 0, "signature"));
        assertEquals("error", at(a, "choices", 0, "finish_reason"));
        assertEquals("upstream died", at(a, "error", "message"));
    }

    @Test
    void midStreamErrorObjectEndsTheResult()
    {
        final String stream = sse(
            chunk(delta(0, "{\"content\":\"partial\"}", null)),
            "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, events, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(stream));
        assertTrue(a.isDone(), "the error object ends the stream without waiting for the connection");
        assertEquals(Outcome.ERROR, a.result().outcome());
        assertEquals("partial", a.result().choice(0).joined(Part.Kind.TEXT), "text before the error is kept");
        assertEquals("overloaded", at(a, "error", "message"));
        final StreamError e = a.result().errors().get(0);
        assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
        assertEquals(1, e.eventNumber());
        assertEquals(stream.indexOf("data: {\"error\""), e.byteOffset());
        // More bytes (a chunk, [DONE]) change nothing once it ended.
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(sse(chunk(delta(0, "{\"content\":\"more\"}", "stop"))) + DONE));
        a.end();
        assertEquals("partial", a.result().choice(0).joined(Part.Kind.TEXT));
        assertEquals(1, events.starting("end").size());
    }

    @Test
    void doneIsFinalBeforeTheConnectionCloses()
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, events, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(sse(chunk(delta(0, "{\"content\":\"x\"}", null)))));
        assertFalse(a.isDone());
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(DONE));
        assertTrue(a.isDone(), "[DONE] ends the stream");
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals(List.of("end COMPLETE"), events.starting("end"));
        a.end();
        assertEquals(List.of("end COMPLETE"), events.starting("end"));
    }

    @Test
    void withoutDoneAndUnfinishedItIsTruncated()
    {
        final StreamAggregator a = fold(sse(
            chunk(delta(0, "{\"content\":\"x\"}", "stop")),
            chunk(delta(1, "{\"content\":\"y\"}", null))));
        assertEquals(Outcome.TRUNCATED, a.result().outcome());
        assertEquals(ErrorKind.TRUNCATED, a.result().errors().get(0).kind());
        assertEquals("x", a.result().choice(0).joined(Part.Kind.TEXT));
        assertEquals("y", a.result().choice(1).joined(Part.Kind.TEXT));
    }

    @Test
    void anEmptyStreamIsTruncatedNotComplete()
    {
        final StreamAggregator a = fold("");
        assertEquals(Outcome.TRUNCATED, a.result().outcome());
    }

    @Test
    void unknownFieldsAreKeptRawAndWrittenBackInPlace()
    {
        final StreamAggregator a = fold(sse(
            "{\"id\":\"c1\",\"model\":\"m\",\"vendor_meta\":{\"x\":[1,2]},\"choices\":[{\"index\":0,\"vendor_choice\":true," +
                "\"delta\":{\"content\":\"a\",\"vendor_delta\":{\"k\":\"v\"},\"channel\":\"final\"},\"finish_reason\":null}]}",
            "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\",\"channel\":\"final\"},\"finish_reason\":\"stop\"}]}") + DONE);
        noErrors(a);
        final Map<String, Object> out = json(a);
        assertEquals(List.of(1, 2), ints(JsonTree.at(out, "vendor_meta", "x")));
        assertEquals(true, JsonTree.at(out, "choices", 0, "vendor_choice"));
        assertEquals("v", JsonTree.at(out, "choices", 0, "message", "vendor_delta", "k"));
        // Groq's channel is a state repeated on every delta, not text to join.
        assertEquals("final", JsonTree.at(out, "choices", 0, "message", "channel"));
        assertEquals("ab", JsonTree.at(out, "choices", 0, "message", "content"));
    }

    @Test
    void logprobsContentAndRefusal()
    {
        final String entry1 = "{\"token\":\"He\",\"logprob\":-0.5,\"bytes\":[72,101],\"top_logprobs\":[{\"token\":\"He\",\"logprob\":-0.5,\"bytes\":[72,101]}]}";
        final String entry2 = "{\"token\":\"y\",\"logprob\":-1.25e-3,\"bytes\":[121],\"top_logprobs\":[]}";
        final StreamAggregator a = fold(sse(
            chunk("{\"index\":0,\"delta\":{\"content\":\"He\"},\"logprobs\":{\"content\":[" + entry1 + "],\"refusal\":null},\"finish_reason\":null}"),
            chunk("{\"index\":0,\"delta\":{\"content\":\"y\"},\"logprobs\":{\"content\":[" + entry2 + "],\"refusal\":null},\"finish_reason\":\"stop\"}")) + DONE);
        noErrors(a);
        assertEquals(List.of("logprob 0 content He -0.5", "logprob 0 content y -0.00125"), events.starting("logprob"));
        assertEquals(JsonTree.parse("[" + entry1 + "," + entry2 + "]"), at(a, "choices", 0, "logprobs", "content"));
        assertNull(at(a, "choices", 0, "logprobs", "refusal"));
    }

    @Test
    void logprobsBeforeTheIndexAreNotLost()
    {
        // Azure / Qwen put fields before "index": the dialect must keep them until it knows the choice.
        final StreamAggregator a = fold(sse(
            chunk("{\"logprobs\":{\"content\":[{\"token\":\"a\",\"logprob\":-1.0,\"bytes\":[97],\"top_logprobs\":[]}]},\"delta\":{\"content\":\"a\"},\"token_ids\":[5],\"index\":1,\"finish_reason\":\"stop\"}")) + DONE);
        noErrors(a);
        final Choice c = a.result().choice(1);
        assertEquals("a", c.joined(Part.Kind.TEXT));
        assertEquals(1, c.contentLogprobs().count());
        assertArrayEquals(new long[] {5}, c.tokenIds());
        assertNull(a.result().choice(0));
    }

    @Test
    void seedAbove2To63IsKeptExactly()
    {
        final StreamAggregator a = fold(sse(
            "{\"id\":\"c\",\"seed\":18446744073709551615,\"choices\":[" + delta(0, "{\"content\":\"x\"}", "stop") + "]}") + DONE);
        noErrors(a);
        assertTrue(a.result().toJson().contains("\"seed\":18446744073709551615"));
    }

    private static void assertCalls(final StreamAggregator a, final List<?>... calls)
    {
        final List<?> got = (List<?>)at(a, "choices", 0, "message", "tool_calls");
        assertEquals(calls.length, got == null ? 0 : got.size(), () -> "tool calls: " + got);
        for (int i = 0; i < calls.length; i++)
        {
            final List<?> want = calls[i];
            assertEquals(want.get(0), JsonTree.at(got, i, "id"), "id of call " + i);
            assertEquals(want.get(1), JsonTree.at(got, i, "function", "name"), "name of call " + i);
            assertEquals(want.get(2), JsonTree.at(got, i, "function", "arguments"), "arguments of call " + i);
            assertEquals("function", JsonTree.at(got, i, "type"));
        }
    }

    private static List<Integer> ints(final Object list)
    {
        return ((List<?>)list).stream().map(n -> ((Number)n).intValue()).toList();
    }
}
