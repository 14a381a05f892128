package io.streamfold.gateway.proxy;

import java.time.Duration;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.parser.StreamError;

/**
 * The proxy's Prometheus metrics, through Micrometer's Prometheus registry: requests by outcome and
 * provider, token usage by model and type ({@code gen_ai.token.type}), time to first token, request
 * duration, and parse errors by kind. Thread-safe.
 */
public final class ProxyMetrics implements Consumer<GenAiRecord>
{
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** @return the registry (to add the embedder's own meters). */
    public PrometheusMeterRegistry registry()
    {
        return registry;
    }

    /** @return every metric in the Prometheus text format. */
    public String scrape()
    {
        return registry.scrape();
    }

    @Override
    public void accept(final GenAiRecord r)
    {
        final String provider = r.providerName();
        final String model = r.responseModel() != null ? r.responseModel() :
            r.requestModel() != null ? r.requestModel() : "unknown";
        Counter.builder("streamfold.requests")
            .description("Requests through the proxy by how they ended")
            .tag("outcome", r.outcome().label())
            .tag("gen_ai.provider.name", provider)
            .register(registry).increment();
        tokens(provider, model, "input", r.inputTokens());
        tokens(provider, model, "output", r.outputTokens());
        tokens(provider, model, "cache_read", r.cacheReadInputTokens());
        tokens(provider, model, "cache_creation", r.cacheCreationInputTokens());
        tokens(provider, model, "reasoning", r.reasoningOutputTokens());
        if (r.timeToFirstTokenNanos() >= 0)
        {
            Timer.builder("gen_ai.server.time_to_first_token")
                .description("Time from the request to the first text, reasoning or tool-call byte")
                .tag("gen_ai.provider.name", provider)
                .tag("gen_ai.response.model", model)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(Duration.ofNanos(r.timeToFirstTokenNanos()));
        }
        if (r.durationNanos() >= 0)
        {
            Timer.builder("gen_ai.client.operation.duration")
                .description("Time from the request to the end of the response")
                .tag("gen_ai.provider.name", provider)
                .tag("outcome", r.outcome().label())
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(Duration.ofNanos(r.durationNanos()));
        }
        for (final StreamError e : r.errors())
        {
            Counter.builder("streamfold.parse.errors")
                .description("Errors reported while folding responses, by kind")
                .tag("kind", e.kind().name())
                .register(registry).increment();
        }
    }

    private void tokens(final String provider, final String model, final String type, final long count)
    {
        if (count > 0)
        {
            Counter.builder("gen_ai.client.token.usage")
                .description("Tokens used, by model and gen_ai.token.type")
                .baseUnit("tokens")
                .tag("gen_ai.provider.name", provider)
                .tag("gen_ai.response.model", model)
                .tag("gen_ai.token.type", type)
                .register(registry).increment(count);
        }
    }
}
