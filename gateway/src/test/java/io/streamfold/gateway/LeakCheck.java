package io.streamfold.gateway;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Netty's leak detector at PARANOID (every buffer tracked), with every report counted so a test can fail
 * on it. Installed once per test JVM, before the first buffer is made.
 */
final class LeakCheck
{
    private static final AtomicInteger LEAKS = new AtomicInteger();
    private static final StringBuilder REPORTS = new StringBuilder();

    static
    {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory()
        {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                final Class<T> resource, final int samplingInterval, final long maxActive)
            {
                return new ResourceLeakDetector<T>(resource, samplingInterval)
                {
                    @Override
                    protected boolean needReport()
                    {
                        // Counted whatever logging backend the classpath happens to have.
                        return true;
                    }

                    @Override
                    protected void reportTracedLeak(final String resourceType, final String records)
                    {
                        count(resourceType + records);
                    }

                    @Override
                    protected void reportUntracedLeak(final String resourceType)
                    {
                        count(resourceType);
                    }
                };
            }
        });
    }

    private LeakCheck()
    {
    }

    static void install()
    {
        // The static initialiser does the work.
    }

    private static synchronized void count(final String report)
    {
        LEAKS.incrementAndGet();
        if (REPORTS.length() < 20_000)
        {
            REPORTS.append(report).append('\n');
        }
    }

    /** @return leaks reported so far. */
    static int leaks()
    {
        return LEAKS.get();
    }

    /** Forgets reports after {@code count}: for the test that leaks on purpose to prove detection works. */
    static synchronized void forgetAfter(final int count)
    {
        LEAKS.set(count);
        if (count == 0)
        {
            REPORTS.setLength(0);
        }
    }

    /** Runs the collector and makes the detector look at what it collected. */
    static void collect()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            // Leaks are reported when the next buffer is tracked.
            for (int j = 0; j < 64; j++)
            {
                final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
                io.netty.buffer.Unpooled.buffer(16).release();
            }
        }
    }

    /** Collects garbage, makes the detector look, and fails on any leak reported so far. */
    static void assertNoLeaks()
    {
        collect();
        synchronized (LeakCheck.class)
        {
            assertEquals(0, LEAKS.get(), REPORTS.toString());
        }
    }
}
