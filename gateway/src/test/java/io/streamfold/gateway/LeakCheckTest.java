package io.streamfold.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leak check the other tests rely on does catch a leak. */
class LeakCheckTest
{
    static
    {
        LeakCheck.install();
    }

    @Test
    void aBufferNeverReleasedIsReported() throws Exception
    {
        final int before = LeakCheck.leaks();
        leak();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (LeakCheck.leaks() == before && System.nanoTime() < deadline)
        {
            LeakCheck.collect();
        }
        final int after = LeakCheck.leaks();
        LeakCheck.forgetAfter(before);
        assertTrue(after > before, "a leaked buffer was reported");
    }

    private static void leak()
    {
        final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
