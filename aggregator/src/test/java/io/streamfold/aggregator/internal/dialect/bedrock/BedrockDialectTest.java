package io.streamfold.aggregator.internal.dialect.bedrock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AggregatorInternals;
import io.streamfold.aggregator.AllocationCounter;
import io.streamfold.aggregator.Feeding;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.dialect.FormatDetector;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;
import io.streamfold.testkit.JsonTree;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.streamfold.testkit.EventStreamEncoder.concat;
import static io.streamfold.testkit.EventStreamEncoder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bedrock ConverseStream folding on hand-built streams: every stream here is built byte-exact by
 * {@link EventStreamEncoder}, with payloads shaped as the ConverseStream API reference documents them (including
 * the {@code p} padding field Bedrock adds over HTTP), to reach cases the real recordings in
 * {@link BedrockRecordingTest} do not hold (reasoning, cut streams, errors, late data).
 */
public class BedrockDialectTest
{
    public static final byte[] MESSAGE_START = event("messageStart", "{\"p\":\"abcdefgh\",\"role\":\"assistant\"}");

    public static byte[] text(final int index, final String text)
    {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + index + ",\"delta\":{\"text\":" +
            JsonTree.quote(text) + "},\"p\":\"abcd\"}");
    }

    static byte[] stop(final int index)
    {
        return event("contentBlockStop", "{\"contentBlockIndex\":" + index + ",\"p\":\"ab\"}");
    }

    public static byte[] messageStop(final String reason)
    {
        return event("messageStop", "{\"p\":\"abc\",\"stopReason\":\"" + reason + "\"}");
    }

    public static final byte[] METADATA = event("metadata",
        "{\"usage\":{\"inputTokens\":12,\"outputTokens\":7,\"totalTokens\":25,\"cacheReadInputTokens\":4," +
        "\"cacheWriteInputTokens\":2},\"metrics\":{\"latencyMs\":321},\"p\":\"abcdefghijk\"}");

    static final byte[] HELLO = concat(MESSAGE_START, text(0, "Hel"), text(0, "lo, "), text(0, "world"), stop(0),
        messageStop("end_turn"), METADATA);

    /** Runs {@code bytes} through a Bedrock aggregator in one feed. */
    static Run run(final byte[] bytes)
    {
        return run(bytes, new int[]{bytes.length}, false);
    }

    /** Feeds {@code bytes} in slices of the given sizes (the last slice takes the rest), then ends. */
    static Run run(final byte[] bytes, final int[] slices, final boolean strict)
    {
        final Run r = new Run(Format.BEDROCK, strict);
        Feeding.feedAll(r.aggregator, bytes, Feeding.sizes(slices), Feeding.Via.SCRIBBLED);
        r.aggregator.end();
        return r;
    }

    static final class Run
    {
        final RecordingListener recorder = new RecordingListener();
        final StreamAggregator aggregator;

        Run(final Format format, final boolean strict)
        {
            aggregator = StreamAggregator.builder().format(format).listener(recorder).strict(strict).build();
        }

        Aggregate result()
        {
            return aggregator.result();
        }

        Choice choice()
        {
            return aggregator.result().choice(0);
        }

        List<ErrorKind> errorKinds()
        {
            return result().errors().stream().map(StreamError::kind).collect(Collectors.toList());
        }

        /** Everything observable, for comparing runs. */
        String everything()
        {
            return result().outcome() + "\n" + result().toJson() + "\n" + result().toNormalizedJson() + "\n" +
                String.join("\n", recorder.events);
        }
    }

    @Test
    void foldsTextAndUsageIntoTheConverseResponse()
    {
        final Run r = run(HELLO);
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        assertEquals(List.of(), r.result().errors());
        assertEquals("Hello, world", r.choice().joined(Part.Kind.TEXT));
        assertEquals(1, r.choice().parts().size());
        assertEquals(0, r.choice().parts().get(0).wireIndex());
        assertEquals("end_turn", r.choice().finishReason().toString());
        assertEquals("assistant", r.choice().role().toString());
        // inputTokens leaves the cache out; the normalized input adds its reads and writes (4 + 2).
        assertEquals(18, r.result().usage().inputTokens());
        assertEquals(7, r.result().usage().outputTokens());
        assertEquals(25, r.result().usage().totalTokens());
        assertEquals(4, r.result().usage().cachedTokens());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hello, world\"}]}}," +
            "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":7,\"totalTokens\":25," +
            "\"cacheReadInputTokens\":4,\"cacheWriteInputTokens\":2},\"metrics\":{\"latencyMs\":321}}", r.result().toJson());
        assertEquals(List.of("start  ", "text 0 Hel", "text 0 lo, ", "text 0 world", "finish 0 end_turn",
            "usage 18/7/25", "end COMPLETE"), r.recorder.events);
        final String normalized = r.result().toNormalizedJson();
        assertTrue(normalized.contains("\"format\":\"bedrock\""), normalized);
        assertTrue(normalized.contains("\"finish_reason\":\"stop\",\"provider_finish_reason\":\"end_turn\""), normalized);
        assertTrue(normalized.contains("\"input_tokens\":18,\"output_tokens\":7,\"total_tokens\":25,\"cached_tokens\":4,\"cache_write_tokens\":2"), normalized);
    }

    public static final byte[] TOOL_USE = concat(MESSAGE_START, text(0, "Let me check."), stop(0),
        event("contentBlockStart", "{\"contentBlockIndex\":1,\"p\":\"a\",\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_abc\",\"name\":\"get_weather\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\": \\\"Par\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"is\\\", \\\"days\\\"\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\": [1, 2]}\"}}}"),
        stop(1), messageStop("tool_use"), METADATA);

    @Test
    void joinsToolUseInputFragmentsAndWritesTheInputParsed()
    {
        final Run r = run(TOOL_USE);
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        assertEquals(List.of(), r.result().errors());
        final List<Part> calls = r.choice().toolCalls();
        assertEquals(1, calls.size());
        final Part call = calls.get(0);
        assertEquals("tooluse_abc", call.id().toString());
        assertEquals("get_weather", call.name().toString());
        assertEquals("{\"city\": \"Paris\", \"days\": [1, 2]}", call.text().toString());
        assertEquals(1, call.wireIndex());
        assertTrue(call.isEnded());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me check.\"}," +
            "{\"toolUse\":{\"toolUseId\":\"tooluse_abc\",\"name\":\"get_weather\",\"input\":{\"city\": \"Paris\", \"days\": [1, 2]}}}]}}," +
            "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":12,\"outputTokens\":7,\"totalTokens\":25," +
            "\"cacheReadInputTokens\":4,\"cacheWriteInputTokens\":2},\"metrics\":{\"latencyMs\":321}}", r.result().toJson());
        final List<String> toolEvents = r.recorder.events.stream()
            .filter(e -> e.startsWith("tool") || e.startsWith("args")).collect(Collectors.toList());
        assertEquals(List.of("tool 0 0 tooluse_abc get_weather", "args 0 0 {\"city\": \"Par",
            "args 0 0 is\", \"days\"", "args 0 0 : [1, 2]}", "toolEnd 0 0 {\"city\": \"Paris\", \"days\": [1, 2]}"), toolEvents);
        assertTrue(r.result().toNormalizedJson().contains("\"finish_reason\":\"tool_calls\""));
    }

    @Test
    void toolUseWithoutInputIsAnEmptyObjectAndACutInputStaysValidJson()
    {
        final byte[] start = event("contentBlockStart",
            "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"now\"}}}");
        final Run empty = run(concat(MESSAGE_START, start, stop(0), messageStop("tool_use")));
        assertTrue(empty.result().toJson().contains("{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"now\",\"input\":{}}}"),
            empty.result().toJson());

        final Run cut = run(concat(MESSAGE_START, start,
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"a\\\": \\\"b\"}}}")));
        assertEquals(Outcome.TRUNCATED, cut.result().outcome());
        assertTrue(cut.result().toJson().contains("\"input\":\"{\\\"a\\\": \\\"b\""), cut.result().toJson());
    }

    static final byte[] REASONING = concat(MESSAGE_START,
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"The user \"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"wants 2+2.\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"EqoBCkgSIG\"}}}"),
        stop(0),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"UmVkYWN0\"}}}"),
        stop(1),
        text(2, "4"), stop(2), messageStop("end_turn"));

    @Test
    void reasoningKeepsItsSignatureAndRedactedReasoningIsKeptButNotAnnounced()
    {
        final Run r = run(REASONING);
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        assertEquals(List.of(), r.result().errors());
        final List<Part> parts = r.choice().parts();
        assertEquals(3, parts.size());
        assertEquals(Part.Kind.REASONING, parts.get(0).kind());
        assertEquals("The user wants 2+2.", parts.get(0).text().toString());
        assertEquals("EqoBCkgSIG", parts.get(0).signature().toString());
        assertEquals(Part.Kind.OTHER, parts.get(1).kind());
        assertEquals("UmVkYWN0", parts.get(1).text().toString());
        assertEquals(Part.Kind.TEXT, parts.get(2).kind());
        assertEquals(List.of("start  ", "reasoning 0 The user ", "reasoning 0 wants 2+2.", "text 0 4",
            "finish 0 end_turn", "end COMPLETE"), r.recorder.events);
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" +
            "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"The user wants 2+2.\",\"signature\":\"EqoBCkgSIG\"}}}," +
            "{\"reasoningContent\":{\"redactedContent\":\"UmVkYWN0\"}},{\"text\":\"4\"}]}},\"stopReason\":\"end_turn\"}",
            r.result().toJson());
        assertTrue(r.result().toNormalizedJson().contains("\"reasoning\":\"The user wants 2+2.\""));
    }

    @Test
    void redactedReasoningIsChargedToTheWholeResultsBudget()
    {
        final String redacted = "UmVkYWN0ZWQgcmVhc29uaW5n".repeat(10);
        final byte[] bytes = concat(MESSAGE_START,
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"" +
                redacted + "\"}}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"more\"}}}"),
            stop(0), text(1, "after"), stop(1), messageStop("end_turn"));
        final RecordingListener recorder = new RecordingListener();
        final StreamAggregator a = StreamAggregator.builder().format(Format.BEDROCK).listener(recorder)
            .limits(AggregationLimits.builder().maxResultChars(100).build()).build();
        a.feed(bytes, 0, bytes.length);
        a.end();
        final Part part = a.result().choice(0).parts().get(0);
        assertEquals(Part.Kind.OTHER, part.kind());
        assertEquals(redacted.substring(0, 100), part.text().toString());
        assertFalse(part.isComplete());
        assertEquals("", a.result().choice(0).joined(Part.Kind.TEXT));
        assertEquals(List.of(ErrorKind.LIMIT_EXCEEDED), a.result().errors().stream().map(StreamError::kind).collect(Collectors.toList()));
        assertTrue(a.result().errors().get(0).message().contains("maxResultChars 100"), a.result().errors().get(0).message());
        assertTrue(recorder.events.stream().noneMatch(e -> e.startsWith("text") || e.startsWith("reasoning")), recorder.events::toString);
    }

    @Test
    void blockIndexMayFollowTheDeltaAndBlocksAreWrittenInIndexOrder()
    {
        final byte[] bytes = concat(MESSAGE_START,
            event("contentBlockDelta", "{\"delta\":{\"text\":\"second\"},\"contentBlockIndex\":1}"),
            event("contentBlockDelta", "{\"p\":\"x\",\"delta\":{\"text\":\"first\"},\"contentBlockIndex\":0}"),
            event("contentBlockStart", "{\"start\":{\"toolUse\":{\"name\":\"f\",\"toolUseId\":\"id9\"}},\"contentBlockIndex\":2}"),
            messageStop("end_turn"));
        final Run r = run(bytes);
        assertEquals(List.of(), r.result().errors());
        assertEquals(1, r.choice().parts().get(0).wireIndex());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"first\"},{\"text\":\"second\"}," +
            "{\"toolUse\":{\"toolUseId\":\"id9\",\"name\":\"f\",\"input\":{}}}]}},\"stopReason\":\"end_turn\"}", r.result().toJson());
    }

    @Test
    void aBlockThatStopsWithoutDeltasIsAnEmptyText()
    {
        final Run r = run(concat(MESSAGE_START, stop(0), text(1, "x"), stop(1), messageStop("end_turn")));
        assertEquals(List.of(), r.result().errors());
        assertEquals(2, r.choice().parts().size());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"\"},{\"text\":\"x\"}]}}," +
            "\"stopReason\":\"end_turn\"}", r.result().toJson());
    }

    @Test
    void citationsAndOtherBlockKindsAreKept()
    {
        final byte[] bytes = concat(MESSAGE_START, text(0, "Paris."),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"citation\":{\"title\":\"Atlas\"," +
                "\"sourceContent\":[{\"text\":\"Paris is the capital\"}],\"location\":{\"documentChar\":{\"documentIndex\":0,\"start\":1,\"end\":9}}}}}"),
            event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"image\":{\"format\":\"png\"}}}"),
            event("futureEvent", "{\"anything\":[1,2,3]}"),
            messageStop("end_turn"));
        final Run r = run(bytes);
        assertEquals(List.of(), r.result().errors());
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"citationsContent\":{\"content\":" +
            "[{\"text\":\"Paris.\"}],\"citations\":[{\"title\":\"Atlas\",\"sourceContent\":[{\"text\":\"Paris is the capital\"}]," +
            "\"location\":{\"documentChar\":{\"documentIndex\":0,\"start\":1,\"end\":9}}}]}},{\"image\":{\"format\":\"png\"}}]}}," +
            "\"stopReason\":\"end_turn\"}", r.result().toJson());
    }

    @Test
    void messageStopFieldsAndMetadataExtrasAreTopLevelFields()
    {
        final byte[] bytes = concat(MESSAGE_START, text(0, "x"),
            event("messageStop", "{\"stopReason\":\"max_tokens\",\"additionalModelResponseFields\":{\"stop_sequence\":null}}"),
            event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2},\"metrics\":{\"latencyMs\":5}," +
                "\"trace\":{\"guardrail\":{}},\"performanceConfig\":{\"latency\":\"standard\"}}"));
        final Run r = run(bytes);
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        assertEquals("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"x\"}]}},\"stopReason\":\"max_tokens\"," +
            "\"usage\":{\"inputTokens\":1,\"outputTokens\":1,\"totalTokens\":2},\"additionalModelResponseFields\":{\"stop_sequence\":null}," +
            "\"metrics\":{\"latencyMs\":5},\"trace\":{\"guardrail\":{}},\"performanceConfig\":{\"latency\":\"standard\"}}", r.result().toJson());
        assertTrue(r.result().toNormalizedJson().contains("\"finish_reason\":\"length\""));
    }

    @Test
    void exceptionEndsTheStreamWithItsTypeAndMessageKept()
    {
        final byte[] bytes = concat(MESSAGE_START, text(0, "partial"),
            EventStreamEncoder.exception("throttlingException", "{\"message\":\"Too many requests, please wait.\"}"),
            text(0, " ignored"));
        final Run r = run(bytes);
        assertEquals(Outcome.ERROR, r.result().outcome());
        assertEquals("partial", r.choice().joined(Part.Kind.TEXT));
        assertEquals(List.of(ErrorKind.PROVIDER_ERROR), r.errorKinds());
        assertEquals("provider error: throttlingException: Too many requests, please wait.", r.result().errors().get(0).message());
        assertEquals("{\"type\":\"throttlingException\",\"message\":\"Too many requests, please wait.\"}", r.result().providerError().json());
        assertTrue(r.result().toJson().endsWith(",\"error\":{\"type\":\"throttlingException\",\"message\":\"Too many requests, please wait.\"}}"),
            r.result().toJson());
        assertEquals("end ERROR", r.recorder.events.get(r.recorder.events.size() - 1));
    }

    @Test
    void isDoneRightAfterTheException()
    {
        final Run r = new Run(Format.BEDROCK, false);
        final byte[] bytes = concat(MESSAGE_START,
            EventStreamEncoder.exception("modelStreamErrorException", "{\"message\":\"boom\",\"originalStatusCode\":500}"));
        r.aggregator.feed(bytes, 0, bytes.length);
        assertTrue(r.aggregator.isDone());
        assertEquals("{\"type\":\"modelStreamErrorException\",\"message\":\"boom\",\"originalStatusCode\":500}",
            r.result().providerError().json());
    }

    @Test
    void errorMessagesTakeCodeAndMessageFromHeaders()
    {
        final Run r = run(concat(MESSAGE_START, EventStreamEncoder.error("InternalFailure", "Something \"bad\" happened")));
        assertEquals(Outcome.ERROR, r.result().outcome());
        assertEquals("{\"type\":\"InternalFailure\",\"message\":\"Something \\\"bad\\\" happened\"}", r.result().providerError().json());
        assertEquals("provider error: InternalFailure: Something \"bad\" happened", r.result().errors().get(0).message());
    }

    @Test
    void exceptionWithAPayloadThatIsNotJsonKeepsItAsTheMessage()
    {
        final Run r = run(concat(MESSAGE_START, EventStreamEncoder.exception("validationException", "not json {")));
        assertEquals(Outcome.ERROR, r.result().outcome());
        assertEquals("{\"type\":\"validationException\",\"message\":\"not json {\"}", r.result().providerError().json());
    }

    @Test
    void endingBeforeMessageStopIsTruncated()
    {
        final byte[] bytes = concat(MESSAGE_START, text(0, "Hello"), stop(0));
        final Run r = run(bytes);
        assertEquals(Outcome.TRUNCATED, r.result().outcome());
        assertEquals(List.of(ErrorKind.TRUNCATED), r.errorKinds());
        assertEquals("Hello", r.choice().joined(Part.Kind.TEXT));
        assertTrue(r.choice().parts().get(0).isEnded());
    }

    @Test
    void cutInsideAMessageIsTruncatedAndKeepsWhatCameBefore()
    {
        final byte[] whole = concat(MESSAGE_START, text(0, "Hello"), text(0, " again"));
        final byte[] cut = Arrays.copyOf(whole, whole.length - 7);
        final Run r = run(cut);
        assertEquals(Outcome.TRUNCATED, r.result().outcome());
        assertEquals(List.of(ErrorKind.TRUNCATED, ErrorKind.TRUNCATED), r.errorKinds());
        assertEquals("Hello", r.choice().joined(Part.Kind.TEXT));
    }

    @Test
    void messageStopWithoutMetadataIsCompleteButACutMetadataIsNot()
    {
        final byte[] noMetadata = concat(MESSAGE_START, text(0, "Hi"), stop(0), messageStop("end_turn"));
        final Run complete = run(noMetadata);
        assertEquals(Outcome.COMPLETE, complete.result().outcome());
        assertEquals(List.of(), complete.result().errors());
        assertFalse(complete.result().usage().isPresent());

        final Run cut = run(Arrays.copyOf(HELLO, HELLO.length - 3));
        assertEquals(Outcome.TRUNCATED, cut.result().outcome());
        assertEquals(List.of(ErrorKind.TRUNCATED), cut.errorKinds());
        assertEquals("Hello, world", cut.choice().joined(Part.Kind.TEXT));
        assertEquals("end_turn", cut.choice().finishReason().toString());
    }

    @Test
    void badMessageCrcDropsOnlyThatMessage()
    {
        final byte[] bad = text(0, " LOST");
        bad[bad.length - 6] ^= 0x01;
        final byte[] bytes = concat(MESSAGE_START, text(0, "kept"), bad, text(0, " after"), stop(0), messageStop("end_turn"));
        final Run lenient = run(bytes);
        assertEquals(List.of(ErrorKind.CHECKSUM_MISMATCH), lenient.errorKinds());
        assertEquals("kept after", lenient.choice().joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, lenient.result().outcome());
        assertEquals(MESSAGE_START.length + text(0, "kept").length, lenient.result().errors().get(0).byteOffset());

        final Run strict = run(bytes, new int[]{bytes.length}, true);
        assertEquals(Outcome.ERROR, strict.result().outcome());
        assertEquals(List.of(ErrorKind.CHECKSUM_MISMATCH), strict.errorKinds());
        assertEquals("kept", strict.choice().joined(Part.Kind.TEXT));
    }

    @Test
    void badPreludeCrcLosesFramingButKeepsWhatCameBefore()
    {
        final byte[] bad = text(0, " LOST");
        bad[9] ^= 0x10;
        final Run r = run(concat(MESSAGE_START, text(0, "kept"), bad, text(0, " never"), messageStop("end_turn")));
        assertEquals(List.of(ErrorKind.CHECKSUM_MISMATCH, ErrorKind.TRUNCATED), r.errorKinds());
        assertEquals("kept", r.choice().joined(Part.Kind.TEXT));
        assertEquals(Outcome.TRUNCATED, r.result().outcome());
    }

    @Test
    void malformedPayloadIsSkippedInLenientModeAndEndsStrictMode()
    {
        final byte[] bytes = concat(MESSAGE_START, text(0, "a"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\" \"b\"}}"), text(0, "c"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"d\"}} trailing"), messageStop("end_turn"));
        final Run lenient = run(bytes);
        assertEquals(List.of(ErrorKind.MALFORMED_JSON, ErrorKind.MALFORMED_JSON), lenient.errorKinds(), lenient.result().errors().toString() + lenient.recorder.events);
        // What a damaged event held before the damage counts, as in every dialect: here "d" precedes the junk.
        assertEquals("acd", lenient.choice().joined(Part.Kind.TEXT));
        assertEquals(Outcome.COMPLETE, lenient.result().outcome());
        final Run strict = run(bytes, new int[]{bytes.length}, true);
        assertEquals(Outcome.ERROR, strict.result().outcome());
        assertEquals("a", strict.choice().joined(Part.Kind.TEXT));
        for (final StreamError e : lenient.result().errors())
        {
            assertFalse(e.message().startsWith(InternalErrors.PREFIX), e.message());
        }
    }

    @Test
    void absurdBlockIndexIsALimitErrorReportedOnceAndAllocatesNothingLarge()
    {
        final String huge = Integer.toString(Integer.MAX_VALUE);
        final byte[] bytes = concat(MESSAGE_START, text(0, "ok"),
            event("contentBlockStart", "{\"contentBlockIndex\":" + huge + ",\"start\":{\"toolUse\":{\"toolUseId\":\"x\",\"name\":\"y\"}}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":" + huge + ",\"delta\":{\"toolUse\":{\"input\":\"{}\"}}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":" + huge + ",\"delta\":{\"text\":\"no\"}}"),
            event("contentBlockStop", "{\"contentBlockIndex\":" + huge + "}"),
            text(1, " fine"), messageStop("end_turn"));
        run(bytes);
        final AllocationCounter counter = AllocationCounter.start();
        final long before = counter.bytes();
        final Run r = run(bytes);
        final long allocated = counter.bytes() - before;
        assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
        assertEquals(List.of(ErrorKind.LIMIT_EXCEEDED), r.errorKinds());
        assertEquals("ok fine", r.choice().joined(Part.Kind.TEXT));
        assertEquals(2, r.choice().parts().size());
        assertTrue(r.choice().toolCalls().isEmpty());
        assertEquals(Outcome.COMPLETE, r.result().outcome());
    }

    @Test
    void steadyStateDeltasAllocateAlmostNothing()
    {
        final ByteArrayOutputStreamHolder stream = new ByteArrayOutputStreamHolder();
        stream.add(MESSAGE_START);
        for (int i = 0; i < 2000; i++)
        {
            stream.add(text(0, "token " + (i % 10)));
            stream.add(event("contentBlockDelta", "{\"delta\":{\"toolUse\":{\"input\":\"{}\"}},\"contentBlockIndex\":1}"));
        }
        stream.add(messageStop("end_turn"));
        stream.add(METADATA);
        final byte[] bytes = stream.bytes();
        final StreamAggregator a = StreamAggregator.create(Format.BEDROCK);
        for (int warm = 0; warm < 3; warm++)
        {
            a.reset();
            a.feed(bytes, 0, bytes.length);
            a.end();
        }
        final AllocationCounter counter = AllocationCounter.start();
        a.reset();
        final long before = counter.bytes();
        a.feed(bytes, 0, bytes.length);
        a.end();
        final long allocated = counter.bytes() - before;
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        // 4000 events: a per-event object of even 16 bytes would pass 64 KiB.
        assertTrue(allocated < 32 * 1024, "allocated " + allocated + " bytes for 4000 events");
    }

    @Test
    void textDeltasPaddedToAnyLengthFoldWithoutParsing()
    {
        final ByteArrayOutputStreamHolder stream = new ByteArrayOutputStreamHolder();
        stream.add(MESSAGE_START);
        final StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 500; i++)
        {
            expected.append("tok").append(i % 10).append(' ');
            stream.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"tok" + (i % 10) + " \"},\"p\":\"" +
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN".substring(0, 1 + i % 40) + "\"}"));
        }
        stream.add(stop(0));
        stream.add(messageStop("end_turn"));
        stream.add(METADATA);
        final StreamAggregator a = StreamAggregator.create(Format.BEDROCK);
        final byte[] bytes = stream.bytes();
        final long allocated = AllocationCounter.start().warmFeed(a, bytes, 2, () -> { });
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals(expected.toString(), a.result().choice(0).joined(Part.Kind.TEXT).toString());
        // Three folds of the stream: every delta but each stream's first went without parsing.
        assertEquals(3 * 499, AggregatorInternals.dialect(a).fastFolds());
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for 500 deltas");
    }

    /** Collects stream bytes. */
    static final class ByteArrayOutputStreamHolder
    {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void add(final byte[] b)
        {
            out.writeBytes(b);
        }

        byte[] bytes()
        {
            return out.toByteArray();
        }
    }

    @Test
    void indexPastTheConfiguredLimitAndTooManyBlocksAreLimitErrors()
    {
        final StreamAggregator a = StreamAggregator.builder().format(Format.BEDROCK)
            .limits(AggregationLimits.builder().maxIndex(10).maxPartsPerChoice(2).build()).build();
        final byte[] bytes = concat(MESSAGE_START, text(11, "x"), text(0, "a"), text(1, "b"), text(2, "c"), messageStop("end_turn"));
        a.feed(bytes, 0, bytes.length);
        a.end();
        assertEquals(List.of(ErrorKind.LIMIT_EXCEEDED, ErrorKind.LIMIT_EXCEEDED),
            a.result().errors().stream().map(StreamError::kind).collect(Collectors.toList()));
        assertEquals("ab", a.result().choice(0).joined(Part.Kind.TEXT));
    }

    @Test
    void negativeBlockIndexIsMalformed()
    {
        final Run r = run(concat(MESSAGE_START, text(-1, "x"), text(0, "y"), messageStop("end_turn")));
        assertEquals(List.of(ErrorKind.MALFORMED_JSON), r.errorKinds());
        assertEquals("y", r.choice().joined(Part.Kind.TEXT));
    }

    static List<byte[]> allStreams()
    {
        final byte[] bad = text(0, "LOST");
        bad[bad.length - 1] ^= 0x7F;
        return List.of(HELLO, TOOL_USE, REASONING,
            concat(MESSAGE_START, text(0, "k"), bad, text(0, "\u00e9\u4e2d\ud83d\ude00 \"q\" \\"), messageStop("end_turn"), METADATA),
            concat(MESSAGE_START, text(0, "p"), EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow\"}")),
            Arrays.copyOf(TOOL_USE, TOOL_USE.length - 40));
    }

    @Test
    void wholeByteByByteAndRandomSlicesGiveTheSameResult()
    {
        final Random random = new Random(42);
        for (final byte[] bytes : allStreams())
        {
            final String whole = run(bytes).everything();
            final int[] ones = new int[bytes.length];
            Arrays.fill(ones, 1);
            assertEquals(whole, run(bytes, ones, false).everything());
            for (int trial = 0; trial < 20; trial++)
            {
                final int[] slices = new int[bytes.length];
                for (int i = 0; i < slices.length; i++)
                {
                    slices[i] = random.nextInt(40);
                }
                assertEquals(whole, run(bytes, slices, false).everything());
            }
        }
    }

    @Test
    void byteBuffersAndOffHeapBuffersGiveTheSameResult()
    {
        for (final byte[] bytes : allStreams())
        {
            final String whole = run(bytes).everything();
            final Run heap = new Run(Format.BEDROCK, false);
            final Run direct = new Run(Format.BEDROCK, false);
            final Run agrona = new Run(Format.BEDROCK, false);
            final ByteBuffer off = ByteBuffer.allocateDirect(bytes.length);
            off.put(bytes).flip();
            final UnsafeBuffer unsafe = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
            unsafe.putBytes(0, bytes);
            for (int at = 0; at < bytes.length; at += 17)
            {
                final int n = Math.min(17, bytes.length - at);
                heap.aggregator.feed(ByteBuffer.wrap(bytes, at, n));
                off.limit(at + n).position(at);
                direct.aggregator.feed(off.slice());
                agrona.aggregator.feed(unsafe, at, n);
            }
            heap.aggregator.end();
            direct.aggregator.end();
            agrona.aggregator.end();
            assertEquals(whole, heap.everything());
            assertEquals(whole, direct.everything());
            assertEquals(whole, agrona.everything());
        }
    }

    @Test
    void autoDetectsBedrockFromItsFirstMessage()
    {
        // The prelude's first byte says eventstream; its first message says whose events it carries (see BedrockInvokeStreamTest).
        assertNull(FormatDetector.detect(HELLO, 1, false));
        assertEquals(Format.BEDROCK, FormatDetector.detect(HELLO, 1, true), "cut inside it: Bedrock's");
        assertEquals(Format.BEDROCK, FormatDetector.detect(HELLO, MESSAGE_START.length, false));
        assertNull(FormatDetector.detect(new byte[0], 0, false));
        for (final byte[] bytes : allStreams())
        {
            final Run auto = new Run(Format.AUTO, false);
            for (int at = 0; at < bytes.length; at += 5)
            {
                auto.aggregator.feed(bytes, at, Math.min(5, bytes.length - at));
            }
            auto.aggregator.end();
            assertEquals(Format.BEDROCK, auto.aggregator.format());
            assertEquals(run(bytes).everything(), auto.everything());
        }
    }

    @Test
    void resetReadiesTheAggregatorForAnotherStream()
    {
        final Run r = new Run(Format.BEDROCK, false);
        final List<String> results = new ArrayList<>();
        for (final byte[] bytes : List.of(TOOL_USE, REASONING, TOOL_USE))
        {
            r.aggregator.reset();
            r.recorder.events.clear();
            r.aggregator.feed(bytes, 0, bytes.length);
            r.aggregator.end();
            results.add(r.everything());
            assertEquals(run(bytes).everything(), r.everything());
        }
        assertEquals(results.get(0), results.get(2));
    }

    @Test
    void textIsDecodedExactly()
    {
        final String tricky = "caf\u00e9 \u4e2d\u6587 \"quoted\" back\\slash\nnew\ttab \u0001";
        final Run r = run(concat(MESSAGE_START, text(0, tricky), messageStop("end_turn")));
        assertEquals(tricky, r.choice().joined(Part.Kind.TEXT));
        final String emoji = "\ud83d\ude00 split \ud83d\ude01";
        assertEquals(emoji, run(concat(MESSAGE_START, text(0, emoji), messageStop("end_turn"))).choice().joined(Part.Kind.TEXT));
        assertTrue(new String(r.result().toJson().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
            .contains("caf\u00e9 \u4e2d\u6587 \\\"quoted\\\" back\\\\slash\\nnew\\ttab \\u0001"), r.result().toJson());
    }
}
