package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.aggregator.model.Verdict;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.HostileInput.event;
import static io.streamfold.aggregator.HostileInput.fold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10: where usage numbers come from while the stream runs, and one precise reason per result. */
class UsageSourceAndVerdictTest
{
    private static final String ANTHROPIC_START = event("message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\"," +
        "\"content\":[],\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":6,\"cache_read_input_tokens\":4," +
        "\"cache_creation\":{\"ephemeral_5m_input_tokens\":2,\"ephemeral_1h_input_tokens\":4},\"output_tokens\":1}}}");

    /** The usage source each time usage was announced. */
    private static final class Sources implements StreamListener
    {
        final List<Usage.Source> seen = new ArrayList<>();
        Usage.Source atFinish;
        Usage last;

        @Override
        public void onFinish(final int choice, final CharSequence reason)
        {
            atFinish = last == null ? null : last.source();
        }

        @Override
        public void onUsage(final Usage usage)
        {
            seen.add(usage.source());
            last = usage;
        }
    }

    private static StreamAggregator run(final Format format, final StreamListener listener, final String stream, final boolean end)
    {
        final StreamAggregator agg = StreamAggregator.builder().format(format).listener(listener).build();
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        agg.feed(bytes, 0, bytes.length);
        if (end)
        {
            agg.end();
        }
        return agg;
    }

    @Test
    void anthropicPlaceholderIsProvisionalUntilMessageDelta()
    {
        final Sources sources = new Sources();
        final StreamAggregator agg = run(Format.ANTHROPIC, sources, ANTHROPIC_START +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") +
            event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}") +
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
            event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":20}}") +
            event("message_stop", "{\"type\":\"message_stop\"}"), true);
        // message_delta's report is heard as it merges, before the same event's stop_reason finishes the message.
        assertEquals(List.of(Usage.Source.PROVISIONAL, Usage.Source.PROVISIONAL), sources.seen);
        assertEquals(Usage.Source.REPORTED, sources.atFinish);
        final Usage u = agg.result().usage();
        assertEquals(Usage.Source.REPORTED, u.source());
        assertEquals(20, u.inputTokens());
        assertEquals(20, u.outputTokens());
        assertEquals(4, u.cachedTokens());
        assertEquals(6, u.cacheWriteTokens());
        assertEquals(2, u.cacheWrite5mTokens());
        assertEquals(4, u.cacheWrite1hTokens());
        assertEquals(StopReason.COMPLETE, agg.result().verdict().reason());
        final String normalized = agg.result().toNormalizedJson();
        assertTrue(normalized.contains("\"cache_write_tokens\":6,\"cache_write_5m_tokens\":2,\"cache_write_1h_tokens\":4"), normalized);
    }

    @Test
    void anthropicCutAfterMessageStartKeepsThePlaceholderProvisional()
    {
        final Aggregate a = fold(Format.ANTHROPIC, ANTHROPIC_START +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        assertEquals(Usage.Source.PROVISIONAL, a.usage().source());
        assertEquals(1, a.usage().outputTokens());
        assertEquals(StopReason.TRUNCATED, a.verdict().reason());
        assertEquals(Verdict.Truncation.CHOICE_UNFINISHED, a.verdict().truncation());
    }

    @Test
    void vllmRunningUsageIsProvisionalUntilTheFinish()
    {
        final Sources sources = new Sources();
        final StreamAggregator agg = run(Format.OPENAI_CHAT, sources, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}",
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}",
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}",
            "[DONE]"), true);
        // The finishing chunk names its choice before its usage: that report is final as it merges.
        assertEquals(List.of(Usage.Source.PROVISIONAL, Usage.Source.PROVISIONAL, Usage.Source.REPORTED), sources.seen);
        assertEquals(3, agg.result().usage().outputTokens());
        assertEquals(StopReason.LENGTH, agg.result().verdict().reason());
        assertEquals("length", agg.result().verdict().providerReason().toString());
    }

    @Test
    void noUsageGivesAnEstimateFromTokenIdsOrText()
    {
        final Aggregate ids = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"},\"token_ids\":[7,8,9]}]}",
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]"));
        if (ids.choice(0).tokenIdCount() > 0)
        {
            assertEquals(Usage.Source.ESTIMATED, ids.usage().source());
            assertEquals("token_ids", ids.usage().estimateMethod());
            assertEquals(ids.choice(0).tokenIdCount(), ids.usage().outputTokens());
        }
        final Aggregate chars = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"local-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"123456789\"}}]}",
            "{\"id\":\"c\",\"model\":\"local-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]"));
        assertEquals(Usage.Source.ESTIMATED, chars.usage().source());
        assertEquals("chars/4", chars.usage().estimateMethod());
        assertEquals(3, chars.usage().outputTokens());
        assertEquals(-1, chars.usage().inputTokens());
        final Aggregate gpt = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello world\"}}]}",
            "{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]"));
        assertEquals("jtokkit:o200k_base", gpt.usage().estimateMethod());
        assertEquals(2, gpt.usage().outputTokens());
        // A lone surrogate is legal in a JSON string and kept in the text; cl100k's tokenizer wants UTF-16 that
        // encodes (under -ea it threw an AssertionError out of end()): counted as the replacement character.
        final Aggregate lone = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \\ud83d world\\ude00\"}}]}",
            "{\"id\":\"c\",\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]"));
        final Aggregate replaced = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello \\ufffd world\\ufffd\"}}]}",
            "{\"id\":\"c\",\"model\":\"gpt-4\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]"));
        assertEquals("Hello \ud83d world\ude00", lone.choice(0).joined(Part.Kind.TEXT));
        assertEquals("jtokkit:cl100k_base", lone.usage().estimateMethod());
        assertEquals(replaced.usage().outputTokens(), lone.usage().outputTokens());
    }

    @Test
    void inProgressUsageIsMissingNotZero()
    {
        final StreamAggregator agg = run(Format.OPENAI_CHAT, StreamListener.NONE, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}"), false);
        assertEquals(Usage.Source.MISSING, agg.result().usage().source());
        assertEquals(-1, agg.result().usage().outputTokens());
        assertNull(agg.result().usage().estimateMethod());
        assertEquals(StopReason.IN_PROGRESS, agg.result().verdict().reason());
    }

    @Test
    void truncationSaysHow()
    {
        final String chunk = "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}";
        final String finish = "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
        final Aggregate midEvent = fold(Format.OPENAI_CHAT, ChatFeeding.sse(chunk) + "data: {\"id\":\"c\",\"cho");
        assertEquals(Verdict.Truncation.MID_EVENT, midEvent.verdict().truncation());
        final Aggregate unfinished = fold(Format.OPENAI_CHAT, ChatFeeding.sse(chunk));
        assertEquals(Verdict.Truncation.CHOICE_UNFINISHED, unfinished.verdict().truncation());
        // OpenAI chat is whole once every choice finished, [DONE] or not; Anthropic needs its message_stop.
        final Aggregate noDone = fold(Format.OPENAI_CHAT, ChatFeeding.sse(chunk, finish));
        assertEquals(StopReason.COMPLETE, noDone.verdict().reason());
        assertFalse(noDone.terminalEventSeen());
        final Aggregate noStop = fold(Format.ANTHROPIC, ANTHROPIC_START +
            event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}"));
        assertEquals(StopReason.TRUNCATED, noStop.verdict().reason(), noStop.toNormalizedJson());
        assertEquals(Verdict.Truncation.TERMINAL_EVENT_MISSING, noStop.verdict().truncation());
        assertEquals(Usage.Source.REPORTED, noStop.usage().source());
    }

    @Test
    void limitExceededNamesTheLimit()
    {
        final StreamAggregator agg = StreamAggregator.builder().format(Format.OPENAI_CHAT)
            .limits(AggregationLimits.builder().maxTextChars(3).build()).build();
        final byte[] bytes = ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcdef\"}}]}",
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]")
            .getBytes(StandardCharsets.UTF_8);
        agg.feed(bytes, 0, bytes.length);
        agg.end();
        assertEquals(StopReason.LIMIT_EXCEEDED, agg.result().verdict().reason());
        assertTrue(agg.result().verdict().detail().contains("3 characters"), agg.result().verdict().detail());
        final Part text = agg.result().choice(0).parts().get(0);
        assertFalse(text.isComplete());
    }

    @Test
    void aWholeStreamWithToolCallsButNoFinishReasonWaitsForTheClient()
    {
        // Some OpenAI-compatible servers (OpenRouter relaying Kimi, among others) end with [DONE] and never say why.
        final String call = "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0," +
            "\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}";
        final Aggregate calls = fold(Format.OPENAI_CHAT, ChatFeeding.sse(call, "[DONE]"));
        assertEquals(StopReason.TOOL_CALLS, calls.verdict().reason());
        assertEquals("", calls.verdict().providerReason().toString());
        assertEquals("no finish reason before the terminal event", calls.verdict().detail());
        assertEquals(StopReason.IN_PROGRESS, calls.choice(0).stopReason(), "the choice itself never finished");
        final Aggregate text = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}", "[DONE]"));
        assertEquals(StopReason.COMPLETE, text.verdict().reason());
        assertEquals("no finish reason before the terminal event", text.verdict().detail());
        // Cut before [DONE], the same call is a truncated stream, not a request to the client.
        assertEquals(StopReason.TRUNCATED, fold(Format.OPENAI_CHAT, ChatFeeding.sse(call)).verdict().reason());
    }

    @Test
    void openAiToolCallWithBrokenArgumentsIsIncompleteAndKeepsItsText()
    {
        final Aggregate a = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\"," +
                "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]}}]}",
            "{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}", "[DONE]"));
        final Part call = a.choice(0).toolCalls().get(0);
        assertFalse(call.isComplete());
        assertEquals("{\"a\":", call.text().toString());
        assertTrue(a.toNormalizedJson().contains("\"arguments\":\"{\\\"a\\\":\",\"complete\":false"), a.toNormalizedJson());
        assertEquals(StopReason.TOOL_CALLS, a.verdict().reason());
    }

    @Test
    void bedrockMetadataAfterMessageStopIsTheFinalReportAndABrokenInputIsIncomplete()
    {
        final byte[] head = EventStreamEncoder.concat(
            EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
            EventStreamEncoder.event("contentBlockStart",
                "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"t\",\"name\":\"f\"}}}"),
            EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"a\\\": [1\"}}}"),
            EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
            EventStreamEncoder.event("messageStop", "{\"stopReason\":\"max_tokens\"}"));
        final Aggregate reported = fold(Format.BEDROCK, EventStreamEncoder.concat(head, EventStreamEncoder.event("metadata",
            "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4,\"totalTokens\":7},\"metrics\":{\"latencyMs\":5}}")));
        assertEquals(Usage.Source.REPORTED, reported.usage().source());
        assertEquals(StopReason.LENGTH, reported.verdict().reason());
        final Part call = reported.choice(0).toolCalls().get(0);
        assertFalse(call.isComplete());
        assertEquals("{\"a\": [1", call.text().toString());
        assertTrue(reported.toJson().contains("\"input\":\"{\\\"a\\\": [1\""), reported.toJson());
        final Aggregate estimated = fold(Format.BEDROCK, head);
        assertEquals(Usage.Source.ESTIMATED, estimated.usage().source());
        assertEquals("chars/4", estimated.usage().estimateMethod());
    }
}
