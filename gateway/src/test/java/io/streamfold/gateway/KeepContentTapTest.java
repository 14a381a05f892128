package io.streamfold.gateway;

import java.nio.file.Path;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.model.Part;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pool whose taps keep no per-token content (what the proxy runs) writes the same record for every corpus
 * recording as a pool that keeps it, while its aggregators hold no text.
 */
class KeepContentTapTest
{
    /** A clock that stands still: both taps see the same times. */
    private static final TapClock STILL = new TapClock()
    {
        @Override
        public long nanoTime()
        {
            return 5_000_000_000L;
        }

        @Override
        public long epochMillis()
        {
            return 1_700_000_000_000L;
        }
    };

    @ParameterizedTest
    @CsvSource({ "openai-chat,OPENAI_CHAT,.sse", "anthropic-messages,ANTHROPIC,.sse", "openai-responses,OPENAI_RESPONSES,.sse",
        "gemini,GEMINI,.sse", "ollama,OLLAMA,.ndjson" })
    void theRecordIsTheSameWithoutTheText(final String folder, final Format format, final String suffix)
    {
        final TapPool keeping = new TapPool(AggregationLimits.DEFAULT, STILL, 4, true);
        final TapPool dropping = new TapPool(AggregationLimits.DEFAULT, STILL, 4, false);
        long textKept = 0;
        for (final Path file : SharedFiles.corpus(folder, suffix))
        {
            final byte[] stream = SharedFiles.read(file);
            final StreamTap kept = keeping.acquire(format).start("/path", "model", 10);
            final StreamTap dropped = dropping.acquire(format).start("/path", "model", 10);
            for (final StreamTap tap : new StreamTap[] { kept, dropped })
            {
                tap.responseHead(200, "text/event-stream");
                for (int at = 0; at < stream.length; at += 1000)
                {
                    tap.feed(stream, at, Math.min(1000, stream.length - at));
                }
            }
            for (final Choice c : dropped.aggregator().result().choices())
            {
                for (final Part p : c.parts())
                {
                    assertTrue(p.kind() == Part.Kind.TOOL_CALL || p.kind() == Part.Kind.OTHER || p.text().length() == 0,
                        file + ": text kept by a tap that drops it");
                }
            }
            for (final Choice c : kept.aggregator().result().choices())
            {
                textKept += c.joined(Part.Kind.TEXT).length() + c.joined(Part.Kind.REASONING).length();
            }
            final GenAiRecord a = kept.finish(null);
            final GenAiRecord b = dropped.finish(null);
            kept.release();
            dropped.release();
            assertEquals(a.toJson(), b.toJson(), file.toString());
        }
        assertTrue(textKept > 0, "the recordings carried text");
    }
}
