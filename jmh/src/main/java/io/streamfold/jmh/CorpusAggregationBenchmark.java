package io.streamfold.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.Framer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.ndjson.NdjsonFramer;
import io.streamfold.parser.sse.SseTokenizer;
import io.streamfold.parser.StreamError;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Bytes to final result, per dialect, over the recorded corpus: one operation aggregates every stream of
 * one corpus folder once, each stream with its own pooled {@link StreamAggregator} (built once for the
 * stream's detected format, {@link StreamAggregator#reset()} before every run) and fed in 16 KiB slices, as
 * a gateway's network layer would hand them over, then {@link StreamAggregator#end()}.
 *
 * <p>Reading the results: the {@code bytes} secondary score is input bytes per second (divide by 10^6 for
 * MB/s); {@code events} is frames per second; with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes
 * allocated per operation, and divided by the events per operation printed at setup it gives B/event.
 *
 * <p>{@code bedrock-generated} has no recording to read: its stream is built here, an eventstream
 * ConverseStream response with correct CRCs, encoded by {@link #bedrockStream(int, long)}.
 *
 * <p>A folder whose dialect is not in this build fails its setup with a message saying so, and JMH goes on
 * with the other folders: no figure is printed for a dialect that did not run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class CorpusAggregationBenchmark
{
    /** Bytes per feed call. */
    static final int SLICE_BYTES = 16 * 1024;

    /** Name of the generated Bedrock case, beside the corpus folder names. */
    static final String BEDROCK_GENERATED = "bedrock-generated";

    /** A folder of shared/corpus, or {@code bedrock-generated}. */
    @Param({ "openai-chat", "openai-responses", "anthropic-messages", "gemini", "ollama", BEDROCK_GENERATED })
    public String corpus;

    private byte[][] streams;
    private StreamAggregator[] aggregators;
    private long bytesPerOp;
    private long eventsPerOp;

    /** Input bytes and frames folded; JMH reports them per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Volume
    {
        /** Input bytes aggregated. */
        public long bytes;
        /** Frames (SSE events, NDJSON lines, array elements, eventstream messages) aggregated. */
        public long events;

        /** JMH reads the counters per iteration. */
        @Setup(Level.Iteration)
        public void clear()
        {
            bytes = 0;
            events = 0;
        }
    }

    /**
     * Loads the folder, builds one aggregator per stream for its detected format, folds each once to
     * check it (no internal error, an outcome) and prints per stream: size, frames, outcome.
     *
     * @throws IOException when the corpus cannot be read.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final List<String> names = new ArrayList<>();
        final List<byte[]> loaded = new ArrayList<>();
        if (BEDROCK_GENERATED.equals(corpus))
        {
            names.add("generated ConverseStream, 1,000 text deltas");
            loaded.add(bedrockStream(1_000, 42));
        }
        else
        {
            for (final Path file : corpusFiles(corpus))
            {
                names.add(file.getFileName().toString());
                loaded.add(Files.readAllBytes(file));
            }
        }
        streams = loaded.toArray(new byte[0][]);
        aggregators = new StreamAggregator[streams.length];
        bytesPerOp = 0;
        eventsPerOp = 0;
        final StringBuilder report = new StringBuilder();
        for (int i = 0; i < streams.length; i++)
        {
            final Format format = detect(names.get(i), streams[i]);
            aggregators[i] = StreamAggregator.create(format);
            run(aggregators[i], streams[i]);
            final Aggregate result = aggregators[i].result();
            check(names.get(i), result);
            final long events = countFrames(names.get(i), format, streams[i]);
            bytesPerOp += streams[i].length;
            eventsPerOp += events;
            report.append(String.format("  %-70s %-12s %8d B %5d events  %s%n",
                names.get(i), format.cliName(), streams[i].length, events, result.outcome()));
        }
        if (BEDROCK_GENERATED.equals(corpus))
        {
            checkBedrock(aggregators[0].result());
        }
        System.out.println();
        System.out.print(report);
        System.out.println("corpus " + corpus + ": " + streams.length + " streams, " + bytesPerOp + " bytes, " +
            eventsPerOp + " events per op (B/event = gc.alloc.rate.norm / " + eventsPerOp + ")");
    }

    /** Every stream of the folder, bytes to final result, through its pooled aggregator. */
    @Benchmark
    public long aggregate(final Volume volume)
    {
        final byte[][] streams = this.streams;
        final StreamAggregator[] aggregators = this.aggregators;
        long sink = 0;
        for (int i = 0; i < streams.length; i++)
        {
            final StreamAggregator aggregator = aggregators[i];
            run(aggregator, streams[i]);
            final Aggregate result = aggregator.result();
            sink += result.outcome().ordinal() + result.choices().size() + result.errors().size();
        }
        volume.bytes += bytesPerOp;
        volume.events += eventsPerOp;
        return sink;
    }

    static void run(final StreamAggregator aggregator, final byte[] stream)
    {
        aggregator.reset();
        for (int offset = 0; offset < stream.length; offset += SLICE_BYTES)
        {
            aggregator.feed(stream, offset, Math.min(SLICE_BYTES, stream.length - offset));
        }
        aggregator.end();
    }

    /** The format AUTO detects, refused with a clear message when this build has no dialect for it. */
    private static Format detect(final String name, final byte[] stream)
    {
        final StreamAggregator probe = StreamAggregator.create(Format.AUTO);
        try
        {
            run(probe, stream);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalStateException("skipped: " + name + " needs a dialect this build does not have (" +
                e.getMessage() + ")", e);
        }
        return probe.format();
    }

    /** A defect must not be measured as if it were a result. */
    static void check(final String name, final Aggregate result)
    {
        for (final StreamError error : result.errors())
        {
            if (error.message().startsWith(InternalErrors.PREFIX))
            {
                throw new IllegalStateException(name + ": " + error.message());
            }
        }
        if (result.outcome() == Outcome.IN_PROGRESS)
        {
            throw new IllegalStateException(name + ": no outcome after end()");
        }
    }

    /** The encoder must be right, or the case would measure error handling instead of folding. */
    private static void checkBedrock(final Aggregate result)
    {
        if (result.outcome() != Outcome.COMPLETE || !result.errors().isEmpty() || result.choices().size() != 1 ||
            result.usage().outputTokens() != 1_000 || result.choices().get(0).joined(Part.Kind.TEXT).length() < 1_000)
        {
            throw new IllegalStateException("generated Bedrock stream did not fold cleanly: " + result.toNormalizedJson());
        }
    }

    /** Frames the stream with the parser framer of its transport, to state B/event. */
    private static long countFrames(final String name, final Format format, final byte[] stream)
    {
        final long[] count = new long[1];
        final FrameListener counter = new FrameListener()
        {
            @Override
            public void onFrame(final Frame frame)
            {
                count[0]++;
            }

            @Override
            public void onError(final StreamError error)
            {
            }
        };
        final Framer framer;
        if (format == Format.BEDROCK)
        {
            framer = new EventStreamFramer(counter);
        }
        else if (name.endsWith(".ndjson"))
        {
            framer = new NdjsonFramer(counter);
        }
        else if (name.endsWith(".json"))
        {
            framer = new JsonArrayFramer(counter);
        }
        else
        {
            framer = new SseTokenizer(counter);
        }
        framer.feed(stream, 0, stream.length);
        if (framer instanceof SseTokenizer)
        {
            // Some recordings stop without the blank line after their last event, which the dialects
            // still fold; one more blank line dispatches it here and adds nothing otherwise.
            framer.feed(new byte[] { '\n', '\n' }, 0, 2);
        }
        framer.end();
        return count[0];
    }

    private static List<Path> corpusFiles(final String folder) throws IOException
    {
        final Path dir = sharedDir().resolve("corpus").resolve(folder);
        if (!Files.isDirectory(dir))
        {
            throw new IllegalStateException("no corpus folder " + dir.toAbsolutePath());
        }
        try (Stream<Path> files = Files.list(dir))
        {
            final List<Path> streams = files
                .filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".txt"))
                .sorted()
                .collect(Collectors.toList());
            if (streams.isEmpty())
            {
                throw new IllegalStateException("no streams in " + dir.toAbsolutePath());
            }
            return streams;
        }
    }

    static Path sharedDir()
    {
        final String configured = System.getProperty("streamfold.shared");
        if (configured != null && Files.isDirectory(Paths.get(configured, "corpus")))
        {
            return Paths.get(configured);
        }
        for (final String candidate : new String[] { "../shared", "../../shared" })
        {
            if (Files.isDirectory(Paths.get(candidate, "corpus")))
            {
                return Paths.get(candidate);
            }
        }
        throw new IllegalStateException("the corpus benchmark needs shared/corpus: pass -Dstreamfold.shared=<dir> " +
            "or run beside shared/ (looked in " + (configured == null ? "" : configured + ", ") +
            Paths.get("../shared").toAbsolutePath().normalize() + ", " +
            Paths.get("../../shared").toAbsolutePath().normalize() + ")");
    }

    /**
     * A Bedrock ConverseStream response as eventstream bytes: messageStart, one text block of
     * {@code deltas} deltas, its stop, messageStop and metadata, each payload carrying the {@code p}
     * padding field Bedrock adds to hide lengths.
     */
    static byte[] bedrockStream(final int deltas, final long seed)
    {
        final String[] words = {
            "the", "stream", "token", "gateway", "latency", " model", "answer", "ok", "é", "naïve", "数据", "🙂",
            "\\n", "\\\"quoted\\\"", "function", "Java", "buffer", "response", "is", "a", "of", "and", "to"
        };
        final Random random = new Random(seed);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(deltas * 200);
        writeEvent(out, "messageStart", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0\",\"role\":\"assistant\"}");
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < deltas; i++)
        {
            sb.setLength(0);
            sb.append("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"");
            final int n = 1 + random.nextInt(3);
            for (int w = 0; w < n; w++)
            {
                sb.append(w == 0 ? " " : "").append(words[random.nextInt(words.length)]);
            }
            sb.append("\"},\"p\":\"");
            final int padding = 1 + random.nextInt(40);
            for (int k = 0; k < padding; k++)
            {
                sb.append((char)('a' + random.nextInt(26)));
            }
            sb.append("\"}");
            writeEvent(out, "contentBlockDelta", sb.toString());
        }
        writeEvent(out, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijklmnopq\"}");
        writeEvent(out, "messageStop", "{\"p\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM\",\"stopReason\":\"end_turn\"}");
        writeEvent(out, "metadata", "{\"metrics\":{\"latencyMs\":4127},\"p\":\"abcdefghijklmnop\"," +
            "\"usage\":{\"inputTokens\":19,\"outputTokens\":" + deltas + ",\"totalTokens\":" + (deltas + 19) + "}}");
        return out.toByteArray();
    }

    /**
     * One eventstream message: prelude (total length, headers length, prelude CRC32), string headers
     * ({@code :event-type}, {@code :content-type}, {@code :message-type}), payload, message CRC32; all
     * integers big-endian.
     */
    static void writeEvent(final ByteArrayOutputStream out, final String eventType, final String json)
    {
        final ByteArrayOutputStream headers = new ByteArrayOutputStream();
        writeStringHeader(headers, ":event-type", eventType);
        writeStringHeader(headers, ":content-type", "application/json");
        writeStringHeader(headers, ":message-type", "event");
        final byte[] headerBytes = headers.toByteArray();
        final byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        final int total = 12 + headerBytes.length + payload.length + 4;
        final byte[] message = new byte[total];
        putInt(message, 0, total);
        putInt(message, 4, headerBytes.length);
        final CRC32 crc = new CRC32();
        crc.update(message, 0, 8);
        putInt(message, 8, (int)crc.getValue());
        System.arraycopy(headerBytes, 0, message, 12, headerBytes.length);
        System.arraycopy(payload, 0, message, 12 + headerBytes.length, payload.length);
        crc.reset();
        crc.update(message, 0, total - 4);
        putInt(message, total - 4, (int)crc.getValue());
        out.writeBytes(message);
    }

    private static void writeStringHeader(final ByteArrayOutputStream out, final String name, final String value)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.write(n.length);
        out.writeBytes(n);
        // Value type 7: a string with a 2-byte length.
        out.write(7);
        out.write(v.length >>> 8);
        out.write(v.length & 0xFF);
        out.writeBytes(v);
    }

    private static void putInt(final byte[] bytes, final int at, final int value)
    {
        bytes[at] = (byte)(value >>> 24);
        bytes[at + 1] = (byte)(value >>> 16);
        bytes[at + 2] = (byte)(value >>> 8);
        bytes[at + 3] = (byte)value;
    }
}
