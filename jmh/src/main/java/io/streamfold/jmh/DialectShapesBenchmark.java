package io.streamfold.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.openai.core.ObjectMappers;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
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

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.StreamAggregator;

/**
 * Every dialect on a generated stream of 1,000 events of its typical shape, bytes to final result (pooled
 * aggregator, 16 KiB slices), in one run so the figures compare: OpenAI chat text chunks (the reference),
 * Anthropic text deltas (padded as the API pads them), Responses {@code output_text.delta} events (sequence
 * number, item id, empty logprobs, random-length obfuscation), Gemini SSE chunks (one candidate, one text
 * part, the usage object growing on every chunk), Ollama {@code /api/chat} lines (a new {@code created_at} on
 * every line), Bedrock {@code contentBlockDelta} with its
 * random-length {@code p} padding (eventstream). {@code openAiJavaResponses} is openai-java's
 * {@code ResponseAccumulator} on the Responses stream (each event read into a {@code ResponseStreamEvent} with
 * the SDK's mapper, then accumulated), the peer for that dialect; the Anthropic SDK peer runs in
 * {@link AnthropicAggregationBenchmark} ({@code -p stream=generated}).
 *
 * <pre>
 * java -jar jmh/target/benchmarks.jar 'DialectShapesBenchmark|AnthropicAggregationBenchmark' -p stream=generated -prof gc
 * </pre>
 * The {@code bytes} secondary score is input bytes per second; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} divided by the events printed at setup is B/event.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class DialectShapesBenchmark
{
    static final int EVENTS = 1_000;

    /** Which dialect's shape. */
    @Param({ "openai-chat-text", "anthropic", "openai-responses", "gemini", "ollama", "bedrock" })
    public String shape;

    private byte[] bytes;
    private Format format;
    private StreamAggregator aggregator;
    private ResponsesSdk responsesSdk;

    /** Builds the stream and checks that it folds completely and without errors. */
    @Setup(Level.Trial)
    public void setUp()
    {
        switch (shape)
        {
            case "openai-chat-text":
                bytes = ChatAggregationBenchmark.ChatStreams.textStream(EVENTS);
                format = Format.OPENAI_CHAT;
                break;
            case "anthropic":
                bytes = AnthropicAggregationBenchmark.generated(EVENTS);
                format = Format.ANTHROPIC;
                break;
            case "openai-responses":
                bytes = responsesStream(EVENTS, 7);
                format = Format.OPENAI_RESPONSES;
                responsesSdk = new ResponsesSdk();
                break;
            case "gemini":
                bytes = geminiStream(EVENTS, 11);
                format = Format.GEMINI;
                break;
            case "ollama":
                bytes = ollamaStream(EVENTS, 13);
                format = Format.OLLAMA;
                break;
            case "bedrock":
                bytes = CorpusAggregationBenchmark.bedrockStream(EVENTS, 42);
                format = Format.BEDROCK;
                break;
            default:
                throw new IllegalArgumentException(shape);
        }
        aggregator = StreamAggregator.create(format);
        final Aggregate result = streamfold(new CorpusAggregationBenchmark.Volume());
        if (result.outcome() != Outcome.COMPLETE || !result.errors().isEmpty() ||
            result.choice(0).joined(Part.Kind.TEXT).length() < EVENTS)
        {
            throw new IllegalStateException(shape + " did not fold cleanly: " + result.outcome() + " " + result.errors());
        }
        if (responsesSdk != null)
        {
            final Response sdk = openAiJavaResponses(new CorpusAggregationBenchmark.Volume());
            final String text = sdk.output().get(0).asMessage().content().get(0).asOutputText().text();
            if (!text.contentEquals(result.choice(0).joined(Part.Kind.TEXT)))
            {
                throw new IllegalStateException("openai-java folded another text");
            }
        }
        System.out.println("\n" + shape + ": " + bytes.length + " bytes, " + EVENTS + " delta events (" +
            bytes.length / EVENTS + " B/event on the wire)");
    }

    /** The stream, bytes to final result, through the pooled aggregator. */
    @Benchmark
    public Aggregate streamfold(final CorpusAggregationBenchmark.Volume volume)
    {
        CorpusAggregationBenchmark.run(aggregator, bytes);
        volume.bytes += bytes.length;
        volume.events += EVENTS;
        return aggregator.result();
    }

    /** openai-java's ResponseAccumulator on the Responses stream (other shapes: nothing, returns null). */
    @Benchmark
    public Response openAiJavaResponses(final CorpusAggregationBenchmark.Volume volume)
    {
        if (responsesSdk == null)
        {
            return null;
        }
        volume.bytes += bytes.length;
        volume.events += EVENTS;
        return responsesSdk.fold(bytes);
    }

    /** The SDK peer: SSE frames, each read by the SDK's mapper into a ResponseStreamEvent, accumulated. */
    static final class ResponsesSdk
    {
        private ResponseAccumulator accumulator;
        private final SdkEvents<ResponseStreamEvent> events = new SdkEvents<>(
            ObjectMappers.jsonMapper().readerFor(ResponseStreamEvent.class), CorpusAggregationBenchmark.SLICE_BYTES,
            e -> accumulator.accumulate(e));

        Response fold(final byte[] bytes)
        {
            accumulator = ResponseAccumulator.create();
            events.feed(bytes);
            return accumulator.response();
        }
    }

    /**
     * An OpenAI Responses text answer: created, in_progress, the message item and its output_text part, {@code deltas}
     * output_text.delta events (a sequence number, the item id, indices, the delta, empty logprobs and the
     * obfuscation padding of random length OpenAI adds), then the done events and response.completed.
     */
    static byte[] responsesStream(final int deltas, final long seed)
    {
        final Random random = new Random(seed);
        final String itemId = "msg_68c1f0a2b3d4819ea5f6a7b8c9d0e1f20a1b2c3d4e5f6a7b";
        final String response = "\"id\":\"resp_68c1f0a1a2b3819e\",\"object\":\"response\",\"created_at\":1757540001,";
        final String tail = "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null," +
            "\"summary\":null},\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\"," +
            "\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"metadata\":{}";
        final StringBuilder sse = new StringBuilder(deltas * 260);
        final StringBuilder text = new StringBuilder();
        int sequence = 0;
        event(sse, "response.created", "{\"type\":\"response.created\",\"sequence_number\":" + sequence++ + ",\"response\":{" +
            response + "\"status\":\"in_progress\",\"model\":\"gpt-4.1-2025-04-14\",\"output\":[],\"usage\":null," + tail + "}}");
        event(sse, "response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":" + sequence++ +
            ",\"response\":{" + response + "\"status\":\"in_progress\",\"model\":\"gpt-4.1-2025-04-14\",\"output\":[],\"usage\":null," +
            tail + "}}");
        event(sse, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":" + sequence++ +
            ",\"output_index\":0,\"item\":{\"id\":\"" + itemId + "\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[]," +
            "\"role\":\"assistant\"}}");
        event(sse, "response.content_part.added", "{\"type\":\"response.content_part.added\",\"sequence_number\":" + sequence++ +
            ",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\"," +
            "\"annotations\":[],\"logprobs\":[],\"text\":\"\"}}");
        for (int i = 0; i < deltas; i++)
        {
            final String word = word(random);
            text.append(word);
            final StringBuilder obfuscation = new StringBuilder();
            for (int k = 1 + random.nextInt(15); k > 0; k--)
            {
                obfuscation.append((char)('a' + random.nextInt(26)));
            }
            event(sse, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + sequence++ +
                ",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + word +
                "\",\"logprobs\":[],\"obfuscation\":\"" + obfuscation + "\"}");
        }
        final String all = text.toString();
        event(sse, "response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":" + sequence++ +
            ",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"text\":\"" + all + "\",\"logprobs\":[]}");
        final String part = "{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + all + "\"}";
        event(sse, "response.content_part.done", "{\"type\":\"response.content_part.done\",\"sequence_number\":" + sequence++ +
            ",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"part\":" + part + "}");
        final String item = "{\"id\":\"" + itemId + "\",\"type\":\"message\",\"status\":\"completed\",\"content\":[" + part +
            "],\"role\":\"assistant\"}";
        event(sse, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":" + sequence++ +
            ",\"output_index\":0,\"item\":" + item + "}");
        event(sse, "response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + sequence++ + ",\"response\":{" +
            response + "\"status\":\"completed\",\"model\":\"gpt-4.1-2025-04-14\",\"output\":[" + item + "],\"usage\":{" +
            "\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + deltas +
            ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":" + (deltas + 37) + "}," + tail + "}}");
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Gemini {@code streamGenerateContent?alt=sse}: one text part per chunk, usage growing, the last one finishing. */
    static byte[] geminiStream(final int chunks, final long seed)
    {
        final Random random = new Random(seed);
        final StringBuilder sse = new StringBuilder(chunks * 300);
        for (int i = 0; i < chunks; i++)
        {
            sse.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"").append(word(random))
                .append("\"}],\"role\": \"model\"}").append(i == chunks - 1 ? ",\"finishReason\": \"STOP\"" : "")
                .append(",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 15,\"candidatesTokenCount\": ").append(i + 1)
                .append(",\"totalTokenCount\": ").append(i + 16)
                .append(",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 15}]},")
                .append("\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}\r\n\r\n");
        }
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ollama {@code /api/chat}: one line per token with its own timestamp, then the done line with the counts. */
    static byte[] ollamaStream(final int lines, final long seed)
    {
        final Random random = new Random(seed);
        final StringBuilder nd = new StringBuilder(lines * 150);
        for (int i = 0; i < lines; i++)
        {
            nd.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-26T17:15:").append(10 + i / 100).append('.')
                .append(100000 + random.nextInt(900000)).append("Z\",\"message\":{\"role\":\"assistant\",\"content\":\"")
                .append(word(random)).append("\"},\"done\":false}\n");
        }
        nd.append("{\"model\":\"llama3.2\",\"created_at\":\"2025-10-26T17:16:00.000000Z\",\"message\":{\"role\":")
            .append("\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":4883583458,")
            .append("\"load_duration\":1334875,\"prompt_eval_count\":26,\"prompt_eval_duration\":342546000,\"eval_count\":")
            .append(lines).append(",\"eval_duration\":4535599000}\n");
        return nd.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] WORDS = {
        "The", " stream", " token", " gateway", " latency", " model", " answer", " ok", " é", " naïve", " 数据", " 🙂",
        "\\n", " \\\"quoted\\\"", " function", " Java", " buffer", " response", " is", " a", " of", " and", " to"
    };

    private static String word(final Random random)
    {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static void event(final StringBuilder sse, final String type, final String data)
    {
        sse.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
    }
}
