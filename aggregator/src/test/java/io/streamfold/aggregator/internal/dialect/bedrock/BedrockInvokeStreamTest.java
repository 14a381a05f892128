package io.streamfold.aggregator.internal.dialect.bedrock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.testkit.EventStreamEncoder;
import io.streamfold.testkit.JsonTree;
import org.junit.jupiter.api.Test;

import static io.streamfold.testkit.EventStreamEncoder.concat;
import static io.streamfold.testkit.EventStreamEncoder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bedrock's {@code InvokeModelWithResponseStream}: eventstream {@code chunk} messages, each the base64 of one model
 * event. A Claude model's are Anthropic Messages events: AUTO takes the stream for Anthropic's and it folds as the
 * same events sent as SSE do. Nova's are Converse-shaped ({@code {"contentBlockDelta":{...}}}): it folds as the same
 * events sent by ConverseStream do.
 */
class BedrockInvokeStreamTest
{
    private static byte[] chunk(final String modelEvent)
    {
        final String base64 = Base64.getEncoder().encodeToString(modelEvent.getBytes(StandardCharsets.UTF_8));
        return event("chunk", "{\"bytes\":\"" + base64 + "\",\"p\":\"abcdefghij\"}");
    }

    private static Aggregate fold(final Format format, final byte[] bytes, final int slice)
    {
        final StreamAggregator aggregator = StreamAggregator.builder().format(format).build();
        for (int at = 0; at < bytes.length; at += slice)
        {
            aggregator.feed(bytes, at, Math.min(slice, bytes.length - at));
        }
        aggregator.end();
        return aggregator.result();
    }

    private static final String[] CLAUDE = {
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\"," +
            "\"model\":\"claude-3-5-sonnet-20240620\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," +
            "\"usage\":{\"input_tokens\":702,\"output_tokens\":1}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Of\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" course \\u00e9\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_bdrk_1\"," +
            "\"name\":\"get_weather\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
        "{\"type\":\"content_block_stop\",\"index\":1}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":98}}",
        "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":702,\"outputTokenCount\":98," +
            "\"invocationLatency\":3042,\"firstByteLatency\":791}}",
    };

    private static byte[] claudeInvoke(final int events)
    {
        final List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < events; i++)
        {
            chunks.add(chunk(CLAUDE[i]));
        }
        return concat(chunks.toArray(new byte[0][]));
    }

    private static byte[] claudeSse()
    {
        final StringBuilder sse = new StringBuilder();
        for (final String e : CLAUDE)
        {
            final String type = e.substring(9, e.indexOf('"', 9));
            sse.append("event: ").append(type).append("\ndata: ").append(e).append("\n\n");
        }
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aClaudeInvokeStreamFoldsAsItsEventsSentAsSse()
    {
        final byte[] invoke = claudeInvoke(CLAUDE.length);
        final Aggregate sse = fold(Format.ANTHROPIC, claudeSse(), Integer.MAX_VALUE);
        final Random random = new Random(5);
        for (final Format format : new Format[] {Format.AUTO, Format.ANTHROPIC})
        {
            for (int round = 0; round < 5; round++)
            {
                final int slice = round == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(round == 1 ? 3 : 300);
                final Aggregate a = fold(format, invoke, slice);
                assertEquals(List.of(), a.errors(), format + " " + slice);
                assertEquals(Format.ANTHROPIC, a.format());
                assertEquals(Outcome.COMPLETE, a.outcome());
                assertEquals(sse.toJson(), a.toJson(), format + " " + slice);
                assertEquals(sse.toNormalizedJson(), a.toNormalizedJson());
            }
        }
        final Aggregate a = fold(Format.AUTO, invoke, 17);
        assertEquals("Of course \u00e9", a.choice(0).parts().get(0).text().toString());
        final Part call = a.choice(0).toolCalls().get(0);
        assertEquals("{\"city\": \"Paris\"}", call.text().toString());
        assertEquals(702, a.usage().inputTokens());
        assertEquals(98, a.usage().outputTokens());
        FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, invoke, new Random(9), "claude invoke");
    }

    @Test
    void anExceptionEndsTheInvokeStreamKeepingWhatCameBefore()
    {
        final byte[] stream = concat(claudeInvoke(4),
            EventStreamEncoder.exception("modelStreamErrorException", "{\"message\":\"Model stream broke\",\"originalStatusCode\":500}"));
        final Aggregate a = fold(Format.AUTO, stream, 9);
        assertEquals(Format.ANTHROPIC, a.format());
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals("modelStreamErrorException", JsonTree.at(JsonTree.parse(a.providerError().json()), "type"));
        assertEquals("Of course \u00e9", a.choice(0).parts().get(0).text().toString());
    }

    @Test
    void anErrorMessageWithAnEmptyPayloadEndsAClaudeInvokeStreamAsItEndsConverseStream()
    {
        final byte[] stream = concat(claudeInvoke(3), EventStreamEncoder.error("InternalServerError", "boom"));
        final Aggregate a = fold(Format.ANTHROPIC, stream, Integer.MAX_VALUE);
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals("InternalServerError", JsonTree.at(JsonTree.parse(a.providerError().json()), "type"));
        assertEquals("boom", JsonTree.at(JsonTree.parse(a.providerError().json()), "message"));
    }

    @Test
    void anExceptionWhosePayloadLooksLikeALearntDeltaIsStillTheException()
    {
        // After repeated deltas the fast path has learnt one: an exception carrying such JSON must not fold as text.
        final List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            chunks.add(chunk(CLAUDE[i]));
        }
        for (int i = 0; i < 6; i++)
        {
            chunks.add(chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + i + "\"}}"));
        }
        chunks.add(EventStreamEncoder.exception("throttlingException",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"X\"}}"));
        final byte[] stream = concat(chunks.toArray(new byte[0][]));
        for (final boolean fast : new boolean[] {false, true})
        {
            final FastPathRun run = FastPathRun.of(Format.ANTHROPIC, stream, io.streamfold.aggregator.AggregationLimits.DEFAULT, false, false,
                0, fast);
            assertEquals(Outcome.ERROR, run.outcome, "fast path " + fast);
            assertTrue(run.normalized.contains("\"text\":\"Of012345\""), run.normalized);
        }
        FastPathRun.assertSameFedEveryWay(Format.ANTHROPIC, stream, new Random(21), "exception after learnt deltas");
    }

    @Test
    void aFirstMessagePastTheSniffWindowIsDecidedTheSameWayHoweverSliced()
    {
        final String big = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"," +
            "\"model\":\"claude\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1},\"pad\":\"" + "x".repeat(60000) + "\"}}";
        final byte[] stream = concat(chunk(big), chunk(CLAUDE[1]), chunk(CLAUDE[2]));
        final Format whole = fold(Format.AUTO, stream, Integer.MAX_VALUE).format();
        for (final int slice : new int[] {4096, 1000, 65536})
        {
            assertEquals(whole, fold(Format.AUTO, stream, slice).format(), "slice " + slice);
        }
    }

    @Test
    void readAsBedrockAClaudeInvokeStreamSaysWhichFormatItIs()
    {
        final Aggregate a = fold(Format.BEDROCK, claudeInvoke(CLAUDE.length), Integer.MAX_VALUE);
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
        assertTrue(a.errors().get(0).message().contains("format anthropic"), a.errors().toString());
        assertEquals(0, a.choices().size());
    }

    @Test
    void aNovaInvokeStreamFoldsAsTheSameEventsFromConverseStream()
    {
        final String[][] events = {
            {"messageStart", "{\"role\":\"assistant\"}"},
            {"contentBlockDelta", "{\"delta\":{\"text\":\"On\"},\"contentBlockIndex\":0}"},
            {"contentBlockDelta", "{\"delta\":{\"text\":\" their first\"},\"contentBlockIndex\":0}"},
            {"contentBlockStop", "{\"contentBlockIndex\":0}"},
            {"messageStop", "{\"stopReason\":\"end_turn\"}"},
            {"metadata", "{\"usage\":{\"inputTokens\":30,\"outputTokens\":55},\"metrics\":{},\"trace\":{}}"},
        };
        final List<byte[]> invoke = new ArrayList<>();
        final List<byte[]> converse = new ArrayList<>();
        for (final String[] e : events)
        {
            // Bedrock adds its own members beside the event in an invoke chunk: kept as the response's top-level fields.
            final String extra = e[0].equals("metadata") ? ",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":30," +
                "\"outputTokenCount\":55}" : e[0].equals("contentBlockDelta") ? ",\"amazon-bedrock-guardrailAction\":\"NONE\"" : "";
            invoke.add(chunk("{\"" + e[0] + "\":" + e[1] + extra + "}"));
            converse.add(event(e[0], e[1]));
        }
        final byte[] invokeBytes = concat(invoke.toArray(new byte[0][]));
        final String expected = fold(Format.BEDROCK, concat(converse.toArray(new byte[0][])), Integer.MAX_VALUE).toJson()
            .replace(",\"metrics\"", ",\"amazon-bedrock-guardrailAction\":\"NONE\",\"amazon-bedrock-invocationMetrics\":" +
                "{\"inputTokenCount\":30,\"outputTokenCount\":55},\"metrics\"");
        for (final int slice : new int[] {Integer.MAX_VALUE, 1, 7, 64})
        {
            final Aggregate a = fold(Format.AUTO, invokeBytes, slice);
            assertEquals(Format.BEDROCK, a.format());
            assertEquals(List.of(), a.errors());
            assertEquals(expected, a.toJson(), "slice " + slice);
        }
        assertEquals("On their first", fold(Format.AUTO, invokeBytes, 5).choice(0).parts().get(0).text().toString());
        FastPathRun.assertSameFedEveryWay(Format.BEDROCK, invokeBytes, new Random(4), "nova invoke");
    }

    @Test
    void aChunkOfAnotherModelFamilyIsReportedNotFolded()
    {
        // Titan's invoke chunks hold {"outputText": ...}: no event this dialect reads.
        final Aggregate a = fold(Format.BEDROCK, chunk("{\"outputText\":\"Hi\",\"index\":0,\"completionReason\":\"FINISH\"}"),
            Integer.MAX_VALUE);
        assertEquals(ErrorKind.MALFORMED_JSON, a.errors().get(0).kind());
        assertTrue(a.errors().get(0).message().contains("outputText"), a.errors().toString());
    }

    @Test
    void theRealClaudeRecordingFoldsToWhatItSays() throws Exception
    {
        final Path dir = Paths.get(BedrockInvokeStreamTest.class.getResource("invoke").toURI());
        final String name = "claude-3-5-sonnet-invoke-stream";
        final byte[] body = HexFormat.of().parseHex(
            Files.readString(dir.resolve(name + ".eventstream.hex"), StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        final Map<String, Object> expected = JsonTree.object(Files.readString(dir.resolve(name + ".expected.json"), StandardCharsets.UTF_8));
        final Random random = new Random(2);
        for (int round = 0; round < 6; round++)
        {
            final int slice = round == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(round < 3 ? 5 : 500);
            final Aggregate a = fold(Format.AUTO, body, slice);
            assertEquals(List.of(), a.errors());
            assertEquals(Outcome.COMPLETE, a.outcome());
            final Object json = JsonTree.parse(a.toJson());
            assertEquals(expected.get("id"), JsonTree.at(json, "id"));
            assertEquals(expected.get("stop_reason"), JsonTree.at(json, "stop_reason"));
            assertEquals(JsonTree.parse(JsonTree.write(expected.get("usage"))), JsonTree.at(json, "usage"));
            assertEquals(JsonTree.parse(JsonTree.write(expected.get("blocks"))), JsonTree.at(json, "content"), "slice " + slice);
        }
    }
}
