package io.streamfold.jmh;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.sse.SseTokenizer;

/**
 * SSE framing throughput over an OpenAI-style chat stream, beside two baselines over the same bytes: JDK
 * line splitting ({@code BufferedReader.readLine}) and a plain loop counting LF bytes, the memory-scan floor.
 * One operation is the whole stream; bytes/s = ops/s × the stream size printed at setup, and allocation per
 * event = {@code gc.alloc.rate.norm} / the event count printed at setup.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Benchmark)
public class SseTokenizerBenchmark
{
    /** {@code generated}: ~1,000 synthetic chat.completion.chunk events; {@code corpus}: shared/corpus/openai-chat. */
    @Param({ "generated" })
    public String source;

    /** Bytes per feed call, as a network layer would hand them over; 0 feeds the stream in one call. */
    @Param({ "16384", "0" })
    public int sliceBytes;

    private byte[] stream;
    private SseTokenizer tokenizer;
    private final Counter counter = new Counter();

    /** Sums payload lengths so the work cannot be optimised away. */
    static final class Counter implements FrameListener
    {
        long events;
        long payloadBytes;

        @Override
        public void onFrame(final Frame frame)
        {
            events++;
            payloadBytes += frame.length();
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        stream = "corpus".equals(source) ? corpus() : generated(1_000, 42);
        tokenizer = new SseTokenizer(counter);
        tokenize();
        System.out.println();
        System.out.println("stream: " + source + ", " + stream.length + " bytes, " + counter.events + " events");
    }

    /** The tokenizer: events out, views only. */
    @Benchmark
    public long tokenize()
    {
        final SseTokenizer tokenizer = this.tokenizer;
        final byte[] stream = this.stream;
        final int slice = sliceBytes <= 0 ? stream.length : sliceBytes;
        tokenizer.reset();
        counter.events = 0;
        counter.payloadBytes = 0;
        for (int offset = 0; offset < stream.length; offset += slice)
        {
            tokenizer.feed(stream, offset, Math.min(slice, stream.length - offset));
        }
        tokenizer.end();
        return counter.events + counter.payloadBytes;
    }

    /** Baseline: JDK line splitting with UTF-8 decoding, one String per line. */
    @Benchmark
    public long bufferedReaderReadLine() throws IOException
    {
        long lines = 0;
        long chars = 0;
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(new ByteArrayInputStream(stream), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lines++;
                chars += line.length();
            }
        }
        return lines + chars;
    }

    /** Baseline: the memory-scan floor, one pass counting LF bytes. */
    @Benchmark
    public long scanFloor()
    {
        final byte[] stream = this.stream;
        long count = 0;
        for (int i = 0; i < stream.length; i++)
        {
            if (stream[i] == '\n')
            {
                count++;
            }
        }
        return count;
    }

    private static byte[] corpus() throws IOException
    {
        final Path dir = sharedDir().resolve("corpus").resolve("openai-chat");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(dir))
        {
            final List<Path> sse = files.filter(p -> p.toString().endsWith(".sse")).sorted().collect(Collectors.toList());
            for (final Path file : sse)
            {
                out.writeBytes(Files.readAllBytes(file));
                // A recording may stop without its blank line: end its last event so streams do not merge.
                out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    private static Path sharedDir()
    {
        final String configured = System.getProperty("streamfold.shared");
        if (configured != null && Files.isDirectory(Paths.get(configured)))
        {
            return Paths.get(configured);
        }
        for (final String candidate : new String[] { "../shared", "../../shared", "shared" })
        {
            if (Files.isDirectory(Paths.get(candidate, "corpus")))
            {
                return Paths.get(candidate);
            }
        }
        throw new IllegalStateException("source=corpus needs shared/ beside the clone or -Dstreamfold.shared=...");
    }

    /** An OpenAI chat completion stream: role chunk, content deltas, finish chunk, usage chunk, [DONE]. */
    static byte[] generated(final int events, final long seed)
    {
        final String[] words = {
            "the", "stream", "token", "gateway", "latency", " model", "answer", "ok", "é", "naïve", "数据", "🙂",
            "\\n", "\\\"quoted\\\"", "function", "Java", "buffer", "response", "is", "a", "of", "and", "to"
        };
        final Random random = new Random(seed);
        final String prefix = "data: {\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\"," +
            "\"object\":\"chat.completion.chunk\",\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\"," +
            "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_eb9dce56a8\",\"choices\":[{\"index\":0,";
        final StringBuilder sb = new StringBuilder(events * 260);
        sb.append(prefix).append("\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},")
            .append("\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (int i = 0; i < events - 3; i++)
        {
            sb.append(prefix).append("\"delta\":{\"content\":\"");
            final int n = 1 + random.nextInt(3);
            for (int w = 0; w < n; w++)
            {
                sb.append(w == 0 ? " " : "").append(words[random.nextInt(words.length)]);
            }
            sb.append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        sb.append(prefix).append("\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        sb.append("data: {\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion.chunk\",")
            .append("\"created\":1741570283,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":")
            .append("{\"prompt_tokens\":19,\"completion_tokens\":").append(events).append(",\"total_tokens\":")
            .append(events + 19).append("}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
