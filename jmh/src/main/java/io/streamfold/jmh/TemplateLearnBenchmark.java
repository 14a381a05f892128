package io.streamfold.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.EventShape;
import io.streamfold.aggregator.internal.fold.EventTemplate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What learning one event costs an {@link EventTemplate}: the fixed price every repeated-event fast path pays per
 * stream (or per switch of event shape) before its first fold, and so a large part of a short stream's cost (a
 * three-chunk Gemini answer learns once; an OpenAI Responses stream once per delta type and part). Each event is a
 * real one's shape: a Responses text delta, a Gemini candidate chunk (spaced as Gemini spaces it) and a Together
 * chunk with its token id and its text twice; each is learnt with the slots its dialect gives it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class TemplateLearnBenchmark
{
    /** Which event is learnt. */
    @Param({ "responses-delta", "gemini-chunk", "together-chunk" })
    public String event;

    private final EventTemplate template = new EventTemplate(AggregationLimits.DEFAULT);
    private byte[] bytes;
    private EventShape shape;

    /** Builds the event and its shape, and checks that it is learnt. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final String json;
        switch (event)
        {
            case "responses-delta":
                json = "{\"type\":\"response.output_text.delta\",\"sequence_number\":13,\"item_id\":" +
                    "\"msg_00a60507bf41223d0068c9d30b055481a0b0ee28a021919c94\",\"output_index\":3,\"content_index\":0," +
                    "\"delta\":\"San Francisco\",\"logprobs\":[],\"obfuscation\":\"mCl\"}";
                shape = EventShape.of(3).string("delta").integer("sequence_number").raw("obfuscation").build();
                break;
            case "gemini-chunk":
                json = "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" capital of France\"}],\"role\": \"model\"}}]," +
                    "\"usageMetadata\": {\"promptTokenCount\": 15,\"totalTokenCount\": 15,\"promptTokensDetails\": " +
                    "[{\"modality\": \"TEXT\",\"tokenCount\": 15}]},\"modelVersion\": \"gemini-2.0-flash-exp\"," +
                    "\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}";
                shape = EventShape.of(0).string("candidates", EventShape.ONLY, "content", "parts", EventShape.ONLY, "text")
                    .number("usageMetadata", "promptTokenCount").number("usageMetadata", "totalTokenCount")
                    .literal("usageMetadata", "promptTokensDetails").build();
                break;
            case "together-chunk":
                json = "{\"id\":\"oV1nHvx-28Eivz-9c4b16f37c27e605\",\"object\":\"chat.completion.chunk\",\"created\":1769546683," +
                    "\"choices\":[{\"index\":0,\"text\":\" the\",\"logprobs\":null,\"finish_reason\":null,\"seed\":null," +
                    "\"delta\":{\"token_id\":270,\"role\":\"assistant\",\"content\":\" the\"}}],\"model\":\"deepseek-ai/DeepSeek-R1\"," +
                    "\"usage\":null}";
                shape = EventShape.of(0).string("choices", EventShape.ONLY, "text")
                    .integer("choices", EventShape.ONLY, "delta", "token_id")
                    .sameString(0, "choices", EventShape.ONLY, "delta", "content").build();
                break;
            default:
                throw new IllegalArgumentException("unknown event " + event);
        }
        bytes = json.getBytes(StandardCharsets.UTF_8);
        if (!learn())
        {
            throw new IllegalStateException(event + " is not learnt: the benchmark would measure a refusal");
        }
    }

    /** One event learnt, from its bytes to a template ready to match. */
    @Benchmark
    public boolean learn()
    {
        return template.learn(bytes, 0, bytes.length, shape);
    }
}
