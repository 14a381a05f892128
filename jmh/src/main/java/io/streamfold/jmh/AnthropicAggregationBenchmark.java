package io.streamfold.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
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
 * Bytes to complete Anthropic message: streamfold's aggregator beside the official anthropic-java
 * {@code MessageAccumulator} in the same run. Both start from the raw SSE bytes, fed in 4 KiB network
 * slices; the SDK side frames with streamfold's SSE tokenizer (the SDK's own SSE reader is not public),
 * parses each event with the SDK's mapper into {@code RawMessageStreamEvent}, and accumulates it.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -jar jmh/target/benchmarks.jar \
 *     AnthropicAggregationBenchmark -prof gc
 * </pre>
 * Streams: {@code generated} is one text block of 1,000 padded text deltas; the others are corpus
 * recordings from {@code shared/corpus/anthropic-messages} (found through {@code -Dstreamfold.shared},
 * else {@code ../shared} or {@code shared}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class AnthropicAggregationBenchmark
{
    private static final int SLICE = 4096;

    /** Which stream. */
    @Param({"generated", "anthropic-web-search-citations.sse", "anthropic-thinking-signature.sse",
        "anthropic-haiku45-tool-use-padded.sse"})
    public String stream;

    private byte[] bytes;
    private StreamAggregator aggregator;
    private SdkFolder sdk;
    private final ChatAggregationBenchmark.ChatText chatText = new ChatAggregationBenchmark.ChatText();
    private final LongSupplier pairedStreamfold = this::streamfold;
    private final LongSupplier pairedSdk = () -> sdkAccumulator().content().size();

    /** Loads the stream and builds the reusable folders. */
    @Setup(Level.Trial)
    public void setUp()
    {
        bytes = "generated".equals(stream) ? generated(1000) : read(stream);
        aggregator = StreamAggregator.create(Format.ANTHROPIC);
        sdk = new SdkFolder();
        if (streamfold() <= 0 || !aggregator.result().errors().isEmpty() || sdkAccumulator() == null)
        {
            throw new IllegalStateException("stream did not fold: " + stream);
        }
        System.out.println("\n" + stream + ": " + bytes.length + " bytes");
    }

    /** @return output tokens of the folded message (the aggregator is reused, as a gateway pools it). */
    @Benchmark
    public long streamfold()
    {
        aggregator.reset();
        for (int i = 0; i < bytes.length; i += SLICE)
        {
            aggregator.feed(bytes, i, Math.min(SLICE, bytes.length - i));
        }
        aggregator.end();
        return aggregator.result().usage().outputTokens();
    }

    /**
     * streamfold on this stream, anthropic-java's accumulator on the same bytes and streamfold on the OpenAI chat text
     * stream of {@code ChatAggregationBenchmark} (1,000 chunks, fed as that benchmark feeds it), timed apart in every
     * invocation (see {@link PairedTimes}): the targets' ratios (at least 30x the SDK, at least half the chat text rate
     * in bytes) read with the host's drift cancelled. The SDK takes most of each invocation; the sums weigh each side
     * by its own time.
     */
    @Benchmark
    public long paired(final PairedTimes times)
    {
        return times.timeWithChatText(pairedStreamfold, bytes.length, pairedSdk, chatText);
    }

    /** @return the SDK's accumulated message. */
    @Benchmark
    public Message sdkAccumulator()
    {
        return sdk.fold(bytes);
    }

    /** The SDK peer: SSE frames, each parsed by the SDK's mapper, accumulated by MessageAccumulator. */
    static final class SdkFolder
    {
        private MessageAccumulator accumulator;
        private final SdkEvents<RawMessageStreamEvent> events = new SdkEvents<>(
            ObjectMappers.jsonMapper().readerFor(RawMessageStreamEvent.class), SLICE, e -> accumulator.accumulate(e));

        Message fold(final byte[] bytes)
        {
            accumulator = MessageAccumulator.create();
            events.feed(bytes);
            return accumulator.message();
        }
    }

    static byte[] read(final String name)
    {
        final String configured = System.getProperty("streamfold.shared");
        final Path[] candidates = {
            configured == null ? null : Paths.get(configured), Paths.get("../shared"), Paths.get("shared")};
        for (final Path shared : candidates)
        {
            if (shared != null && Files.isRegularFile(shared.resolve("corpus/anthropic-messages").resolve(name)))
            {
                try
                {
                    return Files.readAllBytes(shared.resolve("corpus/anthropic-messages").resolve(name));
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("corpus stream " + name + " not found; pass -Dstreamfold.shared=...");
    }

    /** A text answer of {@code deltas} text deltas, padded before the closing brace as the API sends them. */
    static byte[] generated(final int deltas)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\",")
            .append("\"id\":\"msg_01AusY9WEbCaj3N7Tv5J4YjH\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],")
            .append("\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":656,\"cache_creation_input_tokens\":0,")
            .append("\"cache_read_input_tokens\":0,\"output_tokens\":1,\"service_tier\":\"standard\"}}    }\n\n");
        sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}   }\n\n");
        final String[] words = {"The ", "weather ", "in San", " Francisco", " is \\\"68°F\\\"", " and sunny", ".\\n\\n", " Café ", "ok 👍", " today"};
        for (int i = 0; i < deltas; i++)
        {
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"")
                .append(words[i % words.length]).append(words[(i * 7) % words.length]).append("\"}")
                .append(" ".repeat(i % 13)).append("}\n\n");
            if (i % 100 == 0)
            {
                sb.append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
            }
        }
        sb.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0 }\n\n");
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},")
            .append("\"usage\":{\"output_tokens\":").append(deltas * 3).append("}   }\n\n");
        sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"    }\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
