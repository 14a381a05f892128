package io.streamfold.gateway.proxy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.streamfold.gateway.GenAiRecord;

/**
 * Writes one JSON line per record on its own thread, so event loops never block on a file or a pipe.
 * Records are immutable, so handing them over needs no copy.
 */
public final class RecordWriter implements Consumer<GenAiRecord>, AutoCloseable
{
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object end = new Object();
    private final OutputStream out;
    private final boolean closeOut;
    private final Thread thread;
    private volatile IOException failure;

    /**
     * @param out      destination.
     * @param closeOut true to close {@code out} on {@link #close()} (a file), false to flush only (stdout).
     */
    public RecordWriter(final OutputStream out, final boolean closeOut)
    {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.closeOut = closeOut;
        thread = new Thread(this::run, "streamfold-records");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(final GenAiRecord record)
    {
        queue.add(record);
    }

    /** @return the first write failure, or null. */
    public IOException failure()
    {
        return failure;
    }

    @Override
    public void close() throws InterruptedException
    {
        queue.add(end);
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void run()
    {
        try
        {
            while (true)
            {
                Object next = queue.take();
                while (next != null)
                {
                    if (next == end)
                    {
                        flush();
                        if (closeOut)
                        {
                            closeQuietly();
                        }
                        return;
                    }
                    write((GenAiRecord)next);
                    next = queue.poll();
                }
                flush();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void write(final GenAiRecord record)
    {
        // After a failure records are still taken off the queue, so a broken pipe cannot grow memory.
        if (failure == null)
        {
            try
            {
                record.writeJson(out);
                out.write('\n');
            }
            catch (final IOException e)
            {
                failure = e;
            }
        }
    }

    private void flush()
    {
        if (failure == null)
        {
            try
            {
                out.flush();
            }
            catch (final IOException e)
            {
                failure = e;
            }
        }
    }

    private void closeQuietly()
    {
        try
        {
            out.close();
        }
        catch (final IOException e)
        {
            if (failure == null)
            {
                failure = e;
            }
        }
    }
}
