package io.streamfold.gateway.netty;

import java.util.Objects;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.streamfold.gateway.FormatChooser;
import io.streamfold.gateway.GatewayOutcome;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.gateway.RequestModel;
import io.streamfold.gateway.StreamTap;
import io.streamfold.gateway.TapPool;

/**
 * Taps an HTTP client pipeline (after {@code HttpClientCodec}): every request written through it starts
 * the clock, every response's body is folded as it passes, and one {@link GenAiRecord} goes to the sink
 * when the response ends, however it ends. Messages pass on untouched: the handler forwards each one
 * first, then feeds the range it saw by absolute index, holding one reference of its own until then, so
 * the next handler may move the reader index, write the buffer out and release it at once; the tap leaves
 * the count as it found it and releases nothing it does not own. Requests on a connection are sequential
 * (HTTP/1.1).
 *
 * <p>A policy stop ({@link StreamTap#stop}) closes the upstream connection and fires {@link PolicyStop}
 * down the pipeline so the relay can end its downstream response cleanly.
 */
public final class HttpResponseTapHandler extends ChannelDuplexHandler
{
    /** Fired down the pipeline when a policy stopped the response; the record is already made. */
    public static final class PolicyStop
    {
        private final String reason;

        PolicyStop(final String reason)
        {
            this.reason = reason;
        }

        /** @return why. */
        public String reason()
        {
            return reason;
        }
    }

    private final TapPool pool;
    private final Consumer<GenAiRecord> sink;
    private final Consumer<StreamTap> binder;
    private String path;
    private String requestModel;
    private long requestBytes;
    private long startEpochMillis;
    private long startNanos;
    private boolean requestPending;
    private StreamTap tap;

    /**
     * @param pool   where taps come from.
     * @param sink   receives each record (on the event loop: hand slow work to another thread).
     * @param binder called with each new tap before its first byte, to bind a listener or context; may be null.
     */
    public HttpResponseTapHandler(final TapPool pool, final Consumer<GenAiRecord> sink, final Consumer<StreamTap> binder)
    {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.binder = binder;
    }

    /**
     * Ends the current response for a cause the tap cannot see (the downstream client went away): the record
     * is made now. Call on the channel's event loop.
     *
     * @param cause usually {@link GatewayOutcome#CLIENT_ABORTED}.
     */
    public void abort(final GatewayOutcome cause)
    {
        if (tap == null && requestPending)
        {
            startTap(0, null);
        }
        end(cause);
    }

    /** @return true while a request was sent and its response has not ended. */
    public boolean inFlight()
    {
        return requestPending || tap != null;
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) throws Exception
    {
        if (msg instanceof HttpRequest)
        {
            final HttpRequest request = (HttpRequest)msg;
            path = request.uri();
            requestModel = null;
            requestBytes = 0;
            requestPending = true;
            startEpochMillis = pool.clock().epochMillis();
            startNanos = pool.clock().nanoTime();
            if (msg instanceof FullHttpRequest)
            {
                final ByteBuf body = ((FullHttpRequest)msg).content();
                requestBytes = body.readableBytes();
                requestModel = model(body);
            }
        }
        else if (msg instanceof HttpContent)
        {
            requestBytes += ((HttpContent)msg).content().readableBytes();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        if (msg instanceof HttpResponse)
        {
            final HttpResponse response = (HttpResponse)msg;
            final int status = response.status().code();
            if (status >= 100 && status < 200)
            {
                ctx.fireChannelRead(msg);
                return;
            }
            startTap(status, response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        }
        if (!(msg instanceof HttpContent) || tap == null)
        {
            ctx.fireChannelRead(msg);
            return;
        }
        final HttpContent content = (HttpContent)msg;
        final ByteBuf buf = content.content();
        final int index = buf.readerIndex();
        final int length = buf.readableBytes();
        final boolean last = msg instanceof LastHttpContent;
        final boolean failed = content.decoderResult().isFailure();
        final StreamTap current = tap;
        // Our own reference: the next handler may write the buffer out and release it before we read it.
        buf.retain();
        try
        {
            ctx.fireChannelRead(msg);
            current.feed(buf, index, length);
        }
        finally
        {
            buf.release();
        }
        if (current != tap)
        {
            return;
        }
        if (current.isStopped())
        {
            final GenAiRecord record = end(null);
            ctx.fireUserEventTriggered(new PolicyStop(record == null ? "policy" : record.stopReason()));
            ctx.close();
        }
        else if (last)
        {
            end(failed ? GatewayOutcome.UPSTREAM_RESET : null);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (inFlight())
        {
            abort(GatewayOutcome.UPSTREAM_RESET);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) throws Exception
    {
        if (inFlight())
        {
            abort(cause instanceof ReadTimeoutException ? GatewayOutcome.UPSTREAM_TIMEOUT :
                GatewayOutcome.UPSTREAM_RESET);
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        if (tap != null)
        {
            tap.release();
            tap = null;
        }
    }

    private void startTap(final int status, final String contentType)
    {
        if (tap != null)
        {
            end(GatewayOutcome.UPSTREAM_RESET);
        }
        tap = pool.acquire(FormatChooser.choose(path, contentType));
        tap.start(path, requestModel, requestBytes, startEpochMillis, startNanos);
        if (binder != null)
        {
            binder.accept(tap);
        }
        if (status > 0)
        {
            tap.responseHead(status, contentType);
        }
    }

    private GenAiRecord end(final GatewayOutcome cause)
    {
        requestPending = false;
        final StreamTap current = tap;
        if (current == null)
        {
            return null;
        }
        tap = null;
        final GenAiRecord record = current.finish(cause);
        current.release();
        if (record != null)
        {
            sink.accept(record);
        }
        return record;
    }

    private static String model(final ByteBuf body)
    {
        if (!body.isReadable())
        {
            return null;
        }
        if (body.hasArray())
        {
            return RequestModel.find(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes());
        }
        final byte[] copy = ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes(), false);
        return RequestModel.find(copy, 0, copy.length);
    }
}
