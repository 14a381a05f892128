package io.streamfold.aggregator;

import java.nio.file.Path;

import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recording of a dialect with a repeated-event fast path folds to the same written JSON, normalized
 * view, errors, outcome and listener events with the fast path on and off, whole and in random slices (byte
 * arrays and direct buffers); and the fast path does take a share of the folder's events.
 */
class FastPathCorpusTest
{
    @ParameterizedTest
    @CsvSource({ "anthropic-messages,ANTHROPIC,.sse,true", "openai-responses,OPENAI_RESPONSES,.sse,true",
        "openai-chat,OPENAI_CHAT,.sse,true", "ollama,OLLAMA,.ndjson,true", "gemini,GEMINI,.sse,true", "gemini,GEMINI,.json,false" })
    void fastPathIsInvisibleOnTheCorpus(final String folder, final Format format, final String suffix, final boolean taken)
    {
        long folds = 0;
        for (final Path file : SharedFiles.corpus(folder, suffix))
        {
            final byte[] stream = SharedFiles.read(file);
            for (int seed = 0; seed < 6; seed++)
            {
                // Seed 0 feeds the stream whole; others in random slices, odd seeds through direct buffers.
                final FastPathRun full = FastPathRun.of(format, stream, AggregationLimits.DEFAULT, false, seed % 2 == 1, seed, false);
                final FastPathRun fast = FastPathRun.of(format, stream, AggregationLimits.DEFAULT, false, seed % 2 == 1, seed, true);
                FastPathRun.assertSame(full, fast, file.getFileName() + " seed " + seed);
                folds += fast.folds;
            }
        }
        // Gemini's JSON-array recordings are one or two elements each: nothing there repeats.
        assertTrue(folds > 0 || !taken, "the fast path never ran on " + folder + " " + suffix);
    }
}
