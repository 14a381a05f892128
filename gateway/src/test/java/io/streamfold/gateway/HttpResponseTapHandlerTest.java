package io.streamfold.gateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.streamfold.aggregator.Format;
import io.streamfold.gateway.netty.HttpResponseTapHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Netty handler on its own: what the next handler sees, and what it owns. */
class HttpResponseTapHandlerTest
{
    static
    {
        LeakCheck.install();
    }

    @AfterAll
    static void noLeaks()
    {
        LeakCheck.assertNoLeaks();
    }

    @Test
    void theNextHandlerGetsTheSameMessagesWithTheirIndexesAndReferencesAndMayReleaseThem()
    {
        final Path file = Corpus.root().resolve("openai-chat/openai-gpt4o-tool-call-single.sse");
        final byte[] bytes = Corpus.bytes(file);
        final List<GenAiRecord> records = new ArrayList<>();
        final List<String> seen = new ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(
            new HttpResponseTapHandler(new TapPool(), records::add, null),
            new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    if (msg instanceof HttpContent)
                    {
                        final ByteBuf content = ((HttpContent)msg).content();
                        // The relay sees the codec's reader index, and the codec's reference plus the one the tap holds
                        // until it has fed, so the relay may write and release at once.
                        seen.add(content.refCnt() + "@" + content.readerIndex());
                        content.skipBytes(content.readableBytes());
                    }
                    // Then it consumes it, as a relay writing to another channel does.
                    ReferenceCountUtil.release(msg);
                }
            });
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions",
            PooledByteBufAllocator.DEFAULT.buffer().writeBytes("{\"model\":\"gpt-4o\"}".getBytes())));
        ReferenceCountUtil.release(channel.readOutbound());
        final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        channel.writeInbound(head);
        final List<ByteBuf> sent = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += 97)
        {
            final int n = Math.min(97, bytes.length - at);
            final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(n + 3).writeZero(3).writeBytes(bytes, at, n);
            b.readerIndex(3);
            sent.add(b);
            channel.writeInbound(new DefaultHttpContent(b));
        }
        channel.writeInbound(new DefaultLastHttpContent());
        for (final ByteBuf b : sent)
        {
            assertEquals(0, b.refCnt(), "released by its owner, the next handler; the tap kept nothing");
        }
        for (int i = 0; i < sent.size(); i++)
        {
            assertEquals("2@3", seen.get(i));
        }
        assertEquals(1, records.size());
        final GenAiRecord record = records.get(0);
        assertEquals(GatewayOutcome.COMPLETE, record.outcome());
        assertEquals(Format.OPENAI_CHAT, record.format());
        assertEquals("gpt-4o", record.requestModel());
        assertEquals(bytes.length, record.responseBytes());
        assertEquals(1, record.toolCallCount());
        channel.finishAndReleaseAll();
    }

    @Test
    void anEndFromAnotherThreadWhileFeedingMakesExactlyOneRecord() throws Exception
    {
        final byte[] bytes = Corpus.bytes(Corpus.root().resolve("openai-chat/openai-gpt41nano-text-long.sse"));
        for (int round = 0; round < 50; round++)
        {
            final TapPool pool = new TapPool();
            final StreamTap tap = pool.acquire(Format.OPENAI_CHAT).start("/v1/chat/completions", null, 0);
            tap.responseHead(200, "text/event-stream");
            final List<GenAiRecord> records = new CopyOnWriteArrayList<>();
            final SharedTap shared = new SharedTap(tap, records::add);
            final CountDownLatch started = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread feeder = new Thread(() ->
            {
                try
                {
                    final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
                    for (int at = 0; at < bytes.length; at += 13)
                    {
                        shared.feed(b, at, Math.min(13, bytes.length - at));
                        started.countDown();
                    }
                    b.release();
                    shared.finish(null);
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            feeder.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            final boolean mine = shared.finish(GatewayOutcome.CLIENT_ABORTED);
            feeder.join(10_000);
            assertEquals(null, failure.get());
            assertEquals(1, records.size(), "one record, whoever ends first");
            assertEquals(mine ? GatewayOutcome.CLIENT_ABORTED : GatewayOutcome.COMPLETE, records.get(0).outcome());
            assertSame(tap, pool.acquire(Format.OPENAI_CHAT), "the tap went back to its pool");
        }
    }
}
