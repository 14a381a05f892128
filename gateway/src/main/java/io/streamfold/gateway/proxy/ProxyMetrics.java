package io.streamfold.gateway.proxy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamfold.gateway.GatewayOutcome;
import io.streamfold.gateway.GenAiRecord;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * The proxy's Prometheus metrics, through Micrometer's Prometheus registry: requests by outcome and
 * provider, token usage by model and type ({@code gen_ai.token.type}), time to first token, request
 * duration, and parse errors by kind. Thread-safe; meters are looked up once per provider / model and kept,
 * so a record costs a few map reads and increments.
 */
public final class ProxyMetrics implements Consumer<GenAiRecord>
{
    private static final String[] TOKEN_TYPES = {"input", "output", "cache_read", "cache_creation", "reasoning"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, ProviderMeters> providers = new ConcurrentHashMap<>();
    private final Counter[] parseErrors = new Counter[ErrorKind.values().length];

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
        final ProviderMeters p = providers.computeIfAbsent(provider, ProviderMeters::new);
        final int outcome = r.outcome().ordinal();
        p.requests[outcome].increment();
        if (r.durationNanos() >= 0)
        {
            p.durations[outcome].record(r.durationNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        ModelMeters m = p.models.get(model);
        if (m == null)
        {
            // Looked up by model within its provider: no key string or capturing lambda per record.
            m = p.models.computeIfAbsent(model, name -> new ModelMeters(provider, name));
        }
        m.add(0, r.inputTokens());
        m.add(1, r.outputTokens());
        m.add(2, r.cacheReadInputTokens());
        m.add(3, r.cacheCreationInputTokens());
        m.add(4, r.reasoningOutputTokens());
        if (r.timeToFirstTokenNanos() >= 0)
        {
            m.timeToFirstToken.record(r.timeToFirstTokenNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        for (final StreamError e : r.errors())
        {
            parseErrors(e.kind()).increment();
        }
    }

    private Counter parseErrors(final ErrorKind kind)
    {
        Counter c = parseErrors[kind.ordinal()];
        if (c == null)
        {
            c = Counter.builder("streamfold.parse.errors")
                .description("Errors reported while folding responses, by kind")
                .tag("kind", kind.name())
                .register(registry);
            parseErrors[kind.ordinal()] = c;
        }
        return c;
    }

    /** Requests and durations of one provider, by outcome. */
    private final class ProviderMeters
    {
        final Counter[] requests = new Counter[GatewayOutcome.values().length];
        final Timer[] durations = new Timer[GatewayOutcome.values().length];
        final ConcurrentHashMap<String, ModelMeters> models = new ConcurrentHashMap<>();

        ProviderMeters(final String provider)
        {
            for (final GatewayOutcome o : GatewayOutcome.values())
            {
                requests[o.ordinal()] = Counter.builder("streamfold.requests")
                    .description("Requests through the proxy by how they ended")
                    .tag("outcome", o.label())
                    .tag("gen_ai.provider.name", provider)
                    .register(registry);
                durations[o.ordinal()] = Timer.builder("gen_ai.client.operation.duration")
                    .description("Time from the request to the end of the response")
                    .tag("gen_ai.provider.name", provider)
                    .tag("outcome", o.label())
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofMinutes(10))
                    .register(registry);
            }
        }
    }

    /** Token counters and time to first token of one model. */
    private final class ModelMeters
    {
        final Counter[] tokens = new Counter[TOKEN_TYPES.length];
        final Timer timeToFirstToken;

        ModelMeters(final String provider, final String model)
        {
            for (int i = 0; i < TOKEN_TYPES.length; i++)
            {
                tokens[i] = Counter.builder("gen_ai.client.token.usage")
                    .description("Tokens used, by model and gen_ai.token.type")
                    .baseUnit("tokens")
                    .tag("gen_ai.provider.name", provider)
                    .tag("gen_ai.response.model", model)
                    .tag("gen_ai.token.type", TOKEN_TYPES[i])
                    .register(registry);
            }
            timeToFirstToken = Timer.builder("gen_ai.server.time_to_first_token")
                .description("Time from the request to the first text, reasoning or tool-call byte")
                .tag("gen_ai.provider.name", provider)
                .tag("gen_ai.response.model", model)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        }

        void add(final int type, final long count)
        {
            if (count > 0)
            {
                tokens[type].increment(count);
            }
        }
    }
}
