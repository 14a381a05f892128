package io.streamfold.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 9 class 12: a reader that closes standard output early ({@code | head}) ends the command quietly. */
class ClosedStdoutTest
{
    /** Standard output whose reader goes away after {@code accepted} bytes. */
    private static final class ClosingPipe extends OutputStream
    {
        private final int accepted;
        private final String failure;
        private int written;

        ClosingPipe(final int accepted, final String failure)
        {
            this.accepted = accepted;
            this.failure = failure;
        }

        @Override
        public void write(final int b) throws IOException
        {
            write(new byte[] { (byte)b }, 0, 1);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException
        {
            if (written + len > accepted)
            {
                throw new IOException(failure);
            }
            written += len;
        }
    }

    private static int[] exitAndErr(final OutputStream stdout, final ByteArrayOutputStream err, final byte[] stdin,
        final String... args)
    {
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        final int exit = Main.commandLine(new Terminal(new ByteArrayInputStream(stdin), stdout, errStream)).execute(args);
        errStream.flush();
        return new int[] { exit };
    }

    private static byte[] seedSse() throws IOException
    {
        return Cassette.toSse(SharedFiles.read(SharedFiles.require().resolve("seed/000_5fd678bb3025000e.txt")));
    }

    @Test
    void aggregateAndEventsEndQuietlyWhenTheReaderGoesAway() throws IOException
    {
        final byte[] sse = seedSse();
        for (final String[] args : new String[][] {
            { "aggregate", "-" }, { "aggregate", "--pretty", "-" }, { "aggregate", "--normalized", "-" }, { "events", "-" } })
        {
            for (final int accepted : new int[] { 0, 10 })
            {
                final ByteArrayOutputStream err = new ByteArrayOutputStream();
                final int exit = exitAndErr(new ClosingPipe(accepted, "Broken pipe"), err, sse, args)[0];
                final String errText = err.toString(StandardCharsets.UTF_8);
                assertEquals(Main.EXIT_READER_GONE, exit, String.join(" ", args) + ": " + errText);
                assertEquals("", errText, String.join(" ", args));
            }
        }
    }

    @Test
    void anotherOutputFailureIsOneLineWithoutATrace() throws IOException
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = exitAndErr(new ClosingPipe(0, "No space left on device"), err, seedSse(), "aggregate", "-")[0];
        final String errText = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_UNUSABLE, exit, errText);
        assertEquals(1, errText.split("\n").length, errText);
        assertTrue(errText.contains("No space left on device"), errText);
        assertFalse(errText.contains("internal error"), errText);
        assertFalse(errText.contains("\tat "), errText);
    }
}
