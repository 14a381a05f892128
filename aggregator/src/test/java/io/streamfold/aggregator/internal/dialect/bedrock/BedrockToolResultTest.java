package io.streamfold.aggregator.internal.dialect.bedrock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.List;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.MESSAGE_START;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.messageStop;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.run;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.stop;
import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.text;
import static io.streamfold.testkit.EventStreamEncoder.concat;
import static io.streamfold.testkit.EventStreamEncoder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bedrock blocks whose {@code contentBlockStart} names their kind and whose deltas fill it in: {@code toolResult} (a
 * server tool's result, {@code ToolResultBlockStart} then lists of {@code ToolResultBlockDelta}) and {@code image}.
 * The folded block is the non-streaming Converse {@code ToolResultBlock}: the start's fields, then {@code content},
 * every delta's entries appended in order.
 */
class BedrockToolResultTest
{
    private static final String CALL_START = "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"name\":\"nova_code_interpreter\"," +
        "\"toolUseId\":\"tu1\",\"type\":\"server_tool_use\"}},\"p\":\"abc\"}";
    private static final String CALL_BLOCK = "{\"toolUse\":{\"toolUseId\":\"tu1\",\"name\":\"nova_code_interpreter\"," +
        "\"type\":\"server_tool_use\",\"input\":{\"snippet\":\"1+1\"}}}";

    private static byte[] resultStart(final int index)
    {
        return event("contentBlockStart", "{\"contentBlockIndex\":" + index + ",\"p\":\"abcdef\",\"start\":{\"toolResult\":" +
            "{\"status\":\"success\",\"toolUseId\":\"tu1\",\"type\":\"nova_code_interpreter_result\"}}}");
    }

    private static byte[] resultDelta(final int index, final String list)
    {
        return event("contentBlockDelta", "{\"contentBlockIndex\":" + index + ",\"delta\":{\"toolResult\":" + list + "},\"p\":\"ab\"}");
    }

    private static byte[] withResult(final byte[]... resultEvents)
    {
        return concat(MESSAGE_START, event("contentBlockStart", CALL_START),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"snippet\\\":\\\"1+1\\\"}\"}}}"),
            stop(0), concat(resultEvents), messageStop("end_turn"));
    }

    private static String converse(final String... blocks)
    {
        return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" + String.join(",", blocks) +
            "]}},\"stopReason\":\"end_turn\"}";
    }

    @Test
    void aToolResultKeepsItsStartAndAppendsEveryDeltasEntriesToContent()
    {
        final byte[] bytes = withResult(resultStart(1),
            resultDelta(1, "[{\"json\":{\"stdOut\":\"2\",\"exitCode\":0}}]"),
            resultDelta(1, "[{\"text\":\"two \"},{\"text\":\"lines\"}]"),
            resultDelta(1, "[{\"text\":\"!\"}]"),
            stop(1));
        final String expected = converse(CALL_BLOCK, "{\"toolResult\":{\"status\":\"success\",\"toolUseId\":\"tu1\"," +
            "\"type\":\"nova_code_interpreter_result\",\"content\":[{\"json\":{\"stdOut\":\"2\",\"exitCode\":0}}," +
            "{\"text\":\"two \"},{\"text\":\"lines\"},{\"text\":\"!\"}]}}");
        for (final int[] slices : new int[][]{{bytes.length}, {1}, {7, 13}})
        {
            final BedrockDialectTest.Run r = run(bytes, slices, true);
            assertEquals(List.of(), r.result().errors());
            assertEquals(Outcome.COMPLETE, r.result().outcome());
            assertEquals(expected, r.result().toJson());
            final Part part = r.choice().parts().get(1);
            assertEquals(Part.Kind.OTHER, part.kind());
            assertEquals("toolResult", part.type().toString());
            assertTrue(part.isComplete());
            // A server tool's result is no answer text and no tool call: the normalized view lists what streamed
            // into it with the block's kind, as it lists a Responses code interpreter call's streamed code.
            final String normalized = r.result().toNormalizedJson();
            assertTrue(normalized.contains("\"unknown_deltas\":[{\"index\":1,\"type\":\"toolResult\",\"fields\":{\"content\":" +
                "[{\"json\":{\"stdOut\":\"2\",\"exitCode\":0}},{\"text\":\"two \"},{\"text\":\"lines\"},{\"text\":\"!\"}]}}]"),
                normalized);
            assertTrue(normalized.contains("\"text\":\"\""), normalized);
            // Nova ran its code interpreter itself: not a call for the client to answer.
            assertTrue(normalized.contains("\"tool_calls\":[],\"server_tool_calls\":[{\"id\":\"tu1\""), normalized);
            assertTrue(r.choice().parts().get(0).serverExecuted());
            assertFalse(part.serverExecuted());
        }
    }

    @Test
    void aToolResultWithoutDeltasHasEmptyContent()
    {
        final BedrockDialectTest.Run r = run(withResult(resultStart(1), stop(1)));
        assertEquals(List.of(), r.result().errors());
        assertEquals(converse(CALL_BLOCK, "{\"toolResult\":{\"status\":\"success\",\"toolUseId\":\"tu1\"," +
            "\"type\":\"nova_code_interpreter_result\",\"content\":[]}}"), r.result().toJson());
        assertFalse(r.result().toNormalizedJson().contains("unknown_deltas"), r.result().toNormalizedJson());
    }

    @Test
    void aToolResultDeltaWithoutAStartIsKeptAsAToolResultWithoutItsStartFields()
    {
        final BedrockDialectTest.Run r = run(withResult(resultDelta(1, "[{\"text\":\"orphan\"}]"), stop(1)));
        assertEquals(List.of(), r.result().errors());
        assertEquals(converse(CALL_BLOCK, "{\"toolResult\":{\"content\":[{\"text\":\"orphan\"}]}}"), r.result().toJson());
        assertTrue(r.result().toNormalizedJson().contains("{\"index\":1,\"type\":\"toolResult\",\"fields\":{\"content\":" +
            "[{\"text\":\"orphan\"}]}}"), r.result().toNormalizedJson());
    }

    @Test
    void aToolResultDeltaForATextBlockIsMalformedAndIgnored()
    {
        final BedrockDialectTest.Run r = run(withResult(text(1, "plain"), resultDelta(1, "[{\"text\":\"intruder\"}]"),
            text(1, " text"), stop(1)));
        assertEquals(List.of(ErrorKind.MALFORMED_JSON), r.errorKinds());
        assertTrue(r.result().errors().get(0).message().contains("'toolResult' delta for block 1"),
            r.result().errors().get(0).message());
        assertEquals(converse(CALL_BLOCK, "{\"text\":\"plain text\"}"), r.result().toJson());
        assertFalse(r.result().toNormalizedJson().contains("intruder"), r.result().toNormalizedJson());
    }

    @Test
    void aToolResultStartForABlockOfAnotherKindIsMalformedAndIgnored()
    {
        final BedrockDialectTest.Run r = run(withResult(text(1, "plain"), resultStart(1), stop(1)));
        assertEquals(List.of(ErrorKind.MALFORMED_JSON), r.errorKinds());
        assertEquals(converse(CALL_BLOCK, "{\"text\":\"plain\"}"), r.result().toJson());
    }

    @Test
    void aToolResultDeltaThatIsNotAListIsMalformedAndIgnored()
    {
        final BedrockDialectTest.Run r = run(withResult(resultStart(1), resultDelta(1, "{\"text\":\"not a list\"}"),
            resultDelta(1, "\"nor this\""), resultDelta(1, "[{\"text\":\"kept\"}]"), stop(1)));
        assertEquals(List.of(ErrorKind.MALFORMED_JSON, ErrorKind.MALFORMED_JSON), r.errorKinds());
        assertTrue(r.result().errors().get(0).message().contains("must be a list"), r.result().errors().get(0).message());
        assertEquals(converse(CALL_BLOCK, "{\"toolResult\":{\"status\":\"success\",\"toolUseId\":\"tu1\"," +
            "\"type\":\"nova_code_interpreter_result\",\"content\":[{\"text\":\"kept\"}]}}"), r.result().toJson());
    }

    @Test
    void aToolResultDeltaAfterItsBlockStoppedIsLate()
    {
        final BedrockDialectTest.Run r = run(withResult(resultStart(1), resultDelta(1, "[{\"text\":\"in time\"}]"), stop(1),
            resultDelta(1, "[{\"text\":\"late\"}]")));
        assertEquals(List.of(ErrorKind.LATE_DATA), r.errorKinds());
        assertTrue(r.result().toJson().contains("\"content\":[{\"text\":\"in time\"}]"), r.result().toJson());
    }

    @Test
    void toolResultContentPastTheRawValueLimitIsReportedAndWhatFitIsKept()
    {
        final String big = "x".repeat(300);
        final byte[] bytes = withResult(resultStart(1), resultDelta(1, "[{\"text\":\"small\"}]"),
            resultDelta(1, "[{\"text\":\"" + big + "\"}]"), stop(1));
        final StreamAggregator a = StreamAggregator.builder().format(Format.BEDROCK)
            .limits(AggregationLimits.builder().maxRawBytes(256).build()).build();
        a.feed(bytes, 0, bytes.length);
        a.end();
        final Aggregate result = a.result();
        assertEquals(List.of(ErrorKind.LIMIT_EXCEEDED), result.errors().stream().map(StreamError::kind).toList());
        assertTrue(result.toJson().contains("\"content\":[{\"text\":\"small\"}]"), result.toJson());
        assertFalse(result.toJson().contains(big), result.toJson());
    }

    @Test
    void anImageKeepsItsStartFormatBesideItsStreamedSource()
    {
        final byte[] bytes = concat(MESSAGE_START,
            event("contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"image\":{\"format\":\"png\"}}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"image\":{\"source\":{\"bytes\":\"iVBO\"}}}}"),
            event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"image\":{\"source\":{\"bytes\":\"Rw0K\"}}}}"),
            stop(0), messageStop("end_turn"));
        final BedrockDialectTest.Run r = run(bytes);
        assertEquals(List.of(), r.result().errors());
        assertEquals(converse("{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"iVBORw0K\"}}}"), r.result().toJson());
        assertTrue(r.result().toNormalizedJson().contains("{\"index\":0,\"type\":\"image\",\"fields\":{\"source\":" +
            "{\"bytes\":\"iVBORw0K\"}}}"), r.result().toNormalizedJson());
    }

    @Test
    void theRecordedNovaCodeInterpreterResultFoldsIntoOneToolResultBlock() throws Exception
    {
        final Path file = Paths.get(BedrockToolResultTest.class.getResource("toolresult/nova2-lite-code-execution.eventstream.hex").toURI());
        final byte[] body = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        for (final int[] slices : new int[][]{{body.length}, {1}, {100}})
        {
            final BedrockDialectTest.Run r = run(body, slices, true);
            assertEquals(List.of(), r.result().errors());
            assertEquals(Outcome.COMPLETE, r.result().outcome());
            final String json = r.result().toJson();
            assertTrue(json.startsWith("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" +
                "{\"toolUse\":{\"toolUseId\":\"tooluse_VQNZJRUFMoqZzszVsRd4og\",\"name\":\"nova_code_interpreter\"," +
                "\"type\":\"server_tool_use\",\"input\":{\"snippet\":\"1234 * 5678\"}}}," +
                "{\"toolResult\":{\"status\":\"success\",\"toolUseId\":\"tooluse_VQNZJRUFMoqZzszVsRd4og\"," +
                "\"type\":\"nova_code_interpreter_result\",\"content\":[{\"json\":{\"stdOut\":\"7006652\",\"stdErr\":\"\"," +
                "\"exitCode\":0,\"isError\":false}}]}}," +
                "{\"toolUse\":{\"toolUseId\":\"tooluse_ptgCcZ0uQu-UUMz0abqoWw\",\"name\":\"final_result\",\"type\":\"tool_use\"," +
                "\"input\":{\"result\":7006652.0}}}]}},\"stopReason\":\"tool_use\""), json);
            assertFalse(r.result().toNormalizedJson().contains("\"type\":\"\""), r.result().toNormalizedJson());
        }
    }
}
