package io.streamfold.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.streamfold.gateway.TapPool;
import io.streamfold.gateway.proxy.ProxyConfig;
import io.streamfold.gateway.proxy.StreamfoldProxy;
import org.HdrHistogram.Histogram;

/**
 * A bounded load generator for {@code streamfold proxy}, all on loopback in one JVM: a generated OpenAI
 * chat upstream, a Netty client, and three paths measured one after the other: direct to the upstream,
 * through the proxy without the tap, and through the proxy with the tap.
 *
 * <ul>
 * <li>Throughput: C connections run streams of E events back to back for S seconds, the upstream writing
 * every event at once: streams/s and the proxy's event-loop CPU per stream (thread CPU time of its
 * threads).</li>
 * <li>Latency: L connections, events every 2 ms, each event carrying its send time: per-event latency
 * p50/p99 (HdrHistogram); the proxy's added latency is its figure minus the direct one.</li>
 * </ul>
 * The paths take turns for several rounds; figures are medians over the rounds.
 * Arguments: {@code [seconds=5] [connections=32] [events=200] [rounds=5]}.
 */
public final class GatewayLoad
{
    private static final String PREFIX = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1," +
        "\"model\":\"gpt-load\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t";
    private static final String SUFFIX = "\"},\"finish_reason\":null}]}\n\n";
    private static final String LAST = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1," +
        "\"model\":\"gpt-load\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":200,\"total_tokens\":210}}\n\ndata: [DONE]\n\n";

    private GatewayLoad()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        final int events = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        final EventLoopGroup upstreamGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-upstream"),
            NioIoHandler.newFactory());
        final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-client"),
            NioIoHandler.newFactory());
        final Channel upstream = upstream(upstreamGroup);
        final int upstreamPort = ((InetSocketAddress)upstream.localAddress()).getPort();
        System.out.printf("GatewayLoad: %d rounds of %d s per path, %d connections, %d events per stream%n",
            rounds, seconds, connections, events);
        final String[] names = {"direct", "proxy, no tap", "proxy, tap"};
        final int[] ports = new int[3];
        final StreamfoldProxy[] proxies = new StreamfoldProxy[3];
        ports[0] = upstreamPort;
        for (int mode = 1; mode < 3; mode++)
        {
            proxies[mode] = new StreamfoldProxy(ProxyConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .upstream(URI.create("http://127.0.0.1:" + upstreamPort))
                .tap(mode == 2)
                .build(), new TapPool(), r -> { }, null, 1).start();
            ports[mode] = proxies[mode].address().getPort();
        }
        for (int mode = 0; mode < 3; mode++)
        {
            run(clientGroup, ports[mode], connections, events, 0, 2, null);
        }
        // The paths take turns, round after round, so a change in the machine's other load hits all of them;
        // each figure is the median over the rounds.
        final double[][] rate = new double[3][rounds];
        final double[][] cpu = new double[3][rounds];
        final Histogram[] latency = new Histogram[3];
        for (int mode = 0; mode < 3; mode++)
        {
            latency[mode] = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int mode = 0; mode < 3; mode++)
            {
                final long cpu0 = proxyCpuNanos(ports[mode] == upstreamPort ? null : proxies[mode]);
                final double[] throughput = run(clientGroup, ports[mode], connections, events, 0, seconds, null);
                rate[mode][round] = throughput[0];
                cpu[mode][round] = (proxyCpuNanos(proxies[mode]) - cpu0) / throughput[1];
                run(clientGroup, ports[mode], Math.max(1, connections / 4), 50, 2, Math.max(1, seconds / 2), latency[mode]);
            }
        }
        final double[][] results = new double[3][];
        for (int mode = 0; mode < 3; mode++)
        {
            results[mode] = new double[]{median(rate[mode]), median(cpu[mode]),
                latency[mode].getValueAtPercentile(50) / 1e3, latency[mode].getValueAtPercentile(99) / 1e3};
            System.out.printf("%-14s streams/s %8.1f  proxy CPU/stream %7.1f us  event latency p50 %7.1f us  p99 %8.1f us  (%d events)%n",
                names[mode], results[mode][0], results[mode][1] / 1e3, results[mode][2], results[mode][3],
                latency[mode].getTotalCount());
        }
        // Paired per round: the two proxies ran back to back, so the machine's other load mostly cancels out
        // of each round's ratio; the median of the ratios is the figure to quote.
        final double[] cpuRatio = new double[rounds];
        final double[] rateRatio = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            cpuRatio[round] = cpu[2][round] / cpu[1][round];
            rateRatio[round] = rate[2][round] / rate[1][round];
        }
        System.out.printf("tap overhead (median of per-round ratios): proxy CPU per stream %+.1f %%, streams/s %+.1f %%%n",
            100 * (median(cpuRatio) - 1), 100 * (median(rateRatio) - 1));
        System.out.printf("tap overhead (ratio of medians): proxy CPU per stream %+.1f %% (%.0f us per stream), streams/s %+.1f %%%n",
            100 * (results[2][1] / results[1][1] - 1), (results[2][1] - results[1][1]) / 1e3,
            100 * (results[2][0] / results[1][0] - 1));
        System.out.printf("per-round proxy CPU per stream, no tap / tap (us): %s%n", pairs(cpu[1], cpu[2]));
        System.out.printf("added latency vs direct (proxy with tap): p50 %.1f us, p99 %.1f us%n",
            results[2][2] - results[0][2], results[2][3] - results[0][3]);
        for (int mode = 1; mode < 3; mode++)
        {
            proxies[mode].close();
        }
        upstream.close().sync();
        upstreamGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static String pairs(final double[] a, final double[] b)
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < a.length; i++)
        {
            s.append(i == 0 ? "" : ", ").append(String.format("%.0f/%.0f", a[i] / 1e3, b[i] / 1e3));
        }
        return s.toString();
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** @return CPU time of the given proxy's event-loop threads, or 0 for none. */
    private static long proxyCpuNanos(final StreamfoldProxy proxy)
    {
        if (proxy == null)
        {
            return 0;
        }
        final String prefix = proxy.threadNamePrefix();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().startsWith(prefix))
            {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** @return {streams per second, streams}. */
    private static double[] run(
        final EventLoopGroup group, final int port, final int connections, final int events, final int intervalMillis,
        final int seconds, final Histogram latency) throws InterruptedException
    {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final AtomicLong streams = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(connections);
        final long start = System.nanoTime();
        for (int i = 0; i < connections; i++)
        {
            new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new HttpClientCodec(),
                            new Client(end, events, intervalMillis, streams, latency, done));
                    }
                })
                .connect("127.0.0.1", port);
        }
        done.await(seconds + 30L, TimeUnit.SECONDS);
        final double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[]{streams.get() / elapsed, streams.get()};
    }

    private static Channel upstream(final EventLoopGroup group) throws InterruptedException
    {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Upstream());
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
    }

    /** Streams E events; the request's {@code x-interval} sets the pause between them, 0 for none. */
    private static final class Upstream extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final int events = Integer.parseInt(request.headers().get("x-events"));
            final int interval = Integer.parseInt(request.headers().get("x-interval"));
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            send(ctx, events, interval);
        }

        private static void send(final ChannelHandlerContext ctx, final int left, final int interval)
        {
            if (!ctx.channel().isActive())
            {
                return;
            }
            if (left == 0)
            {
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(LAST, StandardCharsets.US_ASCII)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            final String event = PREFIX + System.nanoTime() + SUFFIX;
            ctx.writeAndFlush(new DefaultHttpContent(ctx.alloc().buffer(event.length())
                .writeBytes(event.getBytes(StandardCharsets.US_ASCII))));
            if (interval == 0)
            {
                send(ctx, left - 1, 0);
            }
            else
            {
                ctx.executor().schedule(() -> send(ctx, left - 1, interval), interval, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends streams back to back on one keep-alive connection; reads each event's send time from its text. */
    private static final class Client extends SimpleChannelInboundHandler<HttpObject>
    {
        private final long end;
        private final int events;
        private final int interval;
        private final AtomicLong streams;
        private final Histogram latency;
        private final CountDownLatch done;
        private final StringBuilder pending = new StringBuilder();

        Client(final long end, final int events, final int interval, final AtomicLong streams, final Histogram latency,
            final CountDownLatch done)
        {
            this.end = end;
            this.events = events;
            this.interval = interval;
            this.streams = streams;
            this.latency = latency;
            this.done = done;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            request(ctx);
        }

        private void request(final ChannelHandlerContext ctx)
        {
            final FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v1/chat/completions", Unpooled.copiedBuffer("{\"model\":\"gpt-load\",\"stream\":true}", StandardCharsets.US_ASCII));
            r.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set("x-events", events).set("x-interval", interval)
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setContentLength(r, r.content().readableBytes());
            ctx.writeAndFlush(r);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final HttpObject msg)
        {
            if (msg instanceof HttpContent)
            {
                if (latency != null)
                {
                    final long now = System.nanoTime();
                    final ByteBuf content = ((HttpContent)msg).content();
                    pending.append(content.toString(StandardCharsets.US_ASCII));
                    int at;
                    while ((at = pending.indexOf("\"content\":\"t")) >= 0)
                    {
                        final int from = at + "\"content\":\"t".length();
                        final int to = pending.indexOf("\"", from);
                        if (to < 0)
                        {
                            break;
                        }
                        latency.recordValue(Math.max(0, now - Long.parseLong(pending.substring(from, to))));
                        pending.delete(0, to);
                    }
                    if (pending.length() > 4096)
                    {
                        pending.delete(0, pending.length() - 512);
                    }
                }
                if (msg instanceof LastHttpContent)
                {
                    streams.incrementAndGet();
                    pending.setLength(0);
                    if (System.nanoTime() < end)
                    {
                        request(ctx);
                    }
                    else
                    {
                        ctx.close();
                        done.countDown();
                    }
                }
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
            done.countDown();
        }
    }
}
