package io.streamfold.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.parser.FramingLimits;

/**
 * Reads a command's input (a file, or stdin for {@code -}) in the slices it arrives in and hands each slice on
 * at once, so a live pipe ({@code curl ... | streamfold aggregate -}) is folded while it streams.
 *
 * <p>A recorded cassette (a JSON object whose {@code response.body} holds the chunks under {@code __data__})
 * is recognised by its structure and converted to the SSE bytes it records as it arrives ({@link Cassette}).
 * Input starting with {@code '{'} could also be NDJSON, whose first object ends with its first line; so the
 * input is held back (at most one frame's worth) only until it shows a cassette's {@code response.body} or its
 * first object ends without one: then it is handed on (that object on one line, should it span several) and the rest
 * streams as usual.
 */
final class Input
{
    /** Bytes asked of the input per read: about what a socket delivers per wakeup. */
    static final int READ_BYTES = 8192;


    /** Receives the input's bytes slice by slice. */
    interface Sink
    {
        /**
         * @param bytes  valid only during the call.
         * @param offset first byte.
         * @param length number of bytes, at least 1.
         */
        void accept(byte[] bytes, int offset, int length);

        /** @return true when no more bytes are wanted (the stream's terminal event arrived). */
        default boolean isDone()
        {
            return false;
        }
    }

    private Input()
    {
    }

    /**
     * @param name     a path, or {@code -} for stdin.
     * @param terminal supplies stdin.
     * @return the open stream; stdin is wrapped so closing it leaves the process's stdin open.
     * @throws UnusableInputException when the file cannot be opened.
     */
    static InputStream open(final String name, final Terminal terminal) throws UnusableInputException
    {
        if ("-".equals(name))
        {
            return new UnclosedInputStream(terminal.in);
        }
        final Path path = Path.of(name);
        if (Files.isDirectory(path))
        {
            throw new UnusableInputException(name + ": is a directory");
        }
        try
        {
            return Files.newInputStream(path);
        }
        catch (final NoSuchFileException e)
        {
            throw new UnusableInputException(name + ": no such file");
        }
        catch (final AccessDeniedException e)
        {
            throw new UnusableInputException(name + ": permission denied");
        }
        catch (final IOException e)
        {
            throw new UnusableInputException(name + ": cannot open: " + e.getMessage());
        }
    }

    /**
     * Reads the input to its end (or until the sink is done), a cassette converted as it arrives.
     *
     * @param in   the input, not closed.
     * @param sink receives the stream's bytes.
     * @return the number of bytes read from {@code in} (0 means the input was empty).
     * @throws IOException            when reading fails, or a cassette breaks a rule after some of it was handed on
     *                                (a {@link Cassette.CassetteException}: what came before stays folded).
     * @throws UnusableInputException when the input is a cassette that cannot be read from its start.
     */
    static long pump(final InputStream in, final Sink sink) throws IOException, UnusableInputException
    {
        return pump(in, sink, FramingLimits.DEFAULT);
    }

    /** As {@link #pump(InputStream, Sink)}, a cassette read under {@code limits}, the stream's own. */
    static long pump(final InputStream in, final Sink sink, final FramingLimits limits) throws IOException, UnusableInputException
    {
        final byte[] buffer = new byte[READ_BYTES];
        final CountingSink counted = new CountingSink(sink);
        final Cassette cassette = new Cassette(limits, counted);
        byte[] held = new byte[READ_BYTES];
        int heldLength = 0;
        int decision = Cassette.UNDECIDED;
        long total = 0;
        int n;
        try
        {
            while ((n = in.read(buffer, 0, buffer.length)) != -1)
            {
                total += n;
                if (decision == Cassette.NOT_A_CASSETTE)
                {
                    if (n > 0)
                    {
                        sink.accept(buffer, 0, n);
                    }
                }
                else if (decision == Cassette.CASSETTE)
                {
                    cassette.feed(buffer, 0, n);
                }
                else
                {
                    // Held until the input shows whether it is a cassette, bounded as one frame is.
                    if (heldLength + n > held.length)
                    {
                        held = Arrays.copyOf(held, Math.max(heldLength + n, held.length * 2));
                    }
                    System.arraycopy(buffer, 0, held, heldLength, n);
                    heldLength += n;
                    decision = cassette.feed(buffer, 0, n);
                    if (decision == Cassette.UNDECIDED && heldLength >= limits.maxFrameBytes())
                    {
                        decision = Cassette.NOT_A_CASSETTE;
                    }
                    if (decision != Cassette.UNDECIDED)
                    {
                        if (decision == Cassette.NOT_A_CASSETTE)
                        {
                            onOneLine(held, cassette.rootObjectEnd());
                            handOn(held, heldLength, sink);
                        }
                        held = null;
                    }
                }
                if (sink.isDone())
                {
                    return total;
                }
            }
            if (cassette.end() == Cassette.NOT_A_CASSETTE && held != null && heldLength > 0)
            {
                onOneLine(held, Math.min(cassette.rootObjectEnd(), heldLength));
                handOn(held, heldLength, sink);
            }
        }
        catch (final Cassette.CassetteException e)
        {
            if (counted.handedOn == 0)
            {
                throw new UnusableInputException("not a readable cassette: " + firstLine(e.getMessage()));
            }
            throw e;
        }
        return total;
    }

    /**
     * Reads a whole input into memory, a cassette converted to its SSE bytes.
     *
     * @param path     a path, or {@code -} for stdin.
     * @param terminal supplies stdin.
     * @return the stream's bytes.
     */
    static byte[] readStream(final String path, final Terminal terminal) throws IOException, UnusableInputException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = open(path, terminal))
        {
            pump(in, out::write);
        }
        return out.toByteArray();
    }

    /**
     * A JSON object the input starts with that spans lines (a pretty-printed document: an HTTP error body saved to a
     * file, a non-streaming response) is no NDJSON line: its line ends become spaces, so that it reads as the one event
     * it is, at the same offsets. A raw line end can only be whitespace in JSON (strings escape theirs).
     *
     * @param end the input offset just past that object, or -1 when the input does not start with one.
     */
    private static void onOneLine(final byte[] held, final long end)
    {
        for (int i = 0; i < end; i++)
        {
            if (held[i] == '\n' || held[i] == '\r')
            {
                held[i] = ' ';
            }
        }
    }

    private static void handOn(final byte[] bytes, final int length, final Sink sink)
    {
        for (int offset = 0; offset < length && !sink.isDone(); offset += READ_BYTES)
        {
            sink.accept(bytes, offset, Math.min(READ_BYTES, length - offset));
        }
    }

    static String firstLine(final String message)
    {
        if (message == null)
        {
            return "";
        }
        final int eol = message.indexOf('\n');
        return eol < 0 ? message : message.substring(0, eol);
    }

    /** Counts the cassette's bytes handed on, so an error before any is the input's, after some a cut. */
    private static final class CountingSink implements Cassette.Sink
    {
        private final Sink sink;
        private long handedOn;

        CountingSink(final Sink sink)
        {
            this.sink = sink;
        }

        @Override
        public void accept(final byte[] bytes, final int offset, final int length)
        {
            handedOn += length;
            if (!sink.isDone())
            {
                sink.accept(bytes, offset, length);
            }
        }
    }

    /** Stdin as seen by one command: closing it must not close the process's stdin. */
    private static final class UnclosedInputStream extends java.io.FilterInputStream
    {
        UnclosedInputStream(final InputStream in)
        {
            super(in);
        }

        @Override
        public void close()
        {
        }
    }
}
