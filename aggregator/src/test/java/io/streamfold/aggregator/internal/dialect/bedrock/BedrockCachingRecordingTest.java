package io.streamfold.aggregator.internal.dialect.bedrock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.List;

import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;

import static io.streamfold.aggregator.internal.dialect.bedrock.BedrockDialectTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bedrock's usage with prompt caching, on real ConverseStream responses (see {@code caching/PROVENANCE.md}): the
 * normalized input adds the cache reads and writes that {@code inputTokens} leaves out, each counted once though the
 * stream spells it two ways, so that input and output add up to the provider's total.
 */
class BedrockCachingRecordingTest
{
    private static byte[] recording(final String name) throws Exception
    {
        final Path file = Paths.get(BedrockCachingRecordingTest.class.getResource("caching/" + name).toURI());
        return HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).replaceAll("\\s", ""));
    }

    @Test
    void aCacheWriteIsInput() throws Exception
    {
        assertUsage("claude37-converse-stream-prompt-caching-0.eventstream.hex", 11, 0, 1028, 236, 1275);
    }

    @Test
    void aCacheReadIsInput() throws Exception
    {
        assertUsage("claude37-converse-stream-prompt-caching-1.eventstream.hex", 12, 1028, 0, 250, 1290);
    }

    /** The normalized input is the uncached input and both cache counts, and adds up with the output to the total. */
    private static void assertUsage(final String recording, final long uncached, final long cacheRead, final long cacheWrite,
        final long output, final long total) throws Exception
    {
        final Usage usage = fold(recording(recording));
        assertEquals(uncached + cacheRead + cacheWrite, usage.inputTokens());
        assertEquals(output, usage.outputTokens());
        assertEquals(total, usage.totalTokens());
        assertEquals(total, usage.inputTokens() + usage.outputTokens());
        assertEquals(cacheRead, usage.cachedTokens());
        assertEquals(cacheWrite, usage.cacheWriteTokens());
    }

    /** Nova's own invoke stream spells the cache counts {@code ...InputTokenCount} only: read as the same counts. */
    @Test
    void novaInvokeCacheCountsAreRead()
    {
        final BedrockDialectTest.Run r = run(EventStreamEncoder.concat(BedrockDialectTest.MESSAGE_START,
            BedrockDialectTest.text(0, "Hi"), BedrockDialectTest.stop(0), BedrockDialectTest.messageStop("end_turn"),
            EventStreamEncoder.event("metadata", "{\"usage\":{\"inputTokens\":5,\"outputTokens\":10," +
                "\"cacheReadInputTokenCount\":1000,\"cacheWriteInputTokenCount\":7}}")));
        assertEquals(List.of(), r.result().errors());
        assertEquals(5 + 1000 + 7, r.result().usage().inputTokens());
        assertEquals(1000, r.result().usage().cachedTokens());
        assertEquals(7, r.result().usage().cacheWriteTokens());
    }

    private static Usage fold(final byte[] body)
    {
        final BedrockDialectTest.Run r = run(body, new int[]{100}, true);
        assertEquals(List.of(), r.result().errors());
        assertEquals(Outcome.COMPLETE, r.result().outcome());
        return r.result().usage();
    }
}
