package io.streamfold.aggregator.internal.dialect.anthropic;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.RecordingListener;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.anthropic.AnthropicStreams.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnthropicDialectTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String START =
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
        "\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," +
        "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}";
    private static final String TEXT_START = "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
    private static final String TEXT_A = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}";
    private static final String TEXT_B = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo \\\"\\u00e9\\\"\"}}";
    private static final String STOP_0 = "{\"type\":\"content_block_stop\",\"index\":0}";
    private static final String TOOL_START =
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get\",\"input\":{}}}";
    private static final String TOOL_A = "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\": \"}}";
    private static final String TOOL_B = "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"[1, \\\"x\\\"]}\"}}";
    private static final String STOP_1 = "{\"type\":\"content_block_stop\",\"index\":1}";
    private static final String DELTA =
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}";
    private static final String MESSAGE_STOP = "{\"type\":\"message_stop\"}";
    private static final String PING = "{\"type\": \"ping\"}";

    private static String fullStream()
    {
        return sse(START, TEXT_START, TEXT_A, PING, TEXT_B, STOP_0, TOOL_START, TOOL_A, TOOL_B, STOP_1, DELTA, MESSAGE_STOP);
    }

    @Test
    void foldsTextAndToolUseIntoTheMessageObject() throws Exception
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(fullStream());
        assertEquals(Outcome.COMPLETE, run.result().outcome());
        assertEquals(List.of(), run.result().errors());
        assertEquals(MAPPER.readTree(
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[" +
            "{\"type\":\"text\",\"text\":\"Hello \\\"\u00e9\\\"\"}," +
            "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get\",\"input\":{\"a\":[1,\"x\"]}}]," +
            "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}"),
            MAPPER.readTree(run.json()));
        assertEquals(List.of(
            "usage 10/1/11",
            "start msg_1 claude-x",
            "text 0 Hel",
            "text 0 lo \"\u00e9\"",
            "tool 0 0 toolu_1 get",
            "args 0 0 {\"a\": ",
            "args 0 0 [1, \"x\"]}",
            "toolEnd 0 0 {\"a\": [1, \"x\"]}",
            "usage 10/20/30",
            "finish 0 tool_use",
            "end COMPLETE"), run.events.events);
        assertEquals(30, run.result().usage().totalTokens());
    }

    /** A block started again at its index is a new block: the deltas after it go to it, not to the one before. */
    @Test
    void deltasAfterABlockStartedAgainGoToTheNewBlock() throws Exception
    {
        final String textC = TEXT_A.replace("Hel", "C");
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, TEXT_START, TEXT_A, TEXT_A, TEXT_START, textC, textC, MESSAGE_STOP));
        assertEquals(List.of(), run.result().errors());
        assertEquals(MAPPER.readTree("[{\"type\":\"text\",\"text\":\"HelHel\"},{\"type\":\"text\",\"text\":\"CC\"}]"),
            MAPPER.readTree(run.json()).get("content"));
    }

    @Test
    void pingsChangeNothing()
    {
        final AnthropicStreams.Run with = AnthropicStreams.whole(fullStream());
        final AnthropicStreams.Run without = AnthropicStreams.whole(
            sse(START, TEXT_START, TEXT_A, TEXT_B, STOP_0, TOOL_START, TOOL_A, TOOL_B, STOP_1, DELTA, MESSAGE_STOP));
        assertEquals(without.json(), with.json());
        assertEquals(without.events.events, with.events.events);
    }

    @Test
    void errorEventEndsWithErrorKeepingWhatCameBefore() throws Exception
    {
        final String error = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, TEXT_START, TEXT_A, error, TEXT_B, MESSAGE_STOP));
        assertEquals(Outcome.ERROR, run.result().outcome());
        assertEquals("Hel", run.choice().joined(Part.Kind.TEXT));
        assertEquals(1, run.result().errors().size());
        final StreamError e = run.result().errors().get(0);
        assertEquals(ErrorKind.PROVIDER_ERROR, e.kind());
        assertEquals(3, e.eventNumber());
        assertTrue(e.message().contains("overloaded_error"));
        final JsonNode m = MAPPER.readTree(run.json());
        assertEquals("Overloaded", m.at("/error/message").asText());
        assertEquals(1, run.events.ends);
    }

    @Test
    void streamWithoutMessageStopIsTruncated()
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, TEXT_START, TEXT_A, STOP_0, TOOL_START, TOOL_A));
        assertEquals(Outcome.TRUNCATED, run.result().outcome());
        final List<StreamError> errors = run.result().errors();
        assertEquals(ErrorKind.MALFORMED_JSON, errors.get(0).kind());
        assertEquals(ErrorKind.TRUNCATED, errors.get(errors.size() - 1).kind());
        assertEquals("Hel", run.choice().joined(Part.Kind.TEXT));
        assertEquals("{\"a\": ", run.choice().toolCalls().get(0).text().toString());
        assertTrue(run.events.events.contains("toolEnd 0 0 {\"a\": "));
        assertEquals("end TRUNCATED", run.events.events.get(run.events.events.size() - 1));
    }

    @Test
    void messageDeltaWithoutMessageStopIsStillTruncated()
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, TEXT_START, TEXT_A, STOP_0, DELTA));
        assertEquals(Outcome.TRUNCATED, run.result().outcome());
        assertEquals("tool_use", run.choice().finishReason().toString());
    }

    @Test
    void fieldsInAnyOrderGiveTheSameResult() throws Exception
    {
        final String start = "{\"message\":{\"usage\":{\"output_tokens\":1,\"input_tokens\":10},\"model\":\"claude-x\"," +
            "\"content\":[],\"role\":\"assistant\",\"stop_sequence\":null,\"stop_reason\":null,\"type\":\"message\",\"id\":\"msg_1\"},\"type\":\"message_start\"}";
        final String textStart = "{\"content_block\":{\"text\":\"\",\"type\":\"text\"},\"index\":0,\"type\":\"content_block_start\"}";
        final String textA = "{\"delta\":{\"text\":\"Hel\",\"type\":\"text_delta\"},\"type\":\"content_block_delta\",\"index\":0}";
        final String textB = "{\"index\":0,\"delta\":{\"text\":\"lo \\\"\\u00e9\\\"\",\"type\":\"text_delta\"},\"type\":\"content_block_delta\"}";
        final String stop0 = "{\"index\":0,\"type\":\"content_block_stop\"}";
        final String toolStart = "{\"index\":1,\"content_block\":{\"input\":{},\"name\":\"get\",\"id\":\"toolu_1\",\"type\":\"tool_use\"},\"type\":\"content_block_start\"}";
        final String toolA = "{\"delta\":{\"partial_json\":\"{\\\"a\\\": \",\"type\":\"input_json_delta\"},\"index\":1,\"type\":\"content_block_delta\"}";
        final String toolB = "{\"type\":\"content_block_delta\",\"delta\":{\"partial_json\":\"[1, \\\"x\\\"]}\",\"type\":\"input_json_delta\"},\"index\":1}";
        final String stop1 = "{\"index\":1,\"type\":\"content_block_stop\"}";
        final String delta = "{\"usage\":{\"output_tokens\":20},\"delta\":{\"stop_sequence\":null,\"stop_reason\":\"tool_use\"},\"type\":\"message_delta\"}";
        final AnthropicStreams.Run shuffled = AnthropicStreams.whole(
            sse(start, textStart, textA, textB, stop0, toolStart, toolA, toolB, stop1, delta, MESSAGE_STOP));
        final AnthropicStreams.Run canonical = AnthropicStreams.whole(fullStream());
        assertEquals(List.of(), shuffled.result().errors());
        assertEquals(MAPPER.readTree(canonical.json()), MAPPER.readTree(shuffled.json()));
        assertEquals(canonical.choice().joined(Part.Kind.TEXT), shuffled.choice().joined(Part.Kind.TEXT));
        assertEquals(canonical.events.text(), shuffled.events.text());
    }

    @Test
    void payloadTypeWinsAndEventLinesMayBeMissing()
    {
        final StringBuilder noEventLines = new StringBuilder();
        for (final String p : new String[]{START, TEXT_START, TEXT_A, TEXT_B, STOP_0, TOOL_START, TOOL_A, TOOL_B, STOP_1, DELTA, MESSAGE_STOP})
        {
            noEventLines.append("data: ").append(p).append("\n\n");
        }
        final AnthropicStreams.Run run = AnthropicStreams.whole(noEventLines.toString());
        assertEquals(AnthropicStreams.whole(fullStream()).json(), run.json());
        // A wrong event name does not override the payload's type.
        final String mislabeled = fullStream().replace("event: ping", "event: message_stop");
        assertEquals(Outcome.COMPLETE, AnthropicStreams.whole(mislabeled).result().outcome());
        assertEquals(AnthropicStreams.whole(fullStream()).json(), AnthropicStreams.whole(mislabeled).json());
    }

    @Test
    void eventNameIsTheFallbackForAPayloadWithoutType()
    {
        final String stream = sse(START, TEXT_START, TEXT_A, STOP_0, DELTA) + "event: message_stop\ndata: {}\n\n";
        assertEquals(Outcome.COMPLETE, AnthropicStreams.whole(stream).result().outcome());
    }

    @Test
    void paddingWhitespaceInsideAndAfterPayloads()
    {
        final String padded = sse(
            START.replace("}}}", "}}          }"),
            TEXT_START.replace("{\"type\"", "{ \"type\" ").replace("}}", "} }   "),
            TEXT_A + "        ",
            TEXT_B.replace(":", " : "),
            STOP_0.replace("}", "  }"),
            TOOL_START, TOOL_A, TOOL_B, STOP_1,
            DELTA + "\t \t",
            MESSAGE_STOP.replace("}", " }"));
        final AnthropicStreams.Run run = AnthropicStreams.whole(padded);
        assertEquals(List.of(), run.result().errors());
        assertEquals(AnthropicStreams.whole(fullStream()).json(), run.json());
    }

    @Test
    void absurdBlockIndexIsAnErrorNotAnAllocation()
    {
        final String hugeStart = "{\"type\":\"content_block_start\",\"index\":2147483647,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}";
        final String hugeDelta = "{\"type\":\"content_block_delta\",\"index\":2147483647,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, hugeStart, hugeDelta, TEXT_START, TEXT_A, STOP_0, DELTA, MESSAGE_STOP));
        assertEquals(Outcome.COMPLETE, run.result().outcome());
        assertEquals(1, run.choice().parts().size());
        assertEquals("Hel", run.choice().joined(Part.Kind.TEXT));
        assertEquals(2, run.result().errors().size());
        for (final StreamError e : run.result().errors())
        {
            assertEquals(ErrorKind.LIMIT_EXCEEDED, e.kind());
            assertTrue(e.message().contains("2147483647"), e.message());
        }
        assertEquals(1, run.result().errors().get(0).eventNumber());
        assertEquals(2, run.result().errors().get(1).eventNumber());
    }

    @Test
    void negativeOrMissingIndexIsMalformed()
    {
        final String negative = "{\"type\":\"content_block_delta\",\"index\":-1,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}";
        final String missing = "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, TEXT_START, negative, missing, TEXT_A, STOP_0, DELTA, MESSAGE_STOP));
        assertEquals(Outcome.COMPLETE, run.result().outcome());
        assertEquals("Hel", run.choice().joined(Part.Kind.TEXT));
        assertEquals(2, run.result().errors().size());
        assertEquals(ErrorKind.MALFORMED_JSON, run.result().errors().get(0).kind());
        assertEquals(ErrorKind.MALFORMED_JSON, run.result().errors().get(1).kind());
    }

    @Test
    void toolArgumentsAreBoundedByTheLimit()
    {
        final AggregationLimits limits = AggregationLimits.builder().maxArgumentChars(8).build();
        final byte[] bytes = fullStream().getBytes(StandardCharsets.UTF_8);
        final AnthropicStreams.Run run = AnthropicStreams.sliced(bytes, new int[]{bytes.length}, limits, false);
        final Part call = run.choice().toolCalls().get(0);
        assertTrue(call.text().length() <= 8);
        assertTrue(run.result().errors().stream().anyMatch(e -> e.kind() == ErrorKind.LIMIT_EXCEEDED));
        assertEquals(Outcome.COMPLETE, run.result().outcome());
    }

    @Test
    void deltaWithoutBlockStartCreatesTheBlock() throws Exception
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, TEXT_A, TEXT_B, TOOL_A, TOOL_B, DELTA, MESSAGE_STOP));
        assertEquals(List.of(), run.result().errors());
        final JsonNode m = MAPPER.readTree(run.json());
        assertEquals("Hello \"\u00e9\"", m.at("/content/0/text").asText());
        assertEquals("tool_use", m.at("/content/1/type").asText());
        assertEquals(MAPPER.readTree("{\"a\":[1,\"x\"]}"), m.at("/content/1/input"));
    }

    @Test
    void deltaOfTheWrongKindIsReportedAndIgnored()
    {
        final String textIntoTool = "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"oops\"}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(
            sse(START, TEXT_START, TEXT_A, STOP_0, TOOL_START, textIntoTool, TOOL_A, TOOL_B, STOP_1, DELTA, MESSAGE_STOP));
        assertEquals(1, run.result().errors().size());
        assertEquals(5, run.result().errors().get(0).eventNumber());
        assertFalse(run.choice().joined(Part.Kind.TEXT).contains("oops"));
        assertEquals("{\"a\": [1, \"x\"]}", run.choice().toolCalls().get(0).text().toString());
    }

    @Test
    void unknownEventsAreIgnoredAndUnknownDeltaKindsKeptOnTheirBlock()
    {
        final String unknownEvent = "{\"type\":\"message_annotation\",\"data\":{\"x\":1}}";
        final String unknownDelta = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"sparkle_delta\",\"sparkle\":\"*\"}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(
            sse(START, unknownEvent, TEXT_START, TEXT_A, unknownDelta, TEXT_B, STOP_0, TOOL_START, TOOL_A, TOOL_B, STOP_1, DELTA, MESSAGE_STOP));
        assertEquals(List.of(), run.result().errors());
        // The text is untouched; the delta nobody knows is folded into its block (AnthropicUnknownDeltaTest), not dropped.
        assertEquals(AnthropicStreams.whole(fullStream()).json().replace("\"text\":\"Hello \\\"\u00e9\\\"\"}",
            "\"text\":\"Hello \\\"\u00e9\\\"\",\"sparkle\":\"*\"}"), run.json());
    }

    @Test
    void malformedEventIsSkippedLenientlyAndEndsStrictly()
    {
        final String stream = sse(START, TEXT_START, TEXT_A) + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\n\n" +
            sse(TEXT_B, STOP_0, DELTA, MESSAGE_STOP);
        final byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        final AnthropicStreams.Run lenient = AnthropicStreams.sliced(bytes, new int[]{bytes.length}, AggregationLimits.DEFAULT, false);
        assertEquals(Outcome.COMPLETE, lenient.result().outcome());
        assertEquals("Hello \"\u00e9\"", lenient.choice().joined(Part.Kind.TEXT));
        assertEquals(ErrorKind.MALFORMED_JSON, lenient.result().errors().get(0).kind());
        assertEquals(3, lenient.result().errors().get(0).eventNumber());
        final AnthropicStreams.Run strict = AnthropicStreams.sliced(bytes, new int[]{bytes.length}, AggregationLimits.DEFAULT, true);
        assertEquals(Outcome.ERROR, strict.result().outcome());
        assertEquals("Hel", strict.choice().joined(Part.Kind.TEXT));
    }

    @Test
    void resetReadiesTheAggregatorForAnotherStream()
    {
        final RecordingListener recorder = new RecordingListener();
        final StreamAggregator aggregator = StreamAggregator.builder().format(Format.ANTHROPIC).listener(recorder).build();
        final byte[] first = sse(START, TEXT_START, TEXT_A, TOOL_START, TOOL_A).getBytes(StandardCharsets.UTF_8);
        aggregator.feed(first, 0, first.length);
        aggregator.reset();
        final byte[] second = fullStream().getBytes(StandardCharsets.UTF_8);
        aggregator.feed(second, 0, second.length);
        aggregator.end();
        assertEquals(AnthropicStreams.whole(fullStream()).json(), aggregator.result().toJson());
        assertEquals(Outcome.COMPLETE, aggregator.result().outcome());
    }

    @Test
    void bytesAfterMessageStopAreIgnored()
    {
        final AnthropicStreams.Run run = AnthropicStreams.whole(fullStream() + sse(TEXT_A, "{\"type\":\"error\",\"error\":{}}"));
        assertEquals(Outcome.COMPLETE, run.result().outcome());
        assertEquals(AnthropicStreams.whole(fullStream()).json(), run.json());
    }

    @Test
    void thinkingRedactedAndCitationsKeepTheirShapes() throws Exception
    {
        final String thinkingStart = "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}";
        final String thinking = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}";
        final String signature = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"SIG\"}}";
        final String redacted = "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"xyz\"}}";
        final String textStart = "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"citations\":[],\"type\":\"text\",\"text\":\"\"}}";
        final String cite = "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"type\":\"char_location\",\"cited_text\":\"c\"}}}";
        final String text = "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"t\"}}";
        final String end = "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"###\"},\"usage\":{\"output_tokens\":5}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(START, thinkingStart, thinking, signature, "{\"type\":\"content_block_stop\",\"index\":0}",
            redacted, "{\"type\":\"content_block_stop\",\"index\":1}", textStart, cite, text, "{\"type\":\"content_block_stop\",\"index\":2}", end, MESSAGE_STOP));
        final JsonNode m = MAPPER.readTree(run.json());
        assertEquals(MAPPER.readTree("[{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"SIG\"}," +
            "{\"type\":\"redacted_thinking\",\"data\":\"xyz\"}," +
            "{\"type\":\"text\",\"text\":\"t\",\"citations\":[{\"type\":\"char_location\",\"cited_text\":\"c\"}]}]"), m.get("content"));
        assertEquals("###", m.get("stop_sequence").asText());
        assertEquals("stop_sequence", m.get("stop_reason").asText());
        assertTrue(run.events.events.contains("reasoning 0 hmm"));
        final JsonNode normalized = MAPPER.readTree(run.result().toNormalizedJson());
        assertEquals("stop", normalized.at("/choices/0/finish_reason").asText());
        assertEquals("hmm", normalized.at("/choices/0/reasoning").asText());
    }

    @Test
    void contentInMessageStartAndInitialToolInputAreKept() throws Exception
    {
        final String start = "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"x\",\"role\":\"assistant\",\"content\":[" +
            "{\"type\":\"text\",\"text\":\"pre\"},{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{\"k\":1}}]}}";
        final AnthropicStreams.Run run = AnthropicStreams.whole(sse(start, DELTA, MESSAGE_STOP));
        final JsonNode m = MAPPER.readTree(run.json());
        assertEquals("pre", m.at("/content/0/text").asText());
        assertEquals(MAPPER.readTree("{\"k\":1}"), m.at("/content/1/input"));
        assertNull(m.get("content").get(2));
    }

    @Test
    void autoDetectsAnthropic()
    {
        final StreamAggregator aggregator = StreamAggregator.create(Format.AUTO);
        final byte[] bytes = fullStream().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7)
        {
            aggregator.feed(bytes, i, Math.min(7, bytes.length - i));
        }
        aggregator.end();
        assertEquals(Format.ANTHROPIC, aggregator.format());
        assertEquals(AnthropicStreams.whole(fullStream()).json(), aggregator.result().toJson());
    }
}
