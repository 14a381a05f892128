package io.streamfold.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.agrona.DirectBuffer;
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
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.sse.SseTokenizer;
import io.streamfold.parser.StreamError;

/**
 * One real corpus SSE stream at a time, streamfold beside Jackson Core merely tokenizing the same events:
 * {@link #streamfold} folds the bytes to the final result (pooled aggregator, 16 KiB slices, as
 * {@link CorpusAggregationBenchmark} does per folder); {@link #jacksonTokenize} frames the same slices with
 * the same SSE tokenizer and walks each event's JSON with {@code nextToken()} to its end, keeping nothing.
 * The ratio of the two {@code bytes} scores per file is the figure issue 12 sets targets on (slowest at
 * least 2x, median at least 5x).
 *
 * <p>The default list is every SSE stream of 20 KB or more in today's corpus; {@link #corpusStreams()}
 * lists the ones present now (a new recording is run with {@code -p file=folder/name.sse}), and the setup
 * refuses a file under 20 KB or not SSE so the table means the same thing on every run.
 *
 * <p>Ten seconds of warm-up: on a 2-core host the fold reaches its steady rate only after 5-7 s (one C2 thread
 * compiles the scan-first readers of a stream's first, last and other unusual events into methods of 50 KB and more,
 * some twice, while the repeated-event path waits its turn), where Jackson's tokenizer is steady after 2-3 s. With
 * the six seconds used before, forks measured the fold part-compiled (a fifth to a half slower).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class CorpusFileBenchmark
{
    /** Streams smaller than this are left out of the comparison: per-stream setup would dominate them. */
    static final int MIN_BYTES = 20_000;

    /** Dispatches a last event that a recording left without its blank line (the dialects still fold it). */
    private static final byte[] BLANK_LINE = { '\n', '\n' };

    /** Path under shared/corpus of one SSE recording of 20 KB or more. */
    @Param({
        "anthropic-messages/anthropic-web-search-citations.sse",
        "openai-chat/deepseek-reasoner-reasoning-content.sse",
        "openai-chat/groq-gptoss-error-event-tool-use-failed.sse",
        "openai-chat/hf-tgi-openhermes-logprobs-data-no-space.sse",
        "openai-chat/mistral-magistral-thinking-content-array.sse",
        "openai-chat/openai-gpt41nano-text-long.sse",
        "openai-chat/openai-gpt4o-json-mode-multibyte.sse",
        "openai-chat/together-deepseek-r1-token-ids-think-tags.sse",
        "openai-chat/zai-glm-reasoning-content.sse",
        "openai-responses/lmstudio-reasoning-text-then-function-call.sse",
        "openai-responses/openai-reasoning-summary-multipart-long.sse",
        "openai-responses/openai-web-search-call.sse"
    })
    public String file;

    private byte[] stream;
    private StreamAggregator aggregator;
    private SseTokenizer tokenizer;
    private final JsonFactory jackson = new JsonFactory();
    private final LongSupplier pairedStreamfold = () ->
    {
        CorpusAggregationBenchmark.run(aggregator, stream);
        return aggregator.result().outcome().ordinal();
    };
    private final LongSupplier pairedTokenize = this::tokenize;
    private long tokens;
    private long events;

    /**
     * Loads the file, checks both sides once (an outcome, no internal error; every JSON event tokenizes)
     * and prints its size and event count.
     *
     * @throws IOException when the corpus cannot be read.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final Path path = corpusDir().resolve(file);
        stream = Files.readAllBytes(path);
        if (stream.length < MIN_BYTES || !file.endsWith(".sse"))
        {
            throw new IllegalStateException(file + " is not an SSE stream of " + MIN_BYTES + " bytes or more");
        }
        aggregator = StreamAggregator.create(Format.AUTO);
        CorpusAggregationBenchmark.run(aggregator, stream);
        final Format format = aggregator.format();
        aggregator = StreamAggregator.create(format);
        CorpusAggregationBenchmark.run(aggregator, stream);
        final Aggregate result = aggregator.result();
        CorpusAggregationBenchmark.check(file, result);
        final Tokenize listener = new Tokenize();
        tokenizer = new SseTokenizer(listener);
        tokenize();
        events = listener.events;
        System.out.println();
        System.out.printf("%s: %s, %d B, %d events, %d JSON tokens, %s, %s%n", file, format.cliName(), stream.length,
            events, tokens, result.outcome(), result.errors().isEmpty() ? "no errors" : result.errors().size() + " errors");
        System.out.println("present in the corpus (>= " + MIN_BYTES + " B): " + corpusStreams());
    }

    /** The stream, bytes to final result, through one pooled aggregator. */
    @Benchmark
    public int streamfold(final CorpusAggregationBenchmark.Volume volume)
    {
        CorpusAggregationBenchmark.run(aggregator, stream);
        final Aggregate result = aggregator.result();
        volume.bytes += stream.length;
        volume.events += events;
        return result.outcome().ordinal() + result.choices().size();
    }

    /** The same bytes framed by the same SSE tokenizer, each event's JSON tokenized by Jackson Core, nothing kept. */
    @Benchmark
    public long jacksonTokenize(final CorpusAggregationBenchmark.Volume volume)
    {
        final long t = tokenize();
        volume.bytes += stream.length;
        volume.events += events;
        return t;
    }

    /**
     * Both sides in one invocation, timed apart (see {@link PairedTimes}): the fold and the tokenize-only pass back to
     * back, in turn first. {@code peerNanos / streamfoldNanos} is the ratio with the host's drift cancelled.
     */
    @Benchmark
    public long paired(final PairedTimes times)
    {
        return times.time(pairedStreamfold, pairedTokenize);
    }

    private long tokenize()
    {
        tokens = 0;
        tokenizer.reset();
        for (int offset = 0; offset < stream.length; offset += CorpusAggregationBenchmark.SLICE_BYTES)
        {
            tokenizer.feed(stream, offset, Math.min(CorpusAggregationBenchmark.SLICE_BYTES, stream.length - offset));
        }
        tokenizer.feed(BLANK_LINE, 0, BLANK_LINE.length);
        tokenizer.end();
        return tokens;
    }

    /** Tokenizes every event whose data is JSON (not {@code [DONE]}, not a comment-only keep-alive) to its end. */
    private final class Tokenize implements FrameListener
    {
        long events;
        private byte[] copy = new byte[0];

        @Override
        public void onFrame(final Frame frame)
        {
            events++;
            final DirectBuffer buffer = frame.buffer();
            final int length = frame.length();
            byte[] array = buffer.byteArray();
            int offset;
            if (array != null)
            {
                offset = (int)buffer.wrapAdjustment() + frame.offset();
            }
            else
            {
                if (copy.length < length)
                {
                    copy = new byte[length];
                }
                buffer.getBytes(frame.offset(), copy, 0, length);
                array = copy;
                offset = 0;
            }
            if (length == 0 || (array[offset] != '{' && array[offset] != '[') || frame.payloadEquals("[DONE]"))
            {
                return;
            }
            try (JsonParser parser = jackson.createParser(array, offset, length))
            {
                while (parser.nextToken() != null)
                {
                    tokens++;
                }
            }
            catch (final IOException e)
            {
                throw new IllegalStateException(file + ": event " + frame.index() + " is not JSON", e);
            }
        }

        @Override
        public void onError(final StreamError error)
        {
        }
    }

    /** @return every SSE file of {@link #MIN_BYTES} or more under shared/corpus, as folder/name. */
    static List<String> corpusStreams() throws IOException
    {
        final Path dir = corpusDir();
        try (Stream<Path> files = Files.walk(dir))
        {
            return files
                .filter(p -> p.toString().endsWith(".sse") && Files.isRegularFile(p))
                .filter(p -> p.toFile().length() >= MIN_BYTES)
                .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                .sorted()
                .collect(Collectors.toList());
        }
    }

    private static Path corpusDir()
    {
        return CorpusAggregationBenchmark.sharedDir().resolve("corpus");
    }
}
