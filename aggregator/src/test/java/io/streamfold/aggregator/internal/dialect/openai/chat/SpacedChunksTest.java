package io.streamfold.aggregator.internal.dialect.openai.chat;

import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chunks written with spaces after every colon and comma (Python's {@code json.dumps} defaults, as several
 * OpenAI-compatible servers send them): the fast path compares the spaced bytes up to each slot at once, and must
 * still place every slot, and every kept logprob entry, exactly where the full decoder reads it.
 */
class SpacedChunksTest
{
    @Test
    void spacedLogprobEntriesAreKeptAsTheFullDecoderKeepsThem()
    {
        final StringBuilder sse = new StringBuilder();
        for (int i = 0; i < 24; i++)
        {
            final String token = i % 5 == 4 ? "tok " + i + " ü" : "t" + i;
            sse.append("data: {\"id\": \"c\", \"object\": \"chat.completion.chunk\", \"choices\": [{\"index\": 0, ")
                .append("\"delta\": {\"content\": \"").append(token).append("\"}, \"logprobs\": {\"content\": [{")
                .append("\"token\": \"").append(token).append("\", \"logprob\": -0.").append(1000 + i * 37)
                .append(", \"bytes\": [116, ").append(48 + i % 10).append("], \"top_logprobs\": [")
                .append(i % 3 == 0 ? "" : "{\"token\": \"x\", \"logprob\": -" + i + ".5, \"bytes\": null}")
                .append("]}]}, \"finish_reason\": null}]").append(i % 7 == 6 ? ",  \"usage\": null" : ", \"usage\": null")
                .append("}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        final byte[] bytes = sse.toString().getBytes(StandardCharsets.UTF_8);
        FastPathRun.assertInvisible(Format.OPENAI_CHAT, bytes, "spaced logprobs", AggregationLimits.DEFAULT,
            AggregationLimits.builder().maxRawBytes(40).build());
        final FastPathRun fast = FastPathRun.of(Format.OPENAI_CHAT, bytes, AggregationLimits.DEFAULT, false, false, 0, true);
        assertTrue(fast.folds > 10, "the fast path folds most spaced chunks: " + fast.folds);
    }
}
