package io.streamfold.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.gateway.TapClock;
import io.streamfold.gateway.TapPool;
import io.streamfold.gateway.proxy.ProxyConfig;
import io.streamfold.gateway.proxy.RecordWriter;
import io.streamfold.gateway.proxy.StreamfoldProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code streamfold proxy}: a reverse proxy that taps every LLM response and writes one record per request. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Runs an HTTP/1.1 reverse proxy to the upstream LLM API: each request is forwarded, each upstream read "
            + "is streamed to the client at once, and every response is folded on the way.",
        "One JSON record per request (gen_ai.* fields: models, usage, finish reasons, tool calls, outcome, "
            + "time to first token) goes to --records. Stops cleanly on SIGTERM or Ctrl-C, letting responses "
            + "in flight finish."
    })
final class ProxyCommand implements Callable<Integer>
{
    private final Terminal terminal;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Where to listen.")
    private String listen;

    @Option(names = "--upstream", required = true, paramLabel = "URL",
        description = "The upstream base URL (http or https); request paths are appended to its path.")
    private String upstream;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
        description = "Serve GET /metrics (Prometheus text format) here.")
    private String metrics;

    @Option(names = "--records", paramLabel = "FILE|-", defaultValue = "-",
        description = "Where to append the records, one JSON line each (default: stdout).")
    private String records;

    @Option(names = "--upstream-timeout", paramLabel = "SECONDS", defaultValue = "120",
        description = "Longest upstream silence while a response is due (default: ${DEFAULT-VALUE}).")
    private double upstreamTimeout;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
        description = "Event loop threads (default: Netty's choice).")
    private int threads;

    @Mixin
    private LimitsOption limits = new LimitsOption();

    ProxyCommand(final Terminal terminal)
    {
        this.terminal = terminal;
    }

    /** Ends a running {@link #call()} as SIGTERM would; for in-process tests. */
    void stop()
    {
        stopped.countDown();
    }

    @Override
    public Integer call() throws Exception
    {
        final ProxyConfig config;
        final AggregationLimits tapLimits;
        try
        {
            tapLimits = limits.aggregation();
            config = ProxyConfig.builder()
                .listen(ProxyConfig.address(listen))
                .upstream(URI.create(upstream))
                .metrics(metrics == null ? null : ProxyConfig.address(metrics))
                .upstreamTimeout(Duration.ofMillis((long)(upstreamTimeout * 1000)))
                .build();
        }
        catch (final IllegalArgumentException e)
        {
            terminal.err.println("streamfold proxy: " + e.getMessage());
            return Main.EXIT_UNUSABLE;
        }
        final OutputStream out;
        try
        {
            out = "-".equals(records) ? terminal.out : new FileOutputStream(records, true);
        }
        catch (final IOException e)
        {
            terminal.err.println("streamfold proxy: cannot write records to " + records + ": " + e.getMessage());
            return Main.EXIT_UNUSABLE;
        }
        final RecordWriter writer = new RecordWriter(out, !"-".equals(records));
        // The proxy forwards the bytes and writes records, which carry no text: its taps keep none.
        final TapPool taps = new TapPool(tapLimits, TapClock.SYSTEM, 1024, false);
        final StreamfoldProxy proxy = new StreamfoldProxy(config, taps, writer, null, threads);
        final Thread hook = new Thread(() ->
        {
            stopped.countDown();
            shutdown(proxy, writer, out);
        }, "streamfold-shutdown");
        try
        {
            proxy.start();
        }
        catch (final Exception e)
        {
            terminal.err.println("streamfold proxy: cannot listen on " + listen + ": " + e);
            shutdown(proxy, writer, out);
            return Main.EXIT_UNUSABLE;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        terminal.err.println("streamfold proxy: listening on " + hostPort(proxy.address()) + ", upstream " +
            upstream + (proxy.metricsAddress() == null ? "" : ", metrics on http://" +
            hostPort(proxy.metricsAddress()) + "/metrics"));
        terminal.err.flush();
        stopped.await();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException e)
        {
            // The JVM is already shutting down: the hook does the work.
            return Main.EXIT_OK;
        }
        shutdown(proxy, writer, out);
        return Main.EXIT_OK;
    }

    private static void shutdown(final StreamfoldProxy proxy, final RecordWriter writer, final OutputStream out)
    {
        proxy.close();
        try
        {
            writer.close();
            // On SIGTERM nothing else flushes stdout before the JVM halts.
            out.flush();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException e)
        {
            // stdout is gone: nobody is left to read the records.
        }
    }

    private static String hostPort(final java.net.InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
