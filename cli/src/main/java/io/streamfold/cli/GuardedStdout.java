package io.streamfold.cli;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output as the commands write to it, telling a failed write apart from every other I/O error:
 * a reader that goes away early ({@code streamfold aggregate … | head}) is the normal end of a pipeline,
 * not a defect, and {@link Main} ends the command quietly when it sees {@link Failed}.
 */
final class GuardedStdout extends OutputStream
{
    private final OutputStream out;

    GuardedStdout(final OutputStream out)
    {
        this.out = out;
    }

    /** A write to standard output failed; {@link #readerGone()} says whether the reader closed the pipe. */
    static final class Failed extends IOException
    {
        private static final long serialVersionUID = 1L;

        Failed(final IOException cause)
        {
            super("writing to standard output failed: " + Input.firstLine(String.valueOf(cause.getMessage())), cause);
        }

        /** @return true for EPIPE, the reader having closed its end (the JVM ignores SIGPIPE and reports this). */
        boolean readerGone()
        {
            final String message = getCause().getMessage();
            return message != null && message.contains("Broken pipe");
        }
    }

    /** @return the write failure in {@code e}'s cause chain, or null. */
    static Failed find(final Throwable e)
    {
        for (Throwable t = e; t != null; t = t.getCause())
        {
            if (t instanceof Failed)
            {
                return (Failed)t;
            }
        }
        return null;
    }

    @Override
    public void write(final int b) throws IOException
    {
        try
        {
            out.write(b);
        }
        catch (final Failed e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw new Failed(e);
        }
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException
    {
        try
        {
            out.write(b, off, len);
        }
        catch (final Failed e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw new Failed(e);
        }
    }

    @Override
    public void flush() throws IOException
    {
        try
        {
            out.flush();
        }
        catch (final Failed e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw new Failed(e);
        }
    }

    @Override
    public void close() throws IOException
    {
        flush();
    }
}
