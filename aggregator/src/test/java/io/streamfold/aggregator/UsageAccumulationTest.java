package io.streamfold.aggregator;

import java.util.List;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.HostileInput.event;
import static io.streamfold.aggregator.HostileInput.fold;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, provider semantics: each dialect's declared usage rule (merge fields, replace whole, split across
 * start and end events) and the cross-check of the provider's total, which is reported when it does not add up.
 */
class UsageAccumulationTest
{
    @Test
    void geminiReplacesTheWholeSnapshotSoAnOmittedZeroCountDoesNotGoStale()
    {
        // The second snapshot leaves candidatesTokenCount out (it is zero again after a retraction); merging
        // field by field kept the 3, and 5 + 3 no longer matched the reported total of 5.
        final Aggregate a = fold(Format.GEMINI, ChatFeeding.sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}],\"role\":\"model\"},\"index\":0}]," +
                "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":8}}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," +
                "\"usageMetadata\":{\"promptTokenCount\":5,\"thoughtsTokenCount\":2,\"totalTokenCount\":7}}"));
        noErrors(a);
        assertEquals(5, a.usage().inputTokens());
        // The thoughts alone, billed as output: the omitted candidates count is zero now, not the 3 of before.
        assertEquals(2, a.usage().outputTokens());
        assertEquals(2, a.usage().reasoningTokens());
        assertEquals(7, a.usage().totalTokens());
        assertNull(a.usage().fields().get("candidatesTokenCount"));
    }

    @Test
    void geminiBilledInputAndOutputAddTheToolUsePromptAndTheThoughts()
    {
        // A grounded answer of a thinking model: the search results' prompt is billed as input, the thoughts as output;
        // the four add up to the total, as the normalized input and output then do.
        final Aggregate a = fold(Format.GEMINI, ChatFeeding.sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," +
                "\"usageMetadata\":{\"promptTokenCount\":106,\"candidatesTokenCount\":918,\"totalTokenCount\":40937," +
                "\"cachedContentTokenCount\":50,\"toolUsePromptTokenCount\":37441,\"thoughtsTokenCount\":2472}}"));
        noErrors(a);
        assertEquals(106 + 37441, a.usage().inputTokens());
        assertEquals(918 + 2472, a.usage().outputTokens());
        assertEquals(2472, a.usage().reasoningTokens());
        assertEquals(50, a.usage().cachedTokens());
        assertEquals(a.usage().inputTokens() + a.usage().outputTokens(), a.usage().totalTokens());
    }

    @Test
    void partsThatAddUpPastALongAreNoCount()
    {
        // Anthropic's input is three parts; hostile counts whose sum wraps must not come out as a negative count.
        final long big = Long.MAX_VALUE / 2 + 1;
        final Aggregate a = fold(Format.ANTHROPIC, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\"," +
            "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"usage\":{\"input_tokens\":" + big +
            ",\"cache_read_input_tokens\":" + big + ",\"output_tokens\":1}}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertEquals(-1, a.usage().inputTokens());
        assertEquals(2, a.usage().outputTokens());
        assertEquals(-1, a.usage().totalTokens());
    }

    @Test
    void geminiTotalThatDoesNotAddUpIsReported()
    {
        final Aggregate a = fold(Format.GEMINI, ChatFeeding.sse(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," +
                "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":9}}"));
        assertMismatch(a, "usage totalTokenCount 9 is not promptTokenCount 5 + candidatesTokenCount 3 = 8");
        assertEquals(9, a.usage().totalTokens(), "the provider's numbers are kept");
    }

    @Test
    void openAiChatMergesFieldsAcrossChunks()
    {
        final Aggregate a = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            chat("{\"role\":\"assistant\",\"content\":\"a\"},\"finish_reason\":\"stop\"}]", ",\"usage\":{\"prompt_tokens\":5}"),
            chat("", ",\"usage\":{\"completion_tokens\":2,\"total_tokens\":7}")) + "data: [DONE]\n\n");
        noErrors(a);
        assertEquals(5, a.usage().inputTokens());
        assertEquals(2, a.usage().outputTokens());
        assertEquals(7, a.usage().totalTokens());
    }

    @Test
    void reasoningCountedBesideTheCompletionIsOutputWhenTheTotalSaysSo()
    {
        // xAI's chat usage (the corpus's grok-3-mini recording): total = prompt + completion + reasoning, and its
        // cost_in_usd_ticks bills 26 + 196 output tokens. OpenAI's completion count already holds its reasoning.
        final String xai = ",\"usage\":{\"prompt_tokens\":291,\"completion_tokens\":26,\"total_tokens\":513," +
            "\"completion_tokens_details\":{\"reasoning_tokens\":196}}";
        final Aggregate a = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            chat("{\"role\":\"assistant\",\"content\":\"a\"},\"finish_reason\":\"stop\"}]", xai)) + "data: [DONE]\n\n");
        noErrors(a);
        assertEquals(222, a.usage().outputTokens());
        assertEquals(196, a.usage().reasoningTokens());
        assertEquals(513, a.usage().totalTokens());
        assertEquals(a.usage().totalTokens(), a.usage().inputTokens() + a.usage().outputTokens(), "input + output = total again");
        final String openai = ",\"usage\":{\"prompt_tokens\":291,\"completion_tokens\":222,\"total_tokens\":513," +
            "\"completion_tokens_details\":{\"reasoning_tokens\":196}}";
        final Aggregate b = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            chat("{\"role\":\"assistant\",\"content\":\"a\"},\"finish_reason\":\"stop\"}]", openai)) + "data: [DONE]\n\n");
        noErrors(b);
        assertEquals(222, b.usage().outputTokens(), "inside the completion count: not added twice");
        // A total that adds up neither way says nothing about where reasoning is: the completion count as sent.
        final String neither = ",\"usage\":{\"prompt_tokens\":291,\"completion_tokens\":26,\"total_tokens\":600," +
            "\"completion_tokens_details\":{\"reasoning_tokens\":196}}";
        final Aggregate c = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            chat("{\"role\":\"assistant\",\"content\":\"a\"},\"finish_reason\":\"stop\"}]", neither)) + "data: [DONE]\n\n");
        assertEquals(26, c.usage().outputTokens());
        assertEquals(ErrorKind.INCONSISTENT_USAGE, c.errors().get(0).kind());
    }

    @Test
    void openAiChatTotalThatDoesNotAddUpIsReported()
    {
        final Aggregate a = fold(Format.OPENAI_CHAT, ChatFeeding.sse(
            chat("{\"role\":\"assistant\",\"content\":\"a\"},\"finish_reason\":\"stop\"}]", ""),
            chat("", ",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":70}")) + "data: [DONE]\n\n");
        assertMismatch(a, "usage total_tokens 70 is not prompt_tokens 5 + completion_tokens 2 = 7");
    }

    @Test
    void anthropicSplitsUsageAcrossStartAndDelta()
    {
        final Aggregate a = fold(Format.ANTHROPIC,
            event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":[]," +
                "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":4,\"output_tokens\":1}}}") +
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") +
            event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}") +
            event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
            event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":20}}") +
            event("message_stop", "{\"type\":\"message_stop\"}"));
        noErrors(a);
        assertEquals(14, a.usage().inputTokens());
        assertEquals(4, a.usage().cachedTokens());
        assertEquals(20, a.usage().outputTokens());
    }

    @Test
    void bedrockMetadataReplacesWholeAndIsCrossChecked()
    {
        final byte[] head = EventStreamEncoder.concat(
            EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"),
            EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\"}}"),
            EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
            EventStreamEncoder.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
        final Aggregate good = fold(Format.BEDROCK, EventStreamEncoder.concat(head, EventStreamEncoder.event("metadata",
            "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4,\"cacheReadInputTokens\":2,\"totalTokens\":9},\"metrics\":{\"latencyMs\":5}}")));
        noErrors(good);
        assertEquals(9, good.usage().totalTokens());
        final Aggregate bad = fold(Format.BEDROCK, EventStreamEncoder.concat(head, EventStreamEncoder.event("metadata",
            "{\"usage\":{\"inputTokens\":3,\"outputTokens\":4,\"totalTokens\":8},\"metrics\":{\"latencyMs\":5}}")));
        assertMismatch(bad, "usage totalTokens 8 is not inputTokens 3 + outputTokens 4 = 7");
    }

    @Test
    void responsesFinalUsageIsCrossChecked()
    {
        final String head =
            event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}") +
            event("response.output_item.added", "{\"type\":\"response.output_item.added\",\"output_index\":0," +
                "\"item\":{\"type\":\"message\",\"id\":\"m\",\"role\":\"assistant\",\"content\":[]}}") +
            event("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"a\"}");
        final Aggregate good = fold(Format.OPENAI_RESPONSES, head + event("response.completed",
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"," +
                "\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}}"));
        noErrors(good);
        assertEquals(7, good.usage().totalTokens());
        final Aggregate bad = fold(Format.OPENAI_RESPONSES, head + event("response.completed",
            "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"," +
                "\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":6}}}"));
        assertMismatch(bad, "usage total_tokens 6 is not input_tokens 3 + output_tokens 4 = 7");
    }

    @Test
    void ollamaTakesTheFinalLinesCounts()
    {
        final Aggregate a = fold(Format.OLLAMA,
            "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}\n" +
            "{\"model\":\"m\",\"created_at\":\"t\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"," +
                "\"prompt_eval_count\":3,\"eval_count\":4}\n");
        noErrors(a);
        assertEquals(3, a.usage().inputTokens());
        assertEquals(4, a.usage().outputTokens());
    }

    private static void noErrors(final Aggregate a)
    {
        assertEquals(List.of(), a.errors());
        assertEquals(Outcome.COMPLETE, a.outcome());
    }

    private static void assertMismatch(final Aggregate a, final String message)
    {
        final List<StreamError> errors = a.errors();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(ErrorKind.INCONSISTENT_USAGE, errors.get(0).kind());
        assertEquals(message, errors.get(0).message());
        assertTrue(a.usage().isPresent());
    }

    /** A chat chunk: {@code choice} completes {@code {"index":0,"delta":}…, or is empty for no choices. */
    private static String chat(final String choice, final String tail)
    {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[" +
            (choice.isEmpty() ? "]" : "{\"index\":0,\"delta\":" + choice) + tail + "}";
    }
}
