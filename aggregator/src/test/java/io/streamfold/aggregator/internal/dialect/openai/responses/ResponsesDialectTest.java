package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.JsonTree;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One behaviour per test, on hand-written Responses streams. */
class ResponsesDialectTest
{
    private static final String CREATED =
        "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":7," +
        "\"status\":\"in_progress\",\"model\":\"m-1\",\"output\":[],\"usage\":null,\"error\":null,\"temperature\":1.0}}";
    private static final String COMPLETED =
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":7," +
        "\"status\":\"completed\",\"model\":\"m-1\",\"output\":[],\"usage\":{\"input_tokens\":5," +
        "\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":1}," +
        "\"total_tokens\":8},\"error\":null,\"temperature\":1.0}}";
    private static final String MESSAGE_ADDED =
        "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\"," +
        "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}";
    private static final String PART_ADDED =
        "{\"type\":\"response.content_part.added\",\"output_index\":0,\"content_index\":0,\"item_id\":\"msg_1\"," +
        "\"part\":{\"type\":\"output_text\",\"annotations\":[],\"text\":\"\"}}";
    private static final String MESSAGE_DONE =
        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\"," +
        "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"Hello, w\\u00f6rld\"}]}}";

    static String sse(final String... payloads)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String p : payloads)
        {
            sb.append("data: ").append(p).append("\n\n");
        }
        return sb.toString();
    }

    static String textDelta(final int output, final int content, final String delta)
    {
        return "{\"type\":\"response.output_text.delta\",\"output_index\":" + output + ",\"content_index\":" + content +
            ",\"delta\":" + MutableRawJson.quote(delta) + "}";
    }

    private static Map<String, Object> json(final Aggregate a)
    {
        return JsonTree.objectByValue(a.toJson());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outputItem(final Aggregate a, final int i)
    {
        return (Map<String, Object>)((List<Object>)json(a).get("output")).get(i);
    }

    @Test
    void foldsAMessageAndFiresTheChatEvents()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, PART_ADDED, textDelta(0, 0, "Hello, "),
            textDelta(0, 0, "w\u00f6rld"), MESSAGE_DONE, COMPLETED), events);
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(List.of(), a.errors());
        assertEquals("start resp_1 m-1\ntext 0 Hello, \ntext 0 w\u00f6rld\n" +
            "usage " + a.usage().inputTokens() + "/" + a.usage().outputTokens() + "/" + a.usage().totalTokens() +
            "\nfinish 0 completed\nend COMPLETE\n", events.log());
        final Choice c = a.choice(0);
        assertEquals("assistant", c.role().toString());
        assertEquals("Hello, w\u00f6rld", c.joined(Part.Kind.TEXT));
        assertEquals(0, c.parts().get(0).wireIndex());
        assertEquals("msg_1", c.parts().get(0).id().toString());
        assertEquals(5, a.usage().inputTokens());
        assertEquals(3, a.usage().outputTokens());
        assertEquals(8, a.usage().totalTokens());
        assertEquals(2, a.usage().cachedTokens());
        assertEquals(1, a.usage().reasoningTokens());
        final Map<String, Object> response = json(a);
        assertEquals("resp_1", response.get("id"));
        assertEquals("response", response.get("object"));
        assertEquals("completed", response.get("status"));
        assertEquals(new java.math.BigDecimal("1"), response.get("temperature"));
        assertEquals(JsonTree.parseByValue("{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\"," +
            "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"Hello, w\u00f6rld\"}]}"), outputItem(a, 0));
        final Map<String, Object> normalized = JsonTree.objectByValue(a.toNormalizedJson());
        assertEquals("stop", ((Map<?, ?>)((List<?>)normalized.get("choices")).get(0)).get("finish_reason"));
    }

    @Test
    void fieldOrderDoesNotMatter()
    {
        final String reordered = sse(
            "{\"response\":{\"model\":\"m-1\",\"id\":\"resp_1\",\"output\":[],\"status\":\"in_progress\"},\"type\":\"response.created\"}",
            "{\"item\":{\"content\":[],\"role\":\"assistant\",\"id\":\"msg_1\",\"type\":\"message\"},\"output_index\":0,\"type\":\"response.output_item.added\"}",
            "{\"delta\":\"Hi\",\"content_index\":0,\"type\":\"response.output_text.delta\",\"output_index\":0}",
            "{\"delta\":\" there\",\"output_index\":0,\"type\":\"response.output_text.delta\",\"content_index\":0}",
            "{\"item\":{\"arguments\":\"\",\"name\":\"f\",\"call_id\":\"call_1\",\"type\":\"function_call\",\"id\":\"fc_1\"},\"output_index\":1,\"type\":\"response.output_item.added\"}",
            "{\"delta\":\"{}\",\"output_index\":1,\"type\":\"response.function_call_arguments.delta\"}",
            "{\"response\":{\"status\":\"completed\",\"id\":\"resp_1\"},\"type\":\"response.completed\"}");
        final String ordered = sse(
            "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"model\":\"m-1\",\"output\":[]}}",
            "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[]}}",
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}",
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\" there\"}",
            "{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"\"}}",
            "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,\"delta\":\"{}\"}",
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\"}}");
        final RecordingListener e1 = new RecordingListener();
        final RecordingListener e2 = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(reordered, e1);
        final Aggregate b = ResponsesTestSupport.whole(ordered, e2);
        assertEquals(List.of(), a.errors());
        assertEquals(e2.log(), e1.log());
        assertEquals(JsonTree.parseByValue(b.toJson()), JsonTree.parseByValue(a.toJson()));
        assertEquals("Hi there", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals("f", a.choice(0).toolCalls().get(0).name().toString());
    }

    @Test
    void argumentsOnlyInTheDoneEventAreTakenAndAnnounced()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\"," +
                "\"status\":\"in_progress\",\"arguments\":\"\",\"call_id\":\"call_9\",\"name\":\"weather\"}}",
            "{\"type\":\"response.function_call_arguments.done\",\"output_index\":0,\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}",
            "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"fc_1\",\"type\":\"function_call\"," +
                "\"status\":\"completed\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"call_id\":\"call_9\",\"name\":\"weather\"}}",
            COMPLETED), events);
        assertEquals(List.of(), a.errors());
        assertTrue(events.log().contains("tool 0 0 call_9 weather\nargs 0 0 {\"city\":\"Paris\"}\ntoolEnd 0 0 {\"city\":\"Paris\"}\n"),
            events.log());
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("call_9", call.id().toString());
        assertEquals(JsonTree.parseByValue("{\"id\":\"fc_1\",\"type\":\"function_call\",\"status\":\"completed\"," +
            "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"call_id\":\"call_9\",\"name\":\"weather\"}"), outputItem(a, 0));
        final Map<String, Object> normalized = JsonTree.objectByValue(a.toNormalizedJson());
        assertEquals("tool_calls", ((Map<?, ?>)((List<?>)normalized.get("choices")).get(0)).get("finish_reason"));
    }

    @Test
    void refusalIsARefusalPart()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED,
            "{\"type\":\"response.content_part.added\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"refusal\",\"refusal\":\"\"}}",
            "{\"type\":\"response.refusal.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"I can't\"}",
            "{\"type\":\"response.refusal.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\" help.\"}",
            "{\"type\":\"response.refusal.done\",\"output_index\":0,\"content_index\":0,\"refusal\":\"I can't help.\"}",
            COMPLETED), events);
        assertEquals(List.of(), a.errors());
        assertEquals("I can't help.", a.choice(0).joined(Part.Kind.REFUSAL));
        assertEquals("", a.choice(0).joined(Part.Kind.TEXT));
        assertTrue(events.log().contains("refusal 0 I can't\nrefusal 0  help.\n"));
        assertEquals(JsonTree.parseByValue("[{\"type\":\"refusal\",\"refusal\":\"I can't help.\"}]"), outputItem(a, 0).get("content"));
    }

    @Test
    void reasoningSummaryPartsAreReasoningPartsInOrder()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]," +
                "\"encrypted_content\":\"abc\"}}",
            "{\"type\":\"response.reasoning_summary_part.added\",\"output_index\":0,\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}}",
            "{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":0,\"summary_index\":0,\"delta\":\"**Plan**\"}",
            "{\"type\":\"response.reasoning_summary_part.added\",\"output_index\":0,\"summary_index\":1,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}}",
            "{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":0,\"summary_index\":1,\"delta\":\"second\"}",
            "{\"type\":\"response.reasoning_summary_text.done\",\"output_index\":0,\"summary_index\":1,\"text\":\"second\"}",
            "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"id\":\"rs_1\",\"type\":\"reasoning\"," +
                "\"summary\":[{\"type\":\"summary_text\",\"text\":\"**Plan**\"},{\"type\":\"summary_text\",\"text\":\"second\"}],\"encrypted_content\":\"xyz\"}}",
            COMPLETED), events);
        assertEquals(List.of(), a.errors());
        final List<Part> parts = a.choice(0).parts();
        assertEquals(2, parts.size());
        assertEquals(Part.Kind.REASONING, parts.get(1).kind());
        assertEquals("summary_text", parts.get(1).type().toString());
        assertEquals("**Plan**second", a.choice(0).joined(Part.Kind.REASONING));
        assertTrue(events.log().contains("reasoning 0 **Plan**\nreasoning 0 second\n"));
        assertEquals(JsonTree.parseByValue("{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"**Plan**\"}," +
            "{\"type\":\"summary_text\",\"text\":\"second\"}],\"encrypted_content\":\"xyz\"}"), outputItem(a, 0));
    }

    @Test
    void annotationsAndLogprobsStayWithTheirContentPart()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, PART_ADDED,
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"," +
                "\"logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.5,\"bytes\":[72,105],\"top_logprobs\":[]}]}",
            "{\"type\":\"response.output_text.annotation.added\",\"output_index\":0,\"content_index\":0,\"annotation_index\":0," +
                "\"annotation\":{\"type\":\"url_citation\",\"url\":\"https://example.com\",\"start_index\":0,\"end_index\":2}}",
            "{\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":0,\"text\":\"Hi\"," +
                "\"logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.5,\"bytes\":[72,105],\"top_logprobs\":[]}]}",
            COMPLETED), events);
        assertEquals(List.of(), a.errors());
        assertTrue(events.log().contains("logprob 0 content Hi -0.5\n"));
        assertEquals(1, events.log().split("logprob ", -1).length - 1, "the .done repeat is not announced again");
        assertEquals(1, a.choice(0).contentLogprobs().count());
        assertEquals(1, a.choice(0).parts().get(0).annotations().count());
        assertEquals(JsonTree.parseByValue("[{\"type\":\"output_text\",\"annotations\":[{\"type\":\"url_citation\",\"url\":\"https://example.com\"," +
            "\"start_index\":0,\"end_index\":2}],\"logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.5,\"bytes\":[72,105],\"top_logprobs\":[]}],\"text\":\"Hi\"}]"),
            outputItem(a, 0).get("content"));
    }

    @Test
    void otherItemsAreKeptWhole()
    {
        // An MCP server's tool list is no call: one OTHER part holding the item as sent.
        final String item = "{\"id\":\"mcpl_1\",\"type\":\"mcp_list_tools\",\"server_label\":\"dice\"," +
            "\"tools\":[{\"name\":\"roll\",\"input_schema\":{\"type\":\"object\"}}],\"error\":null}";
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"mcpl_1\",\"type\":\"mcp_list_tools\"," +
                "\"server_label\":\"dice\",\"tools\":[]}}",
            "{\"type\":\"response.mcp_list_tools.in_progress\",\"output_index\":0,\"item_id\":\"mcpl_1\"}",
            "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item + "}",
            COMPLETED), new RecordingListener());
        assertEquals(List.of(), a.errors());
        final Part part = a.choice(0).parts().get(0);
        assertEquals(Part.Kind.OTHER, part.kind());
        assertEquals("mcp_list_tools", part.type().toString());
        assertEquals("[{\"name\":\"roll\",\"input_schema\":{\"type\":\"object\"}}]", part.extra().get("tools").json());
        assertEquals(JsonTree.parseByValue(item), outputItem(a, 0));
        assertEquals(0, a.choice(0).toolCalls().size());
    }

    @Test
    void endingWithoutATerminalEventIsTruncatedAndKeepsTheText()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, PART_ADDED, textDelta(0, 0, "partial")), events);
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals(1, a.errors().size());
        assertEquals(ErrorKind.TRUNCATED, a.errors().get(0).kind());
        assertEquals("partial", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals("in_progress", json(a).get("status"));
        assertEquals(1, events.ends);
    }

    @Test
    void incompleteIsCompleteWithTheReasonAsFinishReason()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, textDelta(0, 0, "cut"),
            "{\"type\":\"response.incomplete\",\"response\":{\"id\":\"resp_1\",\"status\":\"incomplete\"," +
                "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"usage\":{\"input_tokens\":1,\"output_tokens\":16,\"total_tokens\":17}}}"),
            new RecordingListener());
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals("max_output_tokens", a.choice(0).finishReason().toString());
        assertEquals("incomplete", json(a).get("status"));
        final Map<String, Object> normalized = JsonTree.objectByValue(a.toNormalizedJson());
        assertEquals("length", ((Map<?, ?>)((List<?>)normalized.get("choices")).get(0)).get("finish_reason"));
    }

    @Test
    void failedResponseIsAnErrorWithTheProviderError()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\"," +
                "\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}"), new RecordingListener());
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals(ErrorKind.PROVIDER_ERROR, a.errors().get(0).kind());
        assertEquals(JsonTree.parseByValue("{\"code\":\"server_error\",\"message\":\"boom\"}"), JsonTree.parseByValue(a.providerError().json()));
        assertEquals("failed", a.choice(0).finishReason().toString());
    }

    @Test
    void errorEventWithTopLevelFieldsEndsAsErrorWithoutTruncation()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\",\"param\":null,\"sequence_number\":1}"), events);
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals(1, a.errors().size(), a.errors().toString());
        assertEquals(ErrorKind.PROVIDER_ERROR, a.errors().get(0).kind());
        assertEquals(JsonTree.parseByValue("{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\",\"param\":null}"),
            JsonTree.parseByValue(a.providerError().json()));
        assertEquals(JsonTree.parseByValue(a.providerError().json()), json(a).get("error"));
    }

    @Test
    void absurdIndexesAreRefusedWithoutAllocating()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED,
            textDelta(2147483647, 0, "far"),
            "{\"type\":\"response.output_item.added\",\"output_index\":2147483647,\"item\":{\"type\":\"message\",\"content\":[]}}",
            textDelta(0, 2147483647, "deep"),
            "{\"type\":\"response.output_text.delta\",\"output_index\":-3,\"content_index\":0,\"delta\":\"negative\"}",
            textDelta(0, 0, "ok"), COMPLETED), new RecordingListener());
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(4, a.errors().size(), a.errors().toString());
        for (final StreamError e : a.errors())
        {
            if (e.message().contains("-3"))
            {
                // Not a limit: a negative index is not an index at all, and is shown as sent.
                assertEquals(ErrorKind.MALFORMED_JSON, e.kind());
                assertEquals("output_index must be a non-negative integer, got -3", e.message());
            }
            else
            {
                assertEquals(ErrorKind.LIMIT_EXCEEDED, e.kind());
            }
        }
        assertEquals("ok", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(1, a.choice(0).parts().size());
    }

    @Test
    void tooManyItemsHitTheLimit()
    {
        final StringBuilder sb = new StringBuilder(sse(CREATED));
        for (int i = 0; i < 5; i++)
        {
            sb.append(sse("{\"type\":\"response.output_item.added\",\"output_index\":" + i +
                ",\"item\":{\"type\":\"message\",\"content\":[]}}", textDelta(i, 0, "t" + i)));
        }
        final StreamAggregator agg = StreamAggregator.builder().format(Format.OPENAI_RESPONSES)
            .limits(AggregationLimits.builder().maxPartsPerChoice(3).build()).build();
        final byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        agg.feed(bytes, 0, bytes.length);
        agg.end();
        assertEquals("t0t1t2", agg.result().choice(0).joined(Part.Kind.TEXT));
        assertEquals(ErrorKind.LIMIT_EXCEEDED, agg.result().errors().get(0).kind());
    }

    @Test
    void malformedEventIsSkippedInLenientModeAndEndsStrictMode()
    {
        final String stream = sse(CREATED, MESSAGE_ADDED, textDelta(0, 0, "a"),
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"b\"",
            "{\"type\":\"response.output_text.delta\",\"output_index\":\"zero\",\"delta\":\"c\"}",
            textDelta(0, 0, "d"), COMPLETED);
        final Aggregate lenient = ResponsesTestSupport.whole(stream, new RecordingListener());
        assertEquals(Outcome.COMPLETE, lenient.outcome());
        assertEquals("a" + "d", lenient.choice(0).joined(Part.Kind.TEXT), "an event whose index is not one is refused");
        assertEquals(2, lenient.errors().size());
        assertEquals(ErrorKind.MALFORMED_JSON, lenient.errors().get(0).kind());
        assertTrue(!lenient.errors().get(0).message().startsWith(InternalErrors.PREFIX));
        assertEquals(ErrorKind.MALFORMED_JSON, lenient.errors().get(1).kind());
        assertEquals("output_index must be a non-negative integer, got the string \"zero\"", lenient.errors().get(1).message());

        final StreamAggregator strict = StreamAggregator.builder().format(Format.OPENAI_RESPONSES).strict(true).build();
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        strict.feed(bytes, 0, bytes.length);
        strict.end();
        assertEquals(Outcome.ERROR, strict.result().outcome());
        assertEquals("a", strict.result().choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void aDoneTextThatContradictsTheDeltasIsReportedAndTheDeltasKept()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, textDelta(0, 0, "Hello"),
            "{\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":0,\"text\":\"Goodbye\"}", COMPLETED),
            new RecordingListener());
        assertEquals("Hello", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(1, a.errors().size());
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());

        final RecordingListener events = new RecordingListener();
        final Aggregate b = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, textDelta(0, 0, "Hel"),
            "{\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":0,\"text\":\"Hello\"}", COMPLETED), events);
        assertEquals("Hello", b.choice(0).joined(Part.Kind.TEXT));
        assertTrue(events.log().contains("text 0 Hel\ntext 0 lo\n"), "the missing tail is announced");
        assertEquals(1, b.errors().size());
    }

    /** Found by the dropped-byte property: a space lost inside the done text left valid JSON that rewrote the deltas. */
    @Test
    void aByteDroppedInsideTheDoneTextDoesNotChangeTheDeltasBeforeIt()
    {
        final String done = "{\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":0,\"text\":\"      \uD800\uDC00 \"}";
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED, PART_ADDED, textDelta(0, 0, "  "),
            textDelta(0, 0, " "), textDelta(0, 0, "    \uD800\uDC00"), textDelta(0, 0, " "), done, COMPLETED), new RecordingListener());
        assertEquals("       \uD800\uDC00 ", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(1, a.errors().size(), a.errors().toString());
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
    }

    /** Found by the dropped-byte property: a function call's done item with a damaged type took the item id as call id. */
    @Test
    void aDamagedItemTypeInTheDoneItemKeepsTheFunctionCallAsItWas()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"function_call\",\"id\":\"item_3\"," +
            "\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"\"}}",
            "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":0,\"item_id\":\"item_3\",\"delta\":\"{}\"}",
            "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"type\":\"functioncall\",\"id\":\"item_3\"," +
            "\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"}}", COMPLETED), new RecordingListener());
        assertEquals(1, a.choice(0).parts().size(), a.choice(0).toString());
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("call_1", call.id().toString());
        assertEquals("f", call.name().toString());
        assertEquals("function_call", call.type().toString());
        assertEquals("{}", call.text().toString());
        assertEquals(1, a.errors().size(), a.errors().toString());
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
    }

    @Test
    void eventsWithoutOutputIndexFindTheirItemById()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED,
            "{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"id\":\"msg_2\",\"type\":\"message\",\"content\":[]}}",
            "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"content_index\":0,\"delta\":\"first\"}",
            "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_2\",\"content_index\":0,\"delta\":\"second\"}",
            COMPLETED), new RecordingListener());
        assertEquals(List.of(), a.errors());
        assertEquals("first", ((Map<?, ?>)((List<?>)outputItem(a, 0).get("content")).get(0)).get("text"));
        assertEquals("second", ((Map<?, ?>)((List<?>)outputItem(a, 1).get("content")).get(0)).get("text"));
    }

    @Test
    void itemsAppearOnlyInTheFinalResponseAreTaken()
    {
        final RecordingListener events = new RecordingListener();
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED,
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"output\":[" +
                "{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\"," +
                "\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"text\":\"only here\"}]}]}}"), events);
        assertEquals(List.of(), a.errors());
        assertEquals("only here", a.choice(0).joined(Part.Kind.TEXT));
        assertTrue(events.log().contains("text 0 only here\n"));
    }

    @Test
    void doneMarkerAndUnknownEventsAreIgnored()
    {
        final Aggregate a = ResponsesTestSupport.whole(sse(CREATED, MESSAGE_ADDED,
            "{\"type\":\"response.something_new\",\"output_index\":0,\"delta\":\"x\"}",
            "{\"type\":\"keepalive\"}", textDelta(0, 0, "y"), COMPLETED, "[DONE]"), new RecordingListener());
        assertEquals(Outcome.COMPLETE, a.outcome());
        assertEquals(List.of(), a.errors());
        assertEquals("y", a.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void resetReadiesTheAggregatorForAnotherStream()
    {
        final byte[] first = sse(CREATED, MESSAGE_ADDED, textDelta(0, 0, "one"), COMPLETED).getBytes(StandardCharsets.UTF_8);
        final byte[] second = sse(CREATED.replace("resp_1", "resp_2"),
            "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"fc\",\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"n\",\"arguments\":\"\"}}",
            "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":0,\"delta\":\"{}\"}", COMPLETED)
            .getBytes(StandardCharsets.UTF_8);
        final StreamAggregator reused = StreamAggregator.create(Format.OPENAI_RESPONSES);
        reused.feed(first, 0, first.length);
        reused.end();
        reused.reset();
        reused.feed(second, 0, second.length);
        reused.end();
        final StreamAggregator fresh = StreamAggregator.create(Format.OPENAI_RESPONSES);
        fresh.feed(second, 0, second.length);
        fresh.end();
        assertEquals(fresh.result().toJson(), reused.result().toJson());
        assertEquals("", reused.result().choice(0).joined(Part.Kind.TEXT));
        assertNull(reused.result().choice(1));
    }
}
