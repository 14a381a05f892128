package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.streamfold.aggregator.AllocationCounter;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Part;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady state allocates (almost) nothing: measured in bytes with the JVM's per-thread allocation
 * counter, never with time. A realistic OpenAI text stream of 10,000 chunks, fed in one slice to a
 * warmed-up, reset aggregator with a listener that reads every delta.
 */
class ChatAllocationTest
{
    private static final int CHUNKS = 10_000;

    @Test
    void plainOpenAiText()
    {
        assertSteadyState("\"index\":0,\"delta\":{\"content\":\"%s\"},\"logprobs\":null,\"finish_reason\":null", true);
    }

    @Test
    void togetherShapeWithTokenIdsTextAndNulls()
    {
        assertSteadyState("\"delta\":{\"content\":\"%s\",\"function_call\":null,\"refusal\":null,\"role\":\"assistant\"," +
            "\"tool_calls\":null,\"token_id\":58},\"finish_reason\":null,\"index\":0,\"logprobs\":null,\"text\":\"%s\",\"seed\":null", true);
    }

    @Test
    void togetherShapeWithAVaryingTokenIdPerChunk()
    {
        assertSteadyState("\"index\":0,\"text\":\"%s\",\"logprobs\":null,\"finish_reason\":null,\"seed\":null," +
            "\"delta\":{\"token_id\":%d,\"role\":\"assistant\",\"content\":\"%s\"}", true);
    }

    @Test
    void aLogprobEntryPerChunk()
    {
        assertSteadyState("\"index\":0,\"delta\":{\"content\":\"%s\"},\"logprobs\":{\"content\":[{\"token\":\"%s\"," +
            "\"logprob\":-0.00%d,\"bytes\":[119,97,114,32],\"top_logprobs\":[]}],\"refusal\":null},\"finish_reason\":null", true);
    }

    /** Azure: every chunk's choice repeats its content filter results, before its index (members in name order). */
    @Test
    void azureContentFilterResultsBeforeTheIndex()
    {
        assertSteadyState("\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}," +
            "\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"}},\"delta\":{\"content\":\"%s\"}," +
            "\"finish_reason\":null,\"index\":0,\"logprobs\":null", true);
    }

    /** Content filter results that change every chunk: each is merged into the kept ones, by the scan and the token reader. */
    @Test
    void contentFilterResultsChangingEveryChunk()
    {
        final String filter = "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}," +
            "\"custom_blocklists\":{\"filtered\":false,\"id\":%d}}";
        assertSteadyState("\"index\":0," + filter + ",\"delta\":{\"content\":\"%s\"},\"finish_reason\":null", true);
        assertSteadyState(filter + ",\"delta\":{\"content\":\"%s\"},\"finish_reason\":null,\"index\":0", true);
    }

    /**
     * A pooled aggregator folds short logprob streams without garbage per stream either: the first entry of each,
     * which the full decoder reads, has its value read without Jackson's String-making conversion.
     */
    @Test
    void shortLogprobStreamsOneAfterAnother()
    {
        final AllocationCounter counter = AllocationCounter.start();
        final StringBuilder sb = new StringBuilder();
        final String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{";
        for (int i = 0; i < 20; i++)
        {
            sb.append(head).append("\"index\":0,\"delta\":{\"content\":\"w").append(i).append("\"},\"logprobs\":{\"content\":[{")
                .append("\"token\":\"w").append(i).append("\",\"logprob\":-0.2").append(i).append(",\"bytes\":[119],\"top_logprobs\":[]}]},")
                .append("\"finish_reason\":null}]}\n\n");
        }
        final byte[] stream = sb.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        final double[] sum = new double[1];
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).listener(new StreamListener()
        {
            @Override
            public void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
            {
                sum[0] += logprob;
            }
        }).build();
        counter.warmFeed(a, stream, 3_000, () -> { });
        final long before = counter.bytes();
        for (int i = 0; i < 100; i++)
        {
            a.reset();
            sum[0] = 0;
            a.feed(stream, 0, stream.length);
            a.end();
        }
        final long allocated = counter.bytes() - before;
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        // -0.20 ... -0.29, then -0.210 ... -0.219.
        assertEquals(-4.595, sum[0], 1e-9);
        assertTrue(allocated < 100 * 16, "allocated " + allocated + " bytes for 100 streams");
    }

    /**
     * Groq's {@code channel}, a delta field kept as a state, is a new field in every stream: a pooled aggregator takes
     * its value holder from the one the last stream left, so short streams one after another make none.
     */
    @Test
    void groqChannelStreamsOneAfterAnother()
    {
        final AllocationCounter counter = AllocationCounter.start();
        final StringBuilder sb = new StringBuilder();
        final String head = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{";
        for (int i = 0; i < 20; i++)
        {
            sb.append(head).append("\"index\":0,\"delta\":{\"reasoning\":\"w").append(i)
                .append("\",\"channel\":\"analysis\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        }
        final byte[] stream = sb.append("data: [DONE]\n\n").toString().getBytes(StandardCharsets.UTF_8);
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).build();
        counter.warmFeed(a, stream, 3_000, () -> { });
        final long before = counter.bytes();
        for (int i = 0; i < 100; i++)
        {
            a.reset();
            a.feed(stream, 0, stream.length);
            a.end();
        }
        final long allocated = counter.bytes() - before;
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals("\"analysis\"", a.result().choices().get(0).messageExtra().json("channel"));
        assertTrue(allocated < 100 * 16, "allocated " + allocated + " bytes for 100 streams");
    }

    @Test
    void deltaBeforeIndexAsAzureAndQwenSendIt()
    {
        assertSteadyState("\"delta\":{\"content\":\"%s\"},\"finish_reason\":null,\"index\":0,\"logprobs\":null", true);
    }

    @Test
    void toolCallArgumentFragments()
    {
        assertSteadyState("\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"%s\"}}]}," +
            "\"logprobs\":null,\"finish_reason\":null", false);
    }

    private static void assertSteadyState(final String choiceBody, final boolean text)
    {
        final AllocationCounter counter = AllocationCounter.start();
        final byte[] stream = stream(choiceBody);
        final long[] seen = new long[1];
        final StreamAggregator a = StreamAggregator.builder().format(Format.OPENAI_CHAT).listener(new StreamListener()
        {
            @Override
            public void onTextDelta(final int choice, final CharSequence text)
            {
                seen[0] += text.length();
            }
        }).build();
        final long allocated = counter.warmFeed(a, stream, 20, () -> seen[0] = 0);

        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals(List.of(), a.result().errors());
        if (text)
        {
            assertEquals(CHUNKS * 4L, seen[0]);
            assertEquals(CHUNKS * 4, a.result().choice(0).joined(Part.Kind.TEXT).length());
        }
        else
        {
            assertEquals(CHUNKS * 4, a.result().choice(0).toolCalls().get(0).text().length());
        }
        final double perChunk = allocated / (double)CHUNKS;
        assertTrue(perChunk < 64, "allocated " + allocated + " bytes for " + CHUNKS + " chunks: " + perChunk + " per chunk");
    }

    private static byte[] stream(final String choiceBody)
    {
        final StringBuilder sb = new StringBuilder();
        final String head = "data: {\"id\":\"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL\",\"object\":\"chat.completion.chunk\"," +
            "\"created\":1727346168,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_5050236cbd\",\"choices\":[{";
        sb.append(head).append("\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"refusal\":null," +
            "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}," +
            "\"logprobs\":null,\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < CHUNKS; i++)
        {
            final String word = "w" + (char)('a' + i % 26) + "r ";
            sb.append(head).append(choiceBody.replace("%s", word).replace("%d", Integer.toString(1000 + i))).append("}]}\n\n");
        }
        sb.append(head).append("\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n");
        sb.append("data: {\"id\":\"chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL\",\"object\":\"chat.completion.chunk\",\"created\":1727346168," +
            "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":30,\"total_tokens\":44}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
