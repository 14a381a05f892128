package io.streamfold.gateway.proxy;

import java.net.URI;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.streamfold.aggregator.Format;
import io.streamfold.gateway.GatewayOutcome;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.gateway.RequestModel;
import io.streamfold.gateway.StreamTap;
import io.streamfold.gateway.netty.HttpResponseTapHandler;

/**
 * One client connection: one request at a time (the client's socket is not read while a response is in
 * flight, which also serialises pipelined requests), one upstream connection kept alive across requests.
 * Everything runs on the client channel's event loop, which the upstream channel shares.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter
{
    private static final int MAX_PENDING = 8;
    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "upgrade"};

    private final StreamfoldProxy proxy;
    private Channel client;
    private Channel upstream;
    private HttpResponseTapHandler tap;
    private boolean inFlight;
    private boolean keepAlive;
    private boolean closing;
    private final java.util.ArrayDeque<FullHttpRequest> pending = new java.util.ArrayDeque<>();

    FrontendHandler(final StreamfoldProxy proxy)
    {
        this.proxy = proxy;
    }

    static void closeWhenIdle(final Channel channel)
    {
        final FrontendHandler handler = channel.pipeline().get(FrontendHandler.class);
        if (handler == null)
        {
            channel.close();
            return;
        }
        handler.closing = true;
        if (!handler.inFlight)
        {
            channel.close();
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        client = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof FullHttpRequest) || closing)
        {
            ReferenceCountUtil.release(msg);
            if (closing)
            {
                ctx.close();
            }
            return;
        }
        final FullHttpRequest request = (FullHttpRequest)msg;
        if (!request.decoderResult().isSuccess())
        {
            request.release();
            respond(HttpResponseStatus.BAD_REQUEST, false);
            return;
        }
        if (inFlight)
        {
            // Pipelined: answered in order once the current response ends. The client socket stays read
            // (so a client that goes away is noticed at once) until a few requests wait.
            pending.add(request);
            if (pending.size() >= MAX_PENDING)
            {
                client.config().setAutoRead(false);
            }
            return;
        }
        forward(request);
    }

    private void forward(final FullHttpRequest request)
    {
        inFlight = true;
        keepAlive = HttpUtil.isKeepAlive(request);
        prepare(request);
        if (upstream != null && upstream.isActive())
        {
            upstream.writeAndFlush(request);
        }
        else
        {
            connect(request);
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (client.isWritable() && upstream != null)
        {
            upstream.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof IdleStateEvent && !inFlight)
        {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (inFlight && tap != null)
        {
            tap.abort(GatewayOutcome.CLIENT_ABORTED);
        }
        inFlight = false;
        FullHttpRequest request;
        while ((request = pending.poll()) != null)
        {
            request.release();
        }
        if (upstream != null)
        {
            upstream.close();
            upstream = null;
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private void prepare(final FullHttpRequest request)
    {
        final URI base = proxy.config().upstream();
        final String basePath = base.getRawPath() == null ? "" : stripSlash(base.getRawPath());
        request.setUri(basePath + request.uri());
        stripHopByHop(request.headers());
        final int port = base.getPort();
        request.headers().set(HttpHeaderNames.HOST, port < 0 ? base.getHost() : base.getHost() + ":" + port);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private void connect(final FullHttpRequest request)
    {
        final URI base = proxy.config().upstream();
        final boolean tls = proxy.upstreamSsl() != null;
        final int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        final HttpResponseTapHandler tapHandler = proxy.config().tap() ?
            new HttpResponseTapHandler(proxy.pool(), proxy.sink(), proxy.binder()) : null;
        final Bootstrap b = new Bootstrap()
            .group(client.eventLoop())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)proxy.config().connectTimeout().toMillis())
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    if (tls)
                    {
                        ch.pipeline().addLast(proxy.upstreamSsl().newHandler(ch.alloc(), base.getHost(), port));
                    }
                    ch.pipeline().addLast(
                        new HttpClientCodec(),
                        new UpstreamTimeoutHandler(proxy.config().upstreamTimeout().toNanos()));
                    if (tapHandler != null)
                    {
                        ch.pipeline().addLast(tapHandler);
                    }
                    ch.pipeline().addLast(new BackendHandler(FrontendHandler.this));
                }
            });
        upstream = null;
        tap = tapHandler;
        b.connect(base.getHost(), port).addListener((ChannelFutureListener)f ->
        {
            if (f.isSuccess())
            {
                upstream = f.channel();
                if (!client.isActive())
                {
                    request.release();
                    upstream.close();
                    return;
                }
                upstream.writeAndFlush(request);
            }
            else
            {
                unreachable(request);
            }
        });
    }

    private void unreachable(final FullHttpRequest request)
    {
        final StreamTap t = proxy.pool().acquire(io.streamfold.aggregator.Format.AUTO);
        final byte[] body = io.netty.buffer.ByteBufUtil.getBytes(request.content());
        t.start(request.uri(), RequestModel.find(body, 0, body.length), body.length);
        final GenAiRecord record = t.finish(GatewayOutcome.UPSTREAM_RESET);
        t.release();
        request.release();
        proxy.sink().accept(record);
        tap = null;
        respond(HttpResponseStatus.BAD_GATEWAY, true);
    }

    // ---------------------------------------------------------------------------------------------
    // Called by the upstream side, on the same event loop.

    boolean clientKeepAlive()
    {
        return keepAlive && !closing;
    }

    Channel client()
    {
        return client;
    }

    void paused(final Channel from)
    {
        if (!client.isWritable())
        {
            from.config().setAutoRead(false);
        }
    }

    /** The response ended (last content written); the client's next request may be read. */
    void responseDone(final boolean upstreamClosing, final boolean clientClose)
    {
        inFlight = false;
        if (upstreamClosing && upstream != null)
        {
            upstream.close();
            upstream = null;
        }
        if (clientClose || !clientKeepAlive())
        {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            next();
        }
    }

    private void next()
    {
        client.config().setAutoRead(true);
        final FullHttpRequest request = pending.poll();
        if (request != null)
        {
            forward(request);
        }
    }

    /** The upstream connection closed. */
    void upstreamClosed(final Channel from, final boolean responseStarted, final boolean timedOut)
    {
        if (from != upstream)
        {
            // An earlier connection, already replaced (closed after a response that asked for it).
            return;
        }
        upstream = null;
        if (!inFlight)
        {
            return;
        }
        inFlight = false;
        if (responseStarted)
        {
            // Nothing left to say in HTTP/1.1: closing tells the client the body is cut.
            client.close();
        }
        else
        {
            respond(timedOut ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY, true);
        }
    }

    private void respond(final HttpResponseStatus status, final boolean close)
    {
        inFlight = false;
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpUtil.setContentLength(response, 0);
        final boolean closeAfter = close || !clientKeepAlive();
        HttpUtil.setKeepAlive(response, !closeAfter);
        if (closeAfter)
        {
            client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            client.writeAndFlush(response);
            next();
        }
    }

    static void stripHopByHop(final HttpHeaders headers)
    {
        final String listed = headers.get(HttpHeaderNames.CONNECTION);
        if (listed != null)
        {
            for (final String name : listed.split(","))
            {
                headers.remove(name.trim());
            }
        }
        for (final String name : HOP_BY_HOP)
        {
            headers.remove(name);
        }
    }

    private static String stripSlash(final String path)
    {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
