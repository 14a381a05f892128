package io.streamfold.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A real HTTP server on loopback standing in for an LLM API. The request says what to send:
 * {@code x-file} (a corpus path) replayed in random fragments with random short delays ({@code x-seed}),
 * and {@code x-mode}: {@code normal}, {@code reset} (connection reset in the middle of an event),
 * {@code stall} (sends the head and one fragment, then nothing), {@code huge} (an OpenAI chunk whose one
 * event is 100 MB, generated as it is written), {@code status} (429 or 500 with a JSON error body, from
 * {@code x-status}), {@code json} (the file as one JSON document).
 */
final class FakeUpstream implements AutoCloseable
{
    static final long HUGE_BYTES = 100L << 20;
    private static final byte[] FILLER = filler();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;

    FakeUpstream() throws InterruptedException
    {
        server = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private static byte[] filler()
    {
        final byte[] b = new byte[64 * 1024];
        java.util.Arrays.fill(b, (byte)'x');
        return b;
    }

    int port()
    {
        return ((InetSocketAddress)server.localAddress()).getPort();
    }

    @Override
    public void close()
    {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final String mode = request.headers().get("x-mode", "normal");
            final String file = request.headers().get("x-file");
            final long seed = Long.parseLong(request.headers().get("x-seed", "1"));
            switch (mode)
            {
                case "status":
                    errorStatus(ctx, Integer.parseInt(request.headers().get("x-status", "429")));
                    break;
                case "huge":
                    huge(ctx);
                    break;
                case "json":
                {
                    final byte[] body = JSON_DOCUMENT.getBytes(StandardCharsets.UTF_8);
                    final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                    HttpUtil.setContentLength(r, body.length);
                    ctx.writeAndFlush(r);
                    break;
                }
                default:
                {
                    final Path path = Corpus.root().resolve(file);
                    final byte[] body = Corpus.bytes(path);
                    final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().set(HttpHeaderNames.CONTENT_TYPE, Corpus.contentType(path));
                    HttpUtil.setTransferEncodingChunked(head, true);
                    ctx.writeAndFlush(head);
                    final int cut = mode.equals("reset") ? cutInsideAnEvent(body) : mode.equals("stall") ? 1 : -1;
                    new Replay(ctx, body, new Random(seed), cut, mode.equals("stall")).next(0);
                }
            }
        }

        private static int cutInsideAnEvent(final byte[] body)
        {
            // The middle of the body is, for every corpus file, inside some event's payload.
            int at = body.length / 2;
            while (at < body.length && (body[at] == '\n' || body[at] == '\r'))
            {
                at++;
            }
            return at;
        }

        private static void errorStatus(final ChannelHandlerContext ctx, final int status)
        {
            final byte[] body = ("{\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down (" + status +
                ")\"}}").getBytes(StandardCharsets.UTF_8);
            final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(r, body.length);
            ctx.writeAndFlush(r);
        }

        private static void huge(final ChannelHandlerContext ctx)
        {
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(HUGE_HEAD, StandardCharsets.UTF_8)));
            writeFiller(ctx, HUGE_BYTES);
        }

        private static void writeFiller(final ChannelHandlerContext ctx, final long remaining)
        {
            long left = remaining;
            while (left > 0 && ctx.channel().isWritable())
            {
                final int n = (int)Math.min(left, 64 * 1024);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(FILLER, 0, n)));
                left -= n;
            }
            if (left == 0)
            {
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(HUGE_TAIL, StandardCharsets.UTF_8)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            final long rest = left;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f ->
            {
                if (f.isSuccess())
                {
                    ctx.channel().eventLoop().schedule(() -> writeFiller(ctx, rest), 1, TimeUnit.MILLISECONDS);
                }
            });
        }
    }

    static final String JSON_DOCUMENT = "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024\"," +
        "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":" +
        "\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":" +
        "\"{\\\"city\\\":\\\"Zürich\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":31," +
        "\"completion_tokens\":12,\"total_tokens\":43,\"prompt_tokens_details\":{\"cached_tokens\":16}," +
        "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";

    static final String HUGE_HEAD = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\"," +
        "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0," +
        "\"delta\":{\"content\":\"";
    static final String HUGE_TAIL = "\"},\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0," +
        "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

    /** Writes the body in random fragments with random short pauses; optionally cuts or stalls at a byte. */
    private static final class Replay
    {
        private final ChannelHandlerContext ctx;
        private final byte[] body;
        private final Random random;
        private final int cut;
        private final boolean stall;

        Replay(final ChannelHandlerContext ctx, final byte[] body, final Random random, final int cut, final boolean stall)
        {
            this.ctx = ctx;
            this.body = body;
            this.random = random;
            this.cut = cut;
            this.stall = stall;
        }

        void next(final int at)
        {
            if (!ctx.channel().isActive())
            {
                return;
            }
            final int end = cut >= 0 ? cut : body.length;
            if (at >= end)
            {
                if (cut < 0)
                {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                else if (!stall)
                {
                    // An abortive close: the client sees a reset, not an orderly end of the body.
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.close();
                }
                return;
            }
            final int n = Math.min(end - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 700));
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(body, at, n)));
            final int pause = random.nextInt(8) == 0 ? random.nextInt(3) : 0;
            if (pause == 0)
            {
                ctx.channel().eventLoop().execute(() -> next(at + n));
            }
            else
            {
                ctx.channel().eventLoop().schedule(() -> next(at + n), pause, TimeUnit.MILLISECONDS);
            }
        }
    }
}
