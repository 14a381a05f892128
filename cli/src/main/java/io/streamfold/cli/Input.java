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

import io.streamfold.parser.internal.Bom;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.JsonScanner;
import org.agrona.DirectBuffer;

/**
 * Reads a command's input (a file, or stdin for {@code -}) in the slices it arrives in and hands each slice on
 * at once, so a live pipe ({@code curl ... | streamfold aggregate -}) is folded while it streams.
 *
 * <p>A recorded cassette (a JSON object whose {@code response.body} holds the chunks under {@code __data__})
 * is recognised and converted to the SSE bytes it records before anything is handed on. Input starting with
 * {@code '{'} could also be NDJSON, whose first object ends with its first line; so only the first top-level
 * JSON object is held back, and it decides: a cassette is read whole and converted, anything else is handed
 * on unchanged and the rest streams as usual.
 */
final class Input
{
    /** Bytes asked of the input per read: about what a socket delivers per wakeup. */
    static final int READ_BYTES = 8192;

    /** A first JSON object longer than this is judged from its head, as {@link Cassette#looksLikeCassette} does. */
    private static final int MAX_HELD_BYTES = 1 << 20;

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
     * Reads the input to its end (or until the sink is done), converting a cassette first.
     *
     * @param in   the input, not closed.
     * @param sink receives the stream's bytes.
     * @return the number of bytes read from {@code in} (0 means the input was empty).
     * @throws IOException            when reading fails.
     * @throws UnusableInputException when the input is a cassette that cannot be read.
     */
    static long pump(final InputStream in, final Sink sink) throws IOException, UnusableInputException
    {
        final byte[] buffer = new byte[READ_BYTES];
        final FirstObjectScanner scanner = new FirstObjectScanner();
        byte[] held = new byte[READ_BYTES];
        int heldLength = 0;
        long total = 0;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) != -1)
        {
            total += n;
            if (held == null)
            {
                if (n > 0)
                {
                    sink.accept(buffer, 0, n);
                    if (sink.isDone())
                    {
                        return total;
                    }
                }
                continue;
            }
            if (heldLength + n > held.length)
            {
                held = Arrays.copyOf(held, Math.max(heldLength + n, held.length * 2));
            }
            System.arraycopy(buffer, 0, held, heldLength, n);
            final int verdict = scanner.scan(held, heldLength, heldLength + n);
            heldLength += n;
            if (verdict == FirstObjectScanner.UNDECIDED && heldLength < MAX_HELD_BYTES)
            {
                continue;
            }
            if (Cassette.looksLikeCassette(held, heldLength))
            {
                return total + replayCassette(in, held, heldLength, buffer, sink);
            }
            handOn(held, heldLength, sink);
            held = null;
            if (sink.isDone())
            {
                return total;
            }
        }
        if (held != null && heldLength > 0)
        {
            if (Cassette.looksLikeCassette(held, heldLength))
            {
                return total + replayCassette(in, held, heldLength, buffer, sink);
            }
            handOn(held, heldLength, sink);
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

    /** Reads the rest of a cassette, converts it, and hands on its SSE bytes in read-sized slices. */
    private static long replayCassette(
        final InputStream in, final byte[] head, final int headLength, final byte[] buffer, final Sink sink)
        throws IOException, UnusableInputException
    {
        final ByteArrayOutputStream whole = new ByteArrayOutputStream(Math.max(headLength * 2, READ_BYTES));
        whole.write(head, 0, headLength);
        long rest = 0;
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) != -1)
        {
            whole.write(buffer, 0, n);
            rest += n;
        }
        final byte[] sse;
        try
        {
            sse = Cassette.toSse(whole.toByteArray());
        }
        catch (final IOException e)
        {
            throw new UnusableInputException("not a readable cassette: " + firstLine(e.getMessage()));
        }
        handOn(sse, sse.length, sink);
        return rest;
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

    /**
     * Finds where the input's first top-level JSON object ends, across slices, tracking only strings and
     * brace depth: enough to tell an NDJSON first line from a whole cassette without parsing either.
     */
    static final class FirstObjectScanner
    {
        static final int UNDECIDED = 0;
        static final int OBJECT_ENDED = 1;
        static final int NOT_AN_OBJECT = 2;

        private final JsonScanner json = new JsonScanner();
        private final DirectBuffer view = Buffers.wrap(new byte[0]);
        private boolean started;
        private int position;

        /**
         * @param bytes all bytes held so far.
         * @param from  first byte not scanned yet.
         * @param to    end of the bytes held.
         * @return {@link #UNDECIDED}, {@link #OBJECT_ENDED} or {@link #NOT_AN_OBJECT}.
         */
        int scan(final byte[] bytes, final int from, final int to)
        {
            int i = from;
            for (; !started && i < to; i++, position++)
            {
                final byte b = bytes[i];
                if (Bom.isByteAt(b, position) || b == ' ' || b == '\t' || b == '\r' || b == '\n')
                {
                    continue;
                }
                if (b != '{')
                {
                    return NOT_AN_OBJECT;
                }
                started = true;
                break;
            }
            if (!started)
            {
                return UNDECIDED;
            }
            view.wrap(bytes);
            json.scan(view, i, to, Long.MAX_VALUE);
            return json.status() == JsonScanner.CLOSED ? OBJECT_ENDED : UNDECIDED;
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
