package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.AllocationCounter;
import io.streamfold.aggregator.FastPathRun;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gemini's repeated-chunk fast path takes the chunks providers really repeat (text or thought parts with the
 * usage snapshot growing, Vertex's finishReason and safety ratings on every chunk, grounding metadata) and is
 * invisible: the same written JSON, normalized view, errors, outcome and listener events with it on and off.
 */
class GeminiFastPathTest
{
    private static final int CHUNKS = 1_000;

    @Property(tries = 400)
    void fastPathGivesWhatTheFullPathGives(@ForAll final Random random)
    {
        final byte[] stream = GeminiChunkStreams.stream(random);
        final AggregationLimits limits = randomLimits(random);
        final long folds = FastPathRun.assertSameDrawn(Format.GEMINI, stream, limits, random, new String(stream, StandardCharsets.UTF_8));
        // The comparison means something only if the fast path ran in a good share of the streams.
        Statistics.label("fast path taken").collect(folds > 0);
        Statistics.label("fast path taken").coverage(c -> c.check(true).percentage(p -> p > 40));
    }

    /** Gemini's usual stream: every chunk but the first folded on the fast path, whatever the slicing. */
    @ParameterizedTest
    @CsvSource({ "true,0", "false,0", "true,7", "false,8" })
    void textChunksWithGrowingUsageRepeat(final boolean spaced, final long seed)
    {
        final byte[] stream = generated(CHUNKS, spaced ? "\": " : "\":");
        final FastPathRun full = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, seed % 2 == 1, seed, false);
        final FastPathRun fast = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, seed % 2 == 1, seed, true);
        FastPathRun.assertSame(full, fast, "");
        // The first chunk is learnt, the last one finishes.
        assertEquals(CHUNKS - 2, fast.folds);
        assertEquals(Outcome.COMPLETE, fast.outcome);
        assertTrue(fast.json.contains("\"candidatesTokenCount\":" + CHUNKS), fast.json.substring(fast.json.length() - 300));
    }

    /** Kept objects must repeat whitespace included: a repeat spaced otherwise is read by the full path. */
    @Test
    void safetyRatingsSpacedOtherwiseAreKeptAsSent()
    {
        final String ratings = "[{\"category\": \"HARM_CATEGORY_HATE_SPEECH\", \"probability\": \"NEGLIGIBLE\"}]";
        final String body = vertex("a", ratings) + vertex("b", ratings) + vertex("c", ratings.replace(", ", ",")) +
            vertex("d", ratings.replace(", ", ",   "));
        final byte[] stream = body.getBytes(StandardCharsets.UTF_8);
        final FastPathRun full = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, false, 0, false);
        final FastPathRun fast = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        FastPathRun.assertSame(full, fast, body);
        assertEquals(1, fast.folds);
        assertTrue(fast.json.contains("\"HARM_CATEGORY_HATE_SPEECH\",   \"probability\""), fast.json);
    }

    /**
     * Counts the full path keeps otherwise than written ({@code -0} is Jackson's {@code 0}) or that could need more
     * room than the value they replace (17 digits) are left to it, as the last word of the stream.
     */
    @ParameterizedTest
    @CsvSource({ "-0", "-7", "12345678901234567", "123456789012345678", "0", "1234567890123456" })
    void oddCountsAreKeptAsTheFullPathKeepsThem(final String count)
    {
        final String body = usageChunk("a", "5") + usageChunk("b", "6") + usageChunk("c", count);
        final byte[] stream = body.getBytes(StandardCharsets.UTF_8);
        final FastPathRun full = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, false, 0, false);
        final FastPathRun fast = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        FastPathRun.assertSame(full, fast, body);
        assertTrue(fast.folds >= 1, "folded " + fast.folds);
    }

    private static String usageChunk(final String text, final String count)
    {
        return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"},\"index\":0}]," +
            "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":" + count + "},\"responseId\":\"r\"}\n\n";
    }

    /** The recordings whose high-volume chunks repeat: thoughts with usage, search grounding, Vertex's repeated finish. */
    @ParameterizedTest
    @CsvSource({ "gemini-2.5-pro-thought-parts.sse,19", "gemini-2.5-pro-search-grounding.sse,8", "vertex-gemini-utf8-cjk.sse,2" })
    void recordedChunksRepeat(final String name, final long atLeast)
    {
        final byte[] stream = SharedFiles.read(SharedFiles.require().resolve("corpus/gemini").resolve(name));
        final FastPathRun full = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, false, 0, false);
        final FastPathRun fast = FastPathRun.of(Format.GEMINI, stream, AggregationLimits.DEFAULT, false, false, 0, true);
        FastPathRun.assertSame(full, fast, name);
        assertTrue(fast.folds >= atLeast, name + ": " + fast.folds + " folded");
    }

    /** A reused aggregator folds the stream without allocating: no parser, no usage object per chunk. */
    @Test
    void aReusedAggregatorAllocatesNothingPerChunk()
    {
        final AllocationCounter counter = AllocationCounter.start();
        final byte[] stream = generated(CHUNKS, "\": ");
        final StreamAggregator a = StreamAggregator.create(Format.GEMINI);
        final long allocated = counter.warmFeed(a, stream, 30, () -> { });
        assertEquals(Outcome.COMPLETE, a.result().outcome());
        assertEquals(List.of(), a.result().errors());
        assertTrue(a.result().choice(0).joined(Part.Kind.TEXT).length() > CHUNKS);
        // Jackson reading each chunk's usage object cost about 34 bytes a stream, a parser per chunk far more.
        assertTrue(allocated < 64, "allocated " + allocated + " bytes for " + CHUNKS + " chunks");
    }

    /**
     * A stream's last chunk is learnt only when another follows it in the same stream: a pooled aggregator that
     * folded a stream ending on a learnable chunk of a new shape folds the next stream, whose chunks have that
     * shape, as a fresh one does (its first chunk on the full path, the same result).
     */
    @Test
    void aPooledAggregatorLearnsNothingFromTheLastStream()
    {
        // No finishReason, no usage (whose counts a learnt chunk binds to the stream's): every chunk may be learnt.
        // The first stream ends on one chunk of another shape, which the next stream repeats.
        final StringBuilder plain = new StringBuilder();
        for (int i = 0; i < 6; i++)
        {
            plain.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"w").append(i)
                .append("\"}],\"role\": \"model\"},\"index\": 0}],\"modelVersion\": \"gemini-2.5-flash\"}\r\n\r\n");
        }
        final String identified = plain.toString().replace("}\r\n", ",\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}\r\n");
        final byte[] first = (plain + identified.substring(0, identified.indexOf("\r\n\r\n") + 4)).getBytes(StandardCharsets.UTF_8);
        final byte[] next = identified.getBytes(StandardCharsets.UTF_8);
        final StreamAggregator fresh = StreamAggregator.create(Format.GEMINI);
        fresh.feed(next, 0, next.length);
        fresh.end();
        final StreamAggregator pooled = StreamAggregator.create(Format.GEMINI);
        pooled.feed(first, 0, first.length);
        pooled.end();
        final long firstFolds = FastPathRun.fastFolds(pooled);
        pooled.reset();
        pooled.feed(next, 0, next.length);
        pooled.end();
        // Chunks 2 to 6 of each stream: the first is learnt when the second comes.
        assertEquals(5, firstFolds);
        assertEquals(5, FastPathRun.fastFolds(fresh));
        assertEquals(5, FastPathRun.fastFolds(pooled) - firstFolds);
        assertEquals(fresh.result().toJson(), pooled.result().toJson());
    }

    /** As {@code DialectShapesBenchmark}'s Gemini stream: one text part per chunk, usage growing, the last one finishing. */
    static byte[] generated(final int chunks, final String colon)
    {
        final Random random = new Random(11);
        final String[] words = { "The", " stream", " é", " naïve", " 数据", " 🙂", "\\n", " \\\"quoted\\\"", " Java" };
        final StringBuilder sse = new StringBuilder();
        for (int i = 0; i < chunks; i++)
        {
            sse.append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"").append(words[random.nextInt(words.length)])
                .append("\"}],\"role\": \"model\"}").append(i == chunks - 1 ? ",\"finishReason\": \"STOP\"" : "")
                .append(",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 15,\"candidatesTokenCount\": ").append(i + 1)
                .append(",\"totalTokenCount\": ").append(i + 16)
                .append(",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 15}]},")
                .append("\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"w1peaMz6INOvnvgPgYfPiQY\"}\r\n\r\n");
        }
        return sse.toString().replace("\": ", colon).getBytes(StandardCharsets.UTF_8);
    }

    private static String vertex(final String text, final String ratings)
    {
        return "data: { \"candidates\": [ { \"content\": { \"parts\": [ { \"text\": \"" + text + "\" } ], \"role\": \"model\" }, " +
            "\"finishReason\": \"STOP\", \"index\": 0, \"safetyRatings\": " + ratings + " } ] }\r\n\r\n";
    }

    private static AggregationLimits randomLimits(final Random random)
    {
        if (random.nextInt(3) != 0)
        {
            return AggregationLimits.DEFAULT;
        }
        return AggregationLimits.builder()
            .maxTextChars(1 + random.nextInt(200))
            .maxRawBytes(40 + random.nextInt(400))
            .maxRawFields(1 + random.nextInt(12))
            .maxIndex(1 + random.nextInt(3))
            .build();
    }
}
