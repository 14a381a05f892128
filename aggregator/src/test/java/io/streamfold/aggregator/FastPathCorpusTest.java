package io.streamfold.aggregator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                final Run full = run(format, stream, seed, false);
                final Run fast = run(format, stream, seed, true);
                final String where = file.getFileName() + " seed " + seed;
                assertEquals(0, full.folds, where);
                assertEquals(full.json, fast.json, where);
                assertEquals(full.normalized, fast.normalized, where);
                assertEquals(full.errors, fast.errors, where);
                assertEquals(full.events, fast.events, where);
                folds += fast.folds;
            }
        }
        // Recorded Gemini chunks rarely repeat (finish reasons, safety ratings, growing usage on every chunk).
        assertTrue(folds > 0 || !taken, "the fast path never ran on " + folder + " " + suffix);
    }

    static final class Run
    {
        String json;
        String normalized;
        final List<String> errors = new ArrayList<>();
        List<String> events;
        long folds;
    }

    /** Seed 0 feeds the stream whole; others in random slices, odd seeds through direct buffers. */
    static Run run(final Format format, final byte[] stream, final long seed, final boolean fastPath)
    {
        final RecordingListener listener = new RecordingListener();
        final StreamAggregator aggregator = StreamAggregator.builder().format(format).listener(listener).build();
        aggregator.dialect().fastPath(fastPath);
        final Feeding.Via via = seed % 2 == 1 ? Feeding.Via.DIRECT : Feeding.Via.SCRIBBLED;
        if (seed == 0)
        {
            Feeding.feedWhole(aggregator, stream, via);
        }
        else
        {
            Feeding.feedAll(aggregator, stream, Feeding.randomSizes(new Random(seed), 64, 4096), via);
        }
        aggregator.end();
        final Aggregate result = aggregator.result();
        final Run run = new Run();
        run.json = result.toJson();
        run.normalized = result.toNormalizedJson();
        for (final StreamError e : result.errors())
        {
            run.errors.add(e.kind() + " " + e.eventNumber() + " " + e.byteOffset() + " " + e.message());
        }
        run.errors.add(result.outcome().toString());
        run.events = listener.events;
        run.folds = aggregator.dialect().fastFolds();
        return run;
    }
}
