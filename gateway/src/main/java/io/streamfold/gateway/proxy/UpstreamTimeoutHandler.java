package io.streamfold.gateway.proxy;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;

/**
 * Times out an upstream that stays silent while a response is due: from the request write to the last
 * content, any gap between reads longer than the timeout fails the channel with
 * {@link ReadTimeoutException} and closes it. An idle keep-alive connection never times out.
 */
final class UpstreamTimeoutHandler extends ChannelDuplexHandler
{
    private final long timeoutNanos;
    private long lastRead;
    private boolean due;
    private ScheduledFuture<?> check;

    UpstreamTimeoutHandler(final long timeoutNanos)
    {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (msg instanceof HttpRequest)
        {
            due = true;
            lastRead = System.nanoTime();
            schedule(ctx, timeoutNanos);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        lastRead = System.nanoTime();
        if (msg instanceof LastHttpContent)
        {
            due = false;
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        due = false;
        cancel();
        ctx.fireChannelInactive();
    }

    private void schedule(final ChannelHandlerContext ctx, final long delayNanos)
    {
        cancel();
        check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check(final ChannelHandlerContext ctx)
    {
        check = null;
        if (!due || !ctx.channel().isActive())
        {
            return;
        }
        final long silent = System.nanoTime() - lastRead;
        if (silent >= timeoutNanos)
        {
            due = false;
            ctx.fireExceptionCaught(ReadTimeoutException.INSTANCE);
            ctx.close();
        }
        else
        {
            schedule(ctx, timeoutNanos - silent);
        }
    }

    private void cancel()
    {
        if (check != null)
        {
            check.cancel(false);
            check = null;
        }
    }
}
