package io.streamfold.aggregator;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * A number limit under what the byte scans allow: a fast path must refuse what the full decoder refuses (a number
 * slot that grows past {@code maxNumberLength}, a long number inside a kept object), not fold it.
 */
class NumberLimitFastPathTest
{
    private static final AggregationLimits SHORT_NUMBERS = AggregationLimits.builder().maxNumberLength(3).build();

    @Test
    void chatTokenIdsAndLogprobsGrowPastTheLimit()
    {
        final StringBuilder sse = new StringBuilder();
        String id = "";
        for (int i = 1; i <= 6; i++)
        {
            id += i;
            sse.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":")
                .append("{\"content\":\"t").append(i).append("\",\"token_id\":").append(id).append("},\"logprobs\":")
                .append("{\"content\":[{\"token\":\"t").append(i).append("\",\"logprob\":-0.").append(id)
                .append(",\"bytes\":[116],\"top_logprobs\":[]}]},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        assertInvisible(Format.OPENAI_CHAT, sse.toString());
    }

    @Test
    void geminiUsageCountsGrowPastTheLimit()
    {
        final StringBuilder sse = new StringBuilder();
        String n = "";
        for (int i = 1; i <= 6; i++)
        {
            n += i;
            sse.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"t").append(i)
                .append("\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 5,")
                .append("\"candidatesTokenCount\": ").append(n).append(",\"totalTokenCount\": ").append(n)
                .append("},\"modelVersion\": \"gemini-2.5-flash\"}\r\n\r\n");
        }
        assertInvisible(Format.GEMINI, sse.toString());
    }

    @Test
    void ollamaCountsGrowPastTheLimit()
    {
        final StringBuilder lines = new StringBuilder();
        String n = "";
        for (int i = 1; i <= 6; i++)
        {
            n += i;
            lines.append("{\"model\":\"m\",\"created_at\":\"2025-01-01T00:00:0").append(i).append(".1Z\",\"message\":")
                .append("{\"role\":\"assistant\",\"content\":\"t").append(i).append("\"},\"done\":false,\"eval_count\":")
                .append(n).append("}\n");
        }
        assertInvisible(Format.OLLAMA, lines.toString());
    }

    private static void assertInvisible(final Format format, final String stream)
    {
        FastPathRun.assertInvisible(format, stream.getBytes(StandardCharsets.UTF_8), format.name(), SHORT_NUMBERS,
            AggregationLimits.builder().maxNumberLength(5).build(), AggregationLimits.DEFAULT);
    }
}
