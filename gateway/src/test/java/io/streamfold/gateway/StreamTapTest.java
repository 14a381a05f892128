package io.streamfold.gateway;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.parser.internal.Buffers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamTapTest
{
    static
    {
        LeakCheck.install();
    }

    @org.junit.jupiter.api.AfterAll
    static void noLeaks()
    {
        LeakCheck.assertNoLeaks();
    }

    private static String direct(final byte[] bytes, final Format format)
    {
        final StreamAggregator a = StreamAggregator.create(format);
        a.feed(bytes, 0, bytes.length);
        a.end();
        return a.result().toJson();
    }

    /**
     * The build runs this class a second time without Agrona's JVM flag ({@code streamfold.expectSafeBuffers}):
     * there a direct buffer's memory address cannot be read, and before the feeder knew it every feed of a
     * direct {@link ByteBuf} threw {@link NoClassDefFoundError}.
     */
    @Test
    void everyBufferKindFoldsLikeAnArrayAndIsLeftUntouched()
    {
        if (Boolean.getBoolean("streamfold.expectSafeBuffers"))
        {
            assertFalse(Buffers.UNSAFE, "no --add-exports: the flag-free buffers must be chosen");
        }
        final TapPool pool = new TapPool();
        final Random random = new Random(11);
        for (final Path file : Corpus.streams())
        {
            final byte[] bytes = Corpus.bytes(file);
            for (final Format format : new Format[]{Format.AUTO, Corpus.expectedChoice(file)})
            {
                final String expected = direct(bytes, format);
                for (int kind = 0; kind < 4; kind++)
                {
                    final StreamTap tap = pool.acquire(format);
                    tap.start(Corpus.requestPath(file), null, 0);
                    tap.responseHead(200, Corpus.contentType(file));
                    int at = 0;
                    while (at < bytes.length)
                    {
                        final int n = Math.min(bytes.length - at, 1 + random.nextInt(3000));
                        feedAs(kind, tap, bytes, at, n, random);
                        at += n;
                    }
                    final GenAiRecord record = tap.finish(null);
                    assertNotNull(record);
                    assertEquals(expected, tap.aggregator().result().toJson(), file + " kind " + kind + " " + format);
                    assertEquals(bytes.length, record.responseBytes());
                    assertNull(tap.finish(null), "a second finish makes no record");
                    tap.release();
                }
            }
        }
    }

    private static void feedAs(
        final int kind, final StreamTap tap, final byte[] bytes, final int at, final int n, final Random random)
    {
        switch (kind)
        {
            case 0:
            {
                // A heap buffer with other bytes around the readable range.
                final ByteBuf b = Unpooled.buffer(n + 20);
                b.writeZero(7).writeBytes(bytes, at, n).writeZero(5).readerIndex(7).writerIndex(7 + n);
                check(tap, b);
                b.release();
                break;
            }
            case 1:
            {
                final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(n + 8);
                b.writeZero(3).writeBytes(bytes, at, n).readerIndex(3);
                check(tap, b);
                b.release();
                break;
            }
            case 2:
            {
                final CompositeByteBuf c = PooledByteBufAllocator.DEFAULT.compositeBuffer();
                int done = 0;
                while (done < n)
                {
                    final int part = Math.min(n - done, 1 + random.nextInt(40));
                    final ByteBuf b = random.nextBoolean() ?
                        PooledByteBufAllocator.DEFAULT.directBuffer(part) : Unpooled.buffer(part);
                    b.writeBytes(bytes, at + done, part);
                    c.addComponent(true, b);
                    done += part;
                }
                check(tap, c);
                c.release();
                break;
            }
            default:
            {
                final ByteBuffer direct = ByteBuffer.allocateDirect(n + 4);
                direct.position(2);
                direct.put(bytes, at, n);
                direct.position(2).limit(2 + n);
                final ByteBuffer view = random.nextBoolean() ? direct.asReadOnlyBuffer() : direct;
                tap.feed(view);
                assertEquals(2, view.position());
                assertEquals(2 + n, view.limit());
            }
        }
    }

    private static void check(final StreamTap tap, final ByteBuf b)
    {
        final int reader = b.readerIndex();
        final int writer = b.writerIndex();
        final int refs = b.refCnt();
        tap.feed(b);
        assertEquals(reader, b.readerIndex());
        assertEquals(writer, b.writerIndex());
        assertEquals(refs, b.refCnt());
    }

    @Test
    void aThrowingListenerStopsTheStreamAsAPolicyStop()
    {
        final TapPool pool = new TapPool();
        final StreamTap tap = pool.acquire(Format.OPENAI_CHAT);
        tap.listener(new StreamListener()
        {
            @Override
            public void onTextDelta(final int choice, final CharSequence text)
            {
                throw new IllegalStateException("blocked word");
            }
        });
        final byte[] bytes = Corpus.bytes(Corpus.root().resolve("openai-chat/openai-gpt4o-text-basic.sse"));
        tap.start("/v1/chat/completions", "gpt-4o", 10);
        tap.responseHead(200, "text/event-stream");
        for (int at = 0; at < bytes.length; at += 64)
        {
            tap.feed(bytes, at, Math.min(64, bytes.length - at));
        }
        assertTrue(tap.isStopped());
        final GenAiRecord record = tap.finish(null);
        assertEquals(GatewayOutcome.POLICY_STOP, record.outcome());
        assertTrue(record.stopReason().contains("blocked word"), record.stopReason());
        assertEquals(UsageSource.MISSING, record.usageSource(), "bytes after the stop are not folded");
        assertEquals(bytes.length, record.responseBytes(), "but they are counted");
        tap.release();
        assertTrue(!pool.acquire(Format.OPENAI_CHAT).isStopped(), "a released tap comes back clean");
    }
}
