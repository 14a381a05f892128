package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 class 5: text, reasoning or arguments for a block or choice that already stopped or finished is a
 * LATE_DATA error and is not folded, in every dialect whose finish is final; a usage-only chunk after the
 * finish is still fine.
 */
class LateDataTest
{
    private static Aggregate fold(final Format format, final byte[] bytes)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a.result();
    }

    private static Aggregate fold(final Format format, final String stream)
    {
        return fold(format, stream.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertOneLateDataError(final Aggregate r, final String mention)
    {
        assertEquals(1, r.errors().size(), r.errors().toString());
        final StreamError e = r.errors().get(0);
        assertEquals(ErrorKind.LATE_DATA, e.kind(), e.toString());
        assertTrue(e.message().contains(mention), e.message());
    }

    private static String chat(final String choice)
    {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[" + choice + "]}\n\n";
    }

    @Test
    void chatTextAndArgumentsAfterFinishReason()
    {
        final String head = chat("{\"index\":0,\"delta\":{\"content\":\"Hi\",\"tool_calls\":[{\"index\":0,\"id\":\"t\"," +
            "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}") +
            chat("{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}");
        for (final String late : new String[] {
            chat("{\"index\":0,\"delta\":{\"content\":\" there\"}}"),
            chat("{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}"),
            chat("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"x\"}}]}}") })
        {
            // Twice: the second copy also passes the chunk-template fast path.
            final Aggregate r = fold(Format.OPENAI_CHAT, head + late + late + "data: [DONE]\n\n");
            assertEquals(2, r.errors().size(), r.errors().toString());
            for (final StreamError e : r.errors())
            {
                assertEquals(ErrorKind.LATE_DATA, e.kind(), e.toString());
                assertTrue(e.message().contains("after it finished"), e.message());
            }
            final Choice c = r.choice(0);
            assertEquals("Hi", c.joined(Part.Kind.TEXT));
            assertTrue(!c.has(Part.Kind.REASONING));
            assertEquals(Outcome.COMPLETE, r.outcome());
            assertTrue(r.toJson().contains("\"arguments\":\"{}\""), r.toJson());
        }
    }

    @Test
    void chatUsageChunkAfterFinishIsFine()
    {
        final Aggregate r = fold(Format.OPENAI_CHAT, chat("{\"index\":0,\"delta\":{\"content\":\"Hi\"}}") +
            chat("{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}") +
            chat("{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}") +
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":1," +
            "\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n");
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals(2L, r.usage().totalTokens());
    }

    @Test
    void anthropicDeltaAfterContentBlockStop()
    {
        final String sse =
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"c\"}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" sneaky\"}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        final Aggregate r = fold(Format.ANTHROPIC, sse);
        assertOneLateDataError(r, "after that part stopped");
        assertEquals("Hi", r.choice(0).joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, r.outcome());
    }

    @Test
    void bedrockDeltaAfterMessageStop()
    {
        final byte[] bytes = EventStreamEncoder.concat(BedrockDialectTest.MESSAGE_START, BedrockDialectTest.text(0, "Hi"),
            BedrockDialectTest.messageStop("end_turn"), BedrockDialectTest.text(0, " sneaky"), BedrockDialectTest.METADATA);
        final Aggregate r = fold(Format.BEDROCK, bytes);
        assertOneLateDataError(r, "choice 0");
        assertEquals("Hi", r.choice(0).joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, r.outcome());
    }

    @Test
    void responsesDeltaForAnOutputIndexNeverOpened()
    {
        final String sse =
            "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}\n\n" +
            "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n" +
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"m1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n" +
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"zz\",\"output_index\":7,\"content_index\":0,\"delta\":\" sneaky\"}\n\n" +
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"object\":\"response\",\"status\":\"completed\"}}\n\n";
        final Aggregate r = fold(Format.OPENAI_RESPONSES, sse);
        assertOneLateDataError(r, "output_index 7");
        assertEquals("Hi", r.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void geminiRepeatsItsFinishReasonWhileTextGrows()
    {
        final String sse =
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]},\"finishReason\":\"STOP\"}]}\n\n" +
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"lo\"}]},\"finishReason\":\"STOP\"}]}\n\n";
        final Aggregate r = fold(Format.GEMINI, sse);
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals("Hello", r.choice(0).joined(Part.Kind.TEXT));
    }
}
