package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.util.List;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.ChatFeeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.JsonTree;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.ChatFeeding.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listener events as they happen, snapshots mid-stream, error values in lenient and strict mode, limits. */
class ChatListenerTest
{
    private static final String DONE = "data: [DONE]\n\n";

    private static final String STREAM = sse(
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"think\"},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\",\"token_id\":7},\"logprobs\":{\"content\":[{\"token\":\"Hel\",\"logprob\":-0.25,\"bytes\":[72,101,108],\"top_logprobs\":[]}]},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\":\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"id\":\"chatcmpl-9\",\"model\":\"gpt-x\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}") + DONE;

    @Test
    void eventsInOrder()
    {
        final RecordingListener events = new RecordingListener();
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, events, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(STREAM));
        assertEquals(List.of(
            "start chatcmpl-9 gpt-x",
            "reasoning 0 think",
            "text 0 Hel",
            "token 0 7",
            "logprob 0 content Hel -0.25",
            "text 0 lo",
            "tool 0 0 call_a f",
            "args 0 0 {\"x\":",
            "args 0 0 1}",
            "toolEnd 0 0 {\"x\":1}",
            "tool 0 1 call_b g",
            "args 0 1 {}",
            "toolEnd 0 1 {}",
            "finish 0 tool_calls",
            "usage 3/4/7",
            "end COMPLETE"), events.events);
    }

    @Test
    void sameEventsByteByByte()
    {
        final RecordingListener whole = new RecordingListener();
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, whole, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(STREAM));
        final RecordingListener bytes = new RecordingListener();
        final StreamAggregator b = ChatFeeding.aggregator(Format.OPENAI_CHAT, bytes, false);
        ChatFeeding.feedByteByByte(b, ChatFeeding.utf8(STREAM));
        assertEquals(whole.events, bytes.events);
    }

    @Test
    void deltasAreViewsNotStrings()
    {
        final boolean[] sawView = new boolean[1];
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, new StreamListener()
        {
            @Override
            public void onTextDelta(final int choice, final CharSequence text)
            {
                sawView[0] |= !(text instanceof String);
            }
        }, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(STREAM));
        assertTrue(sawView[0]);
    }

    @Test
    void snapshotMidStream()
    {
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
        final byte[] bytes = ChatFeeding.utf8(STREAM);
        final int cut = STREAM.indexOf("data: ", STREAM.indexOf("\"lo\"")); // after the "lo" event
        ChatFeeding.feedSlice(a, bytes, 0, cut + 10);
        final Aggregate mid = a.snapshot();
        assertFalse(a.isDone());
        assertEquals(Outcome.IN_PROGRESS, mid.outcome());
        assertEquals("Hello", mid.choice(0).joined(Part.Kind.TEXT));
        assertEquals("think", mid.choice(0).joined(Part.Kind.REASONING));
        assertFalse(mid.choice(0).isFinished());
        assertEquals("Hello", JsonTree.at(JsonTree.parse(mid.toJson()), "choices", 0, "message", "content"));
        assertNull(JsonTree.at(JsonTree.parse(mid.toJson()), "choices", 0, "finish_reason"));
        ChatFeeding.feedSlice(a, bytes, cut + 10, bytes.length - cut - 10);
        assertTrue(a.isDone());
        assertEquals(2, a.result().choice(0).toolCalls().size());
        // The snapshot is a copy: the rest of the stream and a reset leave it as it was.
        assertEquals(Outcome.IN_PROGRESS, mid.outcome());
        assertEquals("Hello", mid.choice(0).joined(Part.Kind.TEXT));
        assertEquals(0, mid.choice(0).toolCalls().size());
        a.reset();
        assertEquals("Hello", mid.choice(0).joined(Part.Kind.TEXT));
        assertEquals("Hello", JsonTree.at(JsonTree.parse(mid.toJson()), "choices", 0, "message", "content"));
    }

    // ---------------------------------------------------------------------------------------------
    // Errors

    private static final String GOOD_1 = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":null}]}";
    private static final String BAD = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"BAD\"";
    private static final String GOOD_2 = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"},\"finish_reason\":\"stop\"}]}";

    @Test
    void lenientReportsAMalformedEventAndSkipsIt()
    {
        final String stream = sse(GOOD_1, BAD, GOOD_2) + DONE;
        final RecordingListener events = new RecordingListener();
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, events, false);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(stream));
        final Aggregate r = a.result();
        assertEquals(1, r.errors().size());
        final StreamError e = r.errors().get(0);
        assertEquals(ErrorKind.MALFORMED_JSON, e.kind());
        assertEquals(1, e.eventNumber());
        assertEquals(stream.indexOf("data: " + BAD), e.byteOffset());
        assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.message());
        assertEquals("AB", r.choice(0).joined(Part.Kind.TEXT), "nothing of the malformed event is folded");
        assertEquals(Outcome.COMPLETE, r.outcome());
        assertTrue(events.events.contains("error MALFORMED_JSON 1"));
    }

    @Test
    void strictEndsAtAMalformedEventKeepingWhatCameBefore()
    {
        final String stream = sse(GOOD_1, BAD, GOOD_2) + DONE;
        final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, true);
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(stream));
        assertTrue(a.isDone());
        final Aggregate r = a.result();
        assertEquals(Outcome.ERROR, r.outcome());
        assertEquals(1, r.errors().size());
        assertEquals(ErrorKind.MALFORMED_JSON, r.errors().get(0).kind());
        assertEquals(1, r.errors().get(0).eventNumber());
        assertEquals("A", r.choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void notJsonAtAllIsMalformed()
    {
        for (final String payload : new String[] {"hello", "[1,2]", "{\"choices\":[1]}", "{} {}", "{\"choices\":[{\"index\":\"x\"}]}"})
        {
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            ChatFeeding.feedWhole(a, ChatFeeding.utf8(sse(GOOD_1, payload, GOOD_2) + DONE));
            for (final StreamError e : a.result().errors())
            {
                assertFalse(e.message().startsWith(InternalErrors.PREFIX), payload + ": " + e);
            }
            assertEquals("AB", a.result().choice(0).joined(Part.Kind.TEXT), payload);
            assertEquals(Outcome.COMPLETE, a.result().outcome(), payload);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Limits

    @Test
    void absurdChoiceIndexAllocatesNothingAndIsALimitError()
    {
        for (final String index : new String[] {"2147483647", "9223372036854775807"})
        {
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            ChatFeeding.feedWhole(a, ChatFeeding.utf8(sse(
                GOOD_1,
                "{\"id\":\"c\",\"choices\":[{\"index\":" + index + ",\"delta\":{\"content\":\"X\"},\"finish_reason\":null}]}",
                GOOD_2) + DONE));
            final Aggregate r = a.result();
            assertEquals(1, r.errors().size(), index);
            assertEquals(ErrorKind.LIMIT_EXCEEDED, r.errors().get(0).kind());
            assertEquals(1, r.choices().size(), "no choice for the absurd index");
            assertEquals("AB", r.choice(0).joined(Part.Kind.TEXT));
        }
    }

    @Test
    void absurdToolCallIndexIsALimitError()
    {
        for (final String index : new String[] {"2147483647", "9223372036854775807"})
        {
            final StreamAggregator a = ChatFeeding.aggregator(Format.OPENAI_CHAT, StreamListener.NONE, false);
            ChatFeeding.feedWhole(a, ChatFeeding.utf8(sse(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + index +
                    ",\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}",
                GOOD_2) + DONE));
            final Aggregate r = a.result();
            assertEquals(1, r.errors().size(), index);
            assertEquals(ErrorKind.LIMIT_EXCEEDED, r.errors().get(0).kind());
            assertEquals(0, r.choice(0).toolCalls().size());
            assertEquals("B", r.choice(0).joined(Part.Kind.TEXT));
            assertEquals(Outcome.COMPLETE, r.outcome());
        }
    }

    @Test
    void argumentsOverTheLimitAreCutOnceAndTheRestOfTheStreamKept()
    {
        final AggregationLimits limits = AggregationLimits.builder().maxArgumentChars(16).build();
        final RecordingListener events = new RecordingListener();
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).limits(limits).listener(events).build();
        ChatFeeding.feedWhole(a, ChatFeeding.utf8(sse(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\\\"\"}}]}}]}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"0123456789abcdef\"}}]}}]}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"}\"}}]}}]}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"y\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}}]}",
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"after\"},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"total_tokens\":9}}") + DONE));
        final Aggregate r = a.result();
        assertEquals(1, r.errors().size(), () -> "one error for the one oversized call: " + r.errors());
        assertEquals(ErrorKind.LIMIT_EXCEEDED, r.errors().get(0).kind());
        final List<Part> calls = r.choice(0).toolCalls();
        assertEquals(2, calls.size());
        assertTrue(calls.get(0).text().length() <= 16);
        assertTrue("{\"a\":\"0123456789abcdef\"}".startsWith(calls.get(0).text().toString()),
            "the kept arguments are a prefix, never with a hole: " + calls.get(0).text());
        assertEquals("{}", calls.get(1).text().toString());
        assertEquals("after", r.choice(0).joined(Part.Kind.TEXT));
        assertEquals(9, r.usage().totalTokens());
        assertEquals(Outcome.COMPLETE, r.outcome());
    }
}
