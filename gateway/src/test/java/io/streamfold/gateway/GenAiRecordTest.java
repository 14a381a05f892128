package io.streamfold.gateway;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenAiRecordTest
{
    static
    {
        LeakCheck.install();
    }

    /** A clock that moves only when told. */
    private static final class ManualClock implements TapClock
    {
        long nanos = 1_000_000_000L;

        @Override
        public long nanoTime()
        {
            return nanos;
        }

        @Override
        public long epochMillis()
        {
            return 1_700_000_000_000L;
        }
    }

    private static void feed(final StreamTap tap, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tap.feed(bytes, 0, bytes.length);
    }

    @Test
    void timesComeFromTheClockAndTheRoleOnlyChunkIsNotAToken() throws Exception
    {
        final ManualClock clock = new ManualClock();
        final TapPool pool = new TapPool(io.streamfold.aggregator.AggregationLimits.DEFAULT, clock, 4);
        final StreamTap tap = pool.acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", "gpt-x", 42);
        clock.nanos += 100_000_000L;
        tap.responseHead(200, "text/event-stream");
        clock.nanos += 50_000_000L;
        feed(tap, "data: {\"id\":\"c1\",\"model\":\"gpt-x-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
        clock.nanos += 200_000_000L;
        feed(tap, "data: {\"id\":\"c1\",\"model\":\"gpt-x-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n");
        clock.nanos += 700_000_000L;
        feed(tap, "data: {\"id\":\"c1\",\"model\":\"gpt-x-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}\n\n");
        clock.nanos += 10_000_000L;
        feed(tap, "data: {\"id\":\"c1\",\"model\":\"gpt-x-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]," +
            "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\ndata: [DONE]\n\n");
        clock.nanos += 40_000_000L;
        final GenAiRecord r = tap.finish(null);
        tap.release();

        assertEquals(100_000_000L, r.timeToFirstByteNanos());
        assertEquals(350_000_000L, r.timeToFirstTokenNanos(), "the role-only chunk is not the first token");
        assertEquals(700_000_000L, r.maxInterTokenGapNanos());
        assertEquals(1_100_000_000L, r.durationNanos());
        final JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals("openai", json.get("gen_ai.provider.name").asText());
        assertEquals("gpt-x", json.get("gen_ai.request.model").asText());
        assertEquals("gpt-x-1", json.get("gen_ai.response.model").asText());
        assertEquals("c1", json.get("gen_ai.response.id").asText());
        assertEquals(5, json.get("gen_ai.usage.input_tokens").asLong());
        assertEquals(2, json.get("gen_ai.usage.output_tokens").asLong());
        assertFalse(json.has("gen_ai.usage.cache_read.input_tokens"), "not reported, not written");
        assertEquals("final", json.get("streamfold.usage.source").asText());
        assertEquals("length", json.get("gen_ai.response.finish_reasons").get(0).asText());
        assertEquals("length", json.get("streamfold.finish_reasons.normalized").get(0).asText());
        assertEquals("complete", json.get("streamfold.outcome").asText());
        assertFalse(json.has("error.type"));
        assertEquals(0.35, json.get("gen_ai.server.time_to_first_token").asDouble(), 1e-9);
        assertEquals(1_700_000_000_000L, json.get("start_time_unix_ms").asLong());
        assertEquals(42, json.get("http.request.body.size").asLong());
        assertThrows(UnsupportedOperationException.class, () -> r.finishReasons().add("x"), "immutable");
    }

    @Test
    void callsTheProviderRanItselfAreListedApartFromTheClients() throws Exception
    {
        final StreamTap tap = new TapPool().acquire(Format.ANTHROPIC).start("/v1/messages", null, 0);
        tap.responseHead(200, "text/event-stream");
        feed(tap, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\"," +
            "\"content\":[],\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\"," +
            "\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\"," +
            "\"partial_json\":\"{\\\"query\\\":\\\"q\\\"}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\"," +
            "\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\"," +
            "\"partial_json\":\"{}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        final GenAiRecord r = tap.finish(null);
        tap.release();
        assertEquals(java.util.List.of("get_weather"), r.toolCallNames());
        assertEquals(1, r.toolCallCount());
        assertEquals(2, r.toolCallArgumentBytes(), "the client's call's arguments only");
        assertEquals(java.util.List.of("web_search"), r.serverToolCallNames());
        final JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals("web_search", json.get("streamfold.server_tool_calls.names").get(0).asText());
        assertEquals(1, json.get("streamfold.tool_calls.count").asInt());
    }

    @Test
    void anthropicCutAfterMessageStartHasProvisionalUsage()
    {
        final StreamTap tap = new TapPool().acquire(Format.ANTHROPIC).start("/v1/messages", null, 0);
        tap.responseHead(200, "text/event-stream");
        feed(tap, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\"," +
            "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":3,\"cache_read_input_tokens\":4,\"output_tokens\":1}}}\n\n");
        final GenAiRecord r = tap.finish(GatewayOutcome.UPSTREAM_RESET);
        tap.release();
        assertEquals(GatewayOutcome.UPSTREAM_RESET, r.outcome());
        assertEquals(UsageSource.PROVISIONAL, r.usageSource());
        assertEquals(19, r.inputTokens(), "the convention's input includes cache reads and writes");
        assertEquals(4, r.cacheReadInputTokens());
        assertEquals(3, r.cacheCreationInputTokens());
        assertEquals("anthropic", r.providerName());
        assertTrue(r.toJson().contains("\"error.type\":\"upstream_reset\""));
    }

    @Test
    void finalUsageStaysFinalWhenTheConnectionIsCutAfterIt()
    {
        // The aggregator decides provenance: the report came with the finish, so a reset before [DONE] does
        // not make it provisional (the record used to say provisional for anything not complete).
        final StreamTap tap = new TapPool().acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", null, 0);
        tap.responseHead(200, "text/event-stream");
        feed(tap, "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n");
        final GenAiRecord r = tap.finish(GatewayOutcome.UPSTREAM_RESET);
        tap.release();
        assertEquals(GatewayOutcome.UPSTREAM_RESET, r.outcome());
        assertEquals(UsageSource.FINAL, r.usageSource());
        assertEquals(1, r.outputTokens());
    }

    @Test
    void usageReportedOnlyBeforeTheEndIsProvisionalEvenWhenTheStreamCompletes()
    {
        // An Anthropic stream whose message_delta carries no usage: the message_start placeholder output count
        // is all there is, and the record used to call it final because the stream completed.
        final StreamTap anthropic = new TapPool().acquire(Format.ANTHROPIC).start("/v1/messages", null, 0);
        anthropic.responseHead(200, "text/event-stream");
        feed(anthropic, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"c\"," +
            "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        final GenAiRecord placeholder = anthropic.finish(null);
        anthropic.release();
        assertEquals(GatewayOutcome.COMPLETE, placeholder.outcome());
        assertEquals(UsageSource.PROVISIONAL, placeholder.usageSource());

        // Gemini reports running usageMetadata in every chunk; one without the finish is not the final count.
        final StreamTap tap = new TapPool().acquire(Format.GEMINI).start("/v1beta/models/g:streamGenerateContent", null, 0);
        tap.responseHead(200, "text/event-stream");
        feed(tap, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}}\n\n");
        final GenAiRecord cut = tap.finish(null);
        tap.release();
        assertEquals(GatewayOutcome.TRUNCATED, cut.outcome());
        assertEquals(UsageSource.PROVISIONAL, cut.usageSource());

        final StreamTap whole = new TapPool().acquire(Format.GEMINI).start("/v1beta/models/g:streamGenerateContent", null, 0);
        whole.responseHead(200, "text/event-stream");
        feed(whole, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"},\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}}\n\n" +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2}}\n\n");
        final GenAiRecord r = whole.finish(null);
        whole.release();
        assertEquals(GatewayOutcome.COMPLETE, r.outcome());
        assertEquals(UsageSource.FINAL, r.usageSource());
        assertEquals(2, r.outputTokens());
    }

    @Test
    void aJsonDocumentHasFinalUsageOnlyWhenReadWhole()
    {
        final String document = "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"usage\":{\"prompt_tokens\":5," +
            "\"completion_tokens\":1,\"total_tokens\":6},\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"," +
            "\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}";
        final StreamTap whole = new TapPool().acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", null, 0);
        whole.responseHead(200, "application/json");
        feed(whole, document);
        final GenAiRecord r = whole.finish(null);
        whole.release();
        assertEquals(GatewayOutcome.COMPLETE, r.outcome());
        assertEquals(UsageSource.FINAL, r.usageSource());

        final StreamTap cut = new TapPool().acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", null, 0);
        cut.responseHead(200, "application/json");
        feed(cut, document.substring(0, document.indexOf("\"choices\"")));
        final GenAiRecord c = cut.finish(GatewayOutcome.UPSTREAM_RESET);
        cut.release();
        assertEquals(5, c.inputTokens());
        assertEquals(UsageSource.PROVISIONAL, c.usageSource());

        // Read whole, then the client went away: the document's usage is still the provider's final word.
        final StreamTap aborted = new TapPool().acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", null, 0);
        aborted.responseHead(200, "application/json");
        feed(aborted, document);
        final GenAiRecord a = aborted.finish(GatewayOutcome.CLIENT_ABORTED);
        aborted.release();
        assertEquals(GatewayOutcome.CLIENT_ABORTED, a.outcome());
        assertEquals(UsageSource.FINAL, a.usageSource());
    }

    @Test
    void tokensInOneBufferAreTimedWithItAndHaveNoGapBetweenThem()
    {
        final ManualClock clock = new ManualClock();
        final StreamTap tap = new TapPool(AggregationLimits.DEFAULT, clock, 4).acquire(Format.OPENAI_CHAT)
            .start("/v1/chat/completions", null, 0);
        tap.responseHead(200, "text/event-stream");
        clock.nanos += 30;
        feed(tap, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n" +
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n\n");
        clock.nanos += 10;
        final GenAiRecord r = tap.finish(null);
        tap.release();
        assertEquals(30, r.timeToFirstTokenNanos());
        assertEquals(0, r.maxInterTokenGapNanos());

        final StreamTap one = new TapPool(AggregationLimits.DEFAULT, clock, 4).acquire(Format.OPENAI_CHAT)
            .start("/v1/chat/completions", null, 0);
        one.responseHead(200, "text/event-stream");
        feed(one, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n");
        final GenAiRecord single = one.finish(null);
        one.release();
        assertEquals(-1, single.maxInterTokenGapNanos(), "one token: no gap");
    }

    @Test
    void aBoundListenerHearsToolArgumentFieldsAndCanStopOnOne()
    {
        final java.util.List<String> fields = new java.util.ArrayList<>();
        final StreamTap tap = new TapPool().acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", null, 0);
        tap.listener(new io.streamfold.aggregator.event.StreamListener()
        {
            @Override
            public boolean wantsToolArgumentFields()
            {
                return true;
            }

            @Override
            public void onToolArgumentField(final int choice, final int toolIndex, final CharSequence pointer,
                final CharSequence rawValue)
            {
                fields.add(pointer + "=" + rawValue);
                if (pointer.toString().equals("/path"))
                {
                    throw new IllegalStateException("no /etc");
                }
            }
        });
        tap.responseHead(200, "text/event-stream");
        feed(tap, "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\"," +
            "\"function\":{\"name\":\"read\",\"arguments\":\"{\\\"path\\\":\\\"/etc\\\"\"}}]}}]}\n\n");
        feed(tap, "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}," +
            "\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n");
        final GenAiRecord r = tap.finish(null);
        tap.release();
        assertEquals(java.util.List.of("/path=\"/etc\""), fields);
        assertEquals(GatewayOutcome.POLICY_STOP, r.outcome());
        assertTrue(r.stopReason().contains("no /etc"), r.stopReason());
    }
}
