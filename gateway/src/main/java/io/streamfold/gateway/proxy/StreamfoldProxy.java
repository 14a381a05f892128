package io.streamfold.gateway.proxy;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.gateway.StreamTap;
import io.streamfold.gateway.TapPool;

/**
 * An HTTP/1.1 reverse proxy for LLM APIs: forwards each request to the upstream, streams every upstream
 * read to the client at once (pausing upstream reads while the client is slow), taps the response and
 * hands one {@link GenAiRecord} per request to the record sink and the metrics. Keep-alive on both sides,
 * timeouts on the upstream, a clean {@link #close()} that lets responses in flight finish.
 */
public final class StreamfoldProxy implements AutoCloseable
{
    private final ProxyConfig config;
    private final TapPool pool;
    private final Consumer<GenAiRecord> sink;
    private final Consumer<StreamTap> binder;
    private final ProxyMetrics metrics;
    private final EventLoopGroup group;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final SslContext upstreamSsl;
    private final String threadNamePrefix;
    private Channel server;
    private MetricsServer metricsServer;

    /**
     * @param config  settings.
     * @param pool    taps.
     * @param records receives every record (on an event loop: keep it fast, e.g. a {@link RecordWriter}).
     * @param binder  binds a listener or context to each new tap (a guardrail), or null.
     * @param threads event loop threads (0: Netty's default).
     */
    public StreamfoldProxy(
        final ProxyConfig config, final TapPool pool, final Consumer<GenAiRecord> records,
        final Consumer<StreamTap> binder, final int threads)
    {
        this.config = Objects.requireNonNull(config, "config");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.metrics = new ProxyMetrics();
        this.sink = records == null ? metrics : metrics.andThen(records);
        this.binder = binder;
        final DefaultThreadFactory factory = new DefaultThreadFactory("streamfold-proxy");
        // DefaultThreadFactory names threads <name>-<pool id>-<thread id>: the first thread tells the prefix.
        this.threadNamePrefix = factory.newThread(() -> { }).getName().replaceAll("-\\d+$", "-");
        this.group = new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory());
        try
        {
            upstreamSsl = "https".equalsIgnoreCase(config.upstream().getScheme()) ?
                SslContextBuilder.forClient().build() : null;
        }
        catch (final javax.net.ssl.SSLException e)
        {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot set up TLS to the upstream", e);
        }
    }

    /**
     * Binds the listening socket (and the metrics socket).
     *
     * @return this.
     * @throws InterruptedException while binding.
     */
    public StreamfoldProxy start() throws InterruptedException
    {
        final ServerBootstrap b = new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    clients.add(ch);
                    final long idle = config.clientIdleTimeout().toMillis();
                    ch.pipeline().addLast(
                        new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS),
                        new HttpServerCodec(),
                        new HttpObjectAggregator(config.maxRequestBytes()),
                        new FrontendHandler(StreamfoldProxy.this));
                }
            });
        server = b.bind(config.listen()).sync().channel();
        if (config.metrics() != null)
        {
            metricsServer = new MetricsServer(group, metrics).bind(config.metrics());
        }
        return this;
    }

    /** @return the bound address (the real port when 0 was asked). */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    /** @return the bound metrics address, or null. */
    public InetSocketAddress metricsAddress()
    {
        return metricsServer == null ? null : metricsServer.address();
    }

    /** @return the prefix of this proxy's event-loop thread names (to measure their CPU time). */
    public String threadNamePrefix()
    {
        return threadNamePrefix;
    }

    /** @return the metrics. */
    public ProxyMetrics metrics()
    {
        return metrics;
    }

    ProxyConfig config()
    {
        return config;
    }

    TapPool pool()
    {
        return pool;
    }

    Consumer<GenAiRecord> sink()
    {
        return sink;
    }

    Consumer<StreamTap> binder()
    {
        return binder;
    }

    SslContext upstreamSsl()
    {
        return upstreamSsl;
    }

    /**
     * Stops accepting, lets responses in flight finish for up to the configured grace, then closes every
     * connection and the event loops. Idempotent.
     */
    @Override
    public void close()
    {
        if (server != null)
        {
            server.close().awaitUninterruptibly();
        }
        if (metricsServer != null)
        {
            metricsServer.close();
        }
        final long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (final Channel c : clients)
        {
            c.eventLoop().execute(() -> FrontendHandler.closeWhenIdle(c));
        }
        while (!clients.isEmpty() && System.nanoTime() < deadline)
        {
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        clients.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
