package io.streamfold.aggregator;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import io.streamfold.testkit.SharedFiles;

import org.junit.jupiter.api.Assumptions;

/**
 * The JVM's count of bytes the current thread has allocated, for tests that bound allocation in bytes (never in
 * time). Where the JVM keeps no such count, the test using it is skipped, not failed.
 */
public final class AllocationCounter
{
    private final com.sun.management.ThreadMXBean threads;

    private AllocationCounter(final com.sun.management.ThreadMXBean threads)
    {
        this.threads = threads;
    }

    /** @return the counter, switched on; skips the calling test where there is none. */
    public static AllocationCounter start()
    {
        final java.lang.management.ThreadMXBean generic = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(generic instanceof com.sun.management.ThreadMXBean, "no allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)generic;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        return new AllocationCounter(threads);
    }

    /** @return bytes the current thread has allocated so far. */
    public long bytes()
    {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /**
     * Folds {@code stream} {@code warmups} times on the reused aggregator, then once more with its feed measured.
     *
     * @param beforeMeasured runs after the warm-up, before the measured feed (a listener's tallies start over)
     * @return bytes the measured feed allocated; the aggregator has ended and holds that stream's result
     */
    public long warmFeed(final StreamAggregator a, final byte[] stream, final int warmups, final Runnable beforeMeasured)
    {
        for (int i = 0; i < warmups; i++)
        {
            a.reset();
            a.feed(stream, 0, stream.length);
            a.end();
        }
        a.reset();
        beforeMeasured.run();
        final long before = bytes();
        a.feed(stream, 0, stream.length);
        final long allocated = bytes() - before;
        a.end();
        return allocated;
    }

    /**
     * As {@link #warmFeed} for the recording {@code name} of corpus folder {@code folder}.
     *
     * @return bytes the measured feed allocated
     */
    public long warmFeedCorpus(final StreamAggregator a, final String folder, final String name)
    {
        final Path file = SharedFiles.corpus(folder, name.substring(name.lastIndexOf('.'))).stream()
            .filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        return warmFeed(a, SharedFiles.read(file), 50, () -> { });
    }
}
