package io.streamfold.gateway.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** Settings of a {@link StreamfoldProxy}. Immutable; build with {@link #builder()}. */
public final class ProxyConfig
{
    private final InetSocketAddress listen;
    private final URI upstream;
    private final InetSocketAddress metrics;
    private final Duration upstreamTimeout;
    private final Duration connectTimeout;
    private final Duration clientIdleTimeout;
    private final int maxRequestBytes;
    private final Duration shutdownGrace;
    private final boolean tap;

    private ProxyConfig(final Builder b)
    {
        listen = Objects.requireNonNull(b.listen, "listen");
        upstream = Objects.requireNonNull(b.upstream, "upstream");
        final String scheme = upstream.getScheme() == null ? "" : upstream.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
        {
            throw new IllegalArgumentException("upstream must be an http:// or https:// URL: " + upstream);
        }
        if (upstream.getHost() == null)
        {
            throw new IllegalArgumentException("upstream has no host: " + upstream);
        }
        metrics = b.metrics;
        upstreamTimeout = b.upstreamTimeout;
        connectTimeout = b.connectTimeout;
        clientIdleTimeout = b.clientIdleTimeout;
        maxRequestBytes = b.maxRequestBytes;
        shutdownGrace = b.shutdownGrace;
        tap = b.tap;
    }

    /** @return a builder: upstream timeout 120 s, connect 10 s, client idle 300 s, requests up to 32 MiB. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @param hostPort {@code HOST:PORT}, {@code :PORT} or {@code PORT}.
     * @return the address (unresolved names are resolved now).
     */
    public static InetSocketAddress address(final String hostPort)
    {
        final int colon = hostPort.lastIndexOf(':');
        final String host = colon <= 0 ? "0.0.0.0" : hostPort.substring(0, colon);
        final int port = Integer.parseInt(colon < 0 ? hostPort : hostPort.substring(colon + 1));
        return new InetSocketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
    }

    /** @return where the proxy listens. */
    public InetSocketAddress listen()
    {
        return listen;
    }

    /** @return the upstream base URL; request paths are appended to its path. */
    public URI upstream()
    {
        return upstream;
    }

    /** @return where {@code GET /metrics} is served, or null for nowhere. */
    public InetSocketAddress metrics()
    {
        return metrics;
    }

    /** @return the longest the upstream may stay silent while a response is due. */
    public Duration upstreamTimeout()
    {
        return upstreamTimeout;
    }

    /** @return the longest a connection to the upstream may take. */
    public Duration connectTimeout()
    {
        return connectTimeout;
    }

    /** @return idle client connections are closed after this. */
    public Duration clientIdleTimeout()
    {
        return clientIdleTimeout;
    }

    /** @return the largest request body accepted (413 above). */
    public int maxRequestBytes()
    {
        return maxRequestBytes;
    }

    /** @return how long {@link StreamfoldProxy#close()} waits for responses in flight. */
    public Duration shutdownGrace()
    {
        return shutdownGrace;
    }

    /** @return false when responses are relayed without a tap (the benchmark baseline): no records, no metrics. */
    public boolean tap()
    {
        return tap;
    }

    /** Builder for {@link ProxyConfig}. */
    public static final class Builder
    {
        private InetSocketAddress listen;
        private URI upstream;
        private InetSocketAddress metrics;
        private Duration upstreamTimeout = Duration.ofSeconds(120);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration clientIdleTimeout = Duration.ofSeconds(300);
        private int maxRequestBytes = 32 << 20;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private boolean tap = true;

        private Builder()
        {
        }

        /** @param address where to listen. @return this. */
        public Builder listen(final InetSocketAddress address)
        {
            this.listen = address;
            return this;
        }

        /** @param url upstream base URL. @return this. */
        public Builder upstream(final URI url)
        {
            this.upstream = url;
            return this;
        }

        /** @param address where to serve metrics, or null. @return this. */
        public Builder metrics(final InetSocketAddress address)
        {
            this.metrics = address;
            return this;
        }

        /** @param timeout upstream silence allowed. @return this. */
        public Builder upstreamTimeout(final Duration timeout)
        {
            this.upstreamTimeout = timeout;
            return this;
        }

        /** @param timeout connect timeout. @return this. */
        public Builder connectTimeout(final Duration timeout)
        {
            this.connectTimeout = timeout;
            return this;
        }

        /** @param timeout client idle timeout. @return this. */
        public Builder clientIdleTimeout(final Duration timeout)
        {
            this.clientIdleTimeout = timeout;
            return this;
        }

        /** @param bytes largest request body. @return this. */
        public Builder maxRequestBytes(final int bytes)
        {
            this.maxRequestBytes = bytes;
            return this;
        }

        /** @param grace shutdown wait. @return this. */
        public Builder shutdownGrace(final Duration grace)
        {
            this.shutdownGrace = grace;
            return this;
        }

        /** @param tap false to relay without tapping (a baseline for measuring the tap). @return this. */
        public Builder tap(final boolean tap)
        {
            this.tap = tap;
            return this;
        }

        /** @return the config. */
        public ProxyConfig build()
        {
            return new ProxyConfig(this);
        }
    }
}
