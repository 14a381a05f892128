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
}
