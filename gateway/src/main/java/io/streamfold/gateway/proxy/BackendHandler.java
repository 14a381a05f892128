package io.streamfold.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.streamfold.gateway.netty.HttpResponseTapHandler;

/**
 * The upstream side of one client connection: relays the response to the client as it arrives (one flush
 * per upstream read), stops reading the upstream while the client cannot keep up.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter
{
    private final FrontendHandler frontend;
    private boolean responseStarted;
    private boolean chunked;
    private boolean upstreamClosing;
    private boolean timedOut;
    private boolean pendingFlush;
    private boolean stopped;

    BackendHandler(final FrontendHandler frontend)
    {
        this.frontend = frontend;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (stopped || !frontend.client().isActive())
        {
            // After a policy stop the client's response is already ended: what the upstream still had in
            // flight must not reach the client connection, where the next response will go.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse)
        {
            final HttpResponse response = (HttpResponse)msg;
            if (response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL)
            {
                ReferenceCountUtil.release(msg);
                return;
            }
            upstreamClosing = !HttpUtil.isKeepAlive(response);
            FrontendHandler.stripHopByHop(response.headers());
            final boolean bodiless = response.status().equals(HttpResponseStatus.NO_CONTENT) ||
                response.status().equals(HttpResponseStatus.NOT_MODIFIED);
            if (!bodiless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response))
            {
                // A close-delimited upstream body is re-framed as chunks so the client connection can stay open.
                HttpUtil.setTransferEncodingChunked(response, true);
            }
            chunked = HttpUtil.isTransferEncodingChunked(response);
            HttpUtil.setKeepAlive(response, frontend.clientKeepAlive());
            response.headers().remove(HttpHeaderNames.KEEP_ALIVE);
            responseStarted = true;
        }
        final boolean last = msg instanceof LastHttpContent;
        frontend.client().write(msg);
        pendingFlush = true;
        frontend.paused(ctx.channel());
        if (last)
        {
            frontend.client().flush();
            pendingFlush = false;
            responseStarted = false;
            frontend.responseDone(upstreamClosing, false);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        if (pendingFlush)
        {
            pendingFlush = false;
            frontend.client().flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof HttpResponseTapHandler.PolicyStop)
        {
            // The tap closes the upstream; end the client's response so it sees a whole (if shorter) body.
            final boolean wasStarted = responseStarted;
            stopped = true;
            responseStarted = false;
            upstreamClosing = true;
            if (wasStarted && chunked)
            {
                frontend.client().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                frontend.responseDone(true, false);
            }
            else
            {
                frontend.responseDone(true, true);
            }
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (pendingFlush)
        {
            frontend.client().flush();
        }
        frontend.upstreamClosed(ctx.channel(), responseStarted, timedOut);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        timedOut |= cause instanceof ReadTimeoutException;
        ctx.close();
    }
}
