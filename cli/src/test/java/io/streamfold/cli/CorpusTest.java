package io.streamfold.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI over every recorded OpenAI chat stream: the same answer as the library fed the whole body at once. */
class CorpusTest
{
    @Test
    void aggregateMatchesTheLibraryOnEveryChatStream() throws IOException
    {
        final List<Path> streams = SharedFiles.corpus("openai-chat", ".sse");
        assertFalse(streams.isEmpty());
        for (final Path stream : streams)
        {
            final StreamAggregator library = StreamAggregator.create(Format.AUTO);
            final byte[] bytes = SharedFiles.read(stream);
            library.feed(bytes, 0, bytes.length);
            library.end();

            final CliRun run = CliRun.run("aggregate", stream.toString());
            final String what = stream.getFileName() + "\n" + run;
            final boolean clean = library.result().outcome() == Outcome.COMPLETE && library.result().errors().isEmpty();
            assertEquals(clean ? 0 : 3, run.exitCode, what);
            assertEquals(library.result().toJson() + "\n", run.out, what);
            assertEquals(library.result().errors().size(), run.errLines().size(), what);
            for (final StreamError error : library.result().errors())
            {
                assertTrue(run.err.contains(FormatOption.describe(error)), what);
            }
            assertFalse(run.err.contains("internal error"), what);
        }
    }

    @Test
    void eventsAreTheSameWholeAndInOddSlices() throws IOException
    {
        for (final Path stream : SharedFiles.corpus("openai-chat", ".sse"))
        {
            final CliRun whole = CliRun.run("events", stream.toString());
            final CliRun split = CliRun.run("events", "--chunk", "7", stream.toString());
            assertEquals(0, whole.exitCode, stream.getFileName() + "\n" + whole);
            assertEquals(whole.out, split.out, stream.getFileName().toString());
            assertTrue(whole.outLines().size() > 1, stream.getFileName().toString());
        }
    }
}
