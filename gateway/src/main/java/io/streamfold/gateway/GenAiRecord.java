package io.streamfold.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.Format;
import io.streamfold.parser.StreamError;

/**
 * What one request through a gateway was, once it is over: provider, models, usage and whether it is
 * final, finish reasons, tool calls, how it ended, timing and sizes. Immutable and safe to hand to another
 * thread (an async logger, a metrics exporter): every value is copied out of the pooled stream state.
 *
 * <p>JSON names follow the OpenTelemetry GenAI semantic conventions where one exists
 * ({@code gen_ai.usage.input_tokens}, {@code gen_ai.response.finish_reasons}, ...) and the HTTP ones for
 * sizes and status; the rest are under {@code streamfold.}. Durations are in seconds as in OpenTelemetry;
 * token counts and durations are -1 when unknown.
 */
public final class GenAiRecord
{
    /** JSON field names. */
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    /** JSON field name. */
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    /** JSON field name. */
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    /** JSON field name. */
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    /** JSON field name. */
    public static final String RESPONSE_ID = "gen_ai.response.id";
    /** JSON field name. */
    public static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
    /** JSON field name. */
    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    /** JSON field name. */
    public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    /** JSON field name. */
    public static final String CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    /** JSON field name. */
    public static final String CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
    /** JSON field name. */
    public static final String REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
    /** JSON field name. */
    public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";

    private static final JsonFactory FACTORY = new JsonFactory();

    private final long startEpochMillis;
    private final String path;
    private final int httpStatus;
    private final Format format;
    private final String providerName;
    private final String requestModel;
    private final String responseModel;
    private final String responseId;
    private final long inputTokens;
    private final long outputTokens;
    private final long cacheReadInputTokens;
    private final long cacheCreationInputTokens;
    private final long reasoningOutputTokens;
    private final UsageSource usageSource;
    private final List<String> finishReasons;
    private final List<String> normalizedFinishReasons;
    private final int toolCallCount;
    private final List<String> toolCallNames;
    private final long toolCallArgumentBytes;
    private final List<String> serverToolCallNames;
    private final GatewayOutcome outcome;
    private final String stopReason;
    private final String errorBody;
    private final List<StreamError> errors;
    private final long timeToFirstByteNanos;
    private final long timeToFirstTokenNanos;
    private final long maxInterTokenGapNanos;
    private final long durationNanos;
    private final long requestBytes;
    private final long responseBytes;

    GenAiRecord(final Builder b)
    {
        startEpochMillis = b.startEpochMillis;
        path = b.path;
        httpStatus = b.httpStatus;
        format = b.format;
        providerName = b.providerName;
        requestModel = b.requestModel;
        responseModel = b.responseModel;
        responseId = b.responseId;
        inputTokens = b.inputTokens;
        outputTokens = b.outputTokens;
        cacheReadInputTokens = b.cacheReadInputTokens;
        cacheCreationInputTokens = b.cacheCreationInputTokens;
        reasoningOutputTokens = b.reasoningOutputTokens;
        usageSource = Objects.requireNonNull(b.usageSource, "usageSource");
        finishReasons = List.copyOf(b.finishReasons);
        normalizedFinishReasons = List.copyOf(b.normalizedFinishReasons);
        toolCallCount = b.toolCallCount;
        toolCallNames = List.copyOf(b.toolCallNames);
        toolCallArgumentBytes = b.toolCallArgumentBytes;
        serverToolCallNames = List.copyOf(b.serverToolCallNames);
        outcome = Objects.requireNonNull(b.outcome, "outcome");
        stopReason = b.stopReason;
        errorBody = b.errorBody;
        errors = List.copyOf(b.errors);
        timeToFirstByteNanos = b.timeToFirstByteNanos;
        timeToFirstTokenNanos = b.timeToFirstTokenNanos;
        maxInterTokenGapNanos = b.maxInterTokenGapNanos;
        durationNanos = b.durationNanos;
        requestBytes = b.requestBytes;
        responseBytes = b.responseBytes;
    }

    /** @return when the request started, wall-clock milliseconds since the epoch. */
    public long startEpochMillis()
    {
        return startEpochMillis;
    }

    /** @return the request path, or null when the tap was not told. */
    public String path()
    {
        return path;
    }

    /** @return the upstream's HTTP status, or 0 when none arrived. */
    public int httpStatus()
    {
        return httpStatus;
    }

    /** @return the format the body was read as, or null when it could not be told. */
    public Format format()
    {
        return format;
    }

    /** @return {@code gen_ai.provider.name}: openai, anthropic, gcp.gemini, aws.bedrock, ollama or _OTHER. */
    public String providerName()
    {
        return providerName;
    }

    /** @return {@code gen_ai.request.model}, from the request body, or null. */
    public String requestModel()
    {
        return requestModel;
    }

    /** @return {@code gen_ai.response.model} (Gemini's {@code modelVersion} when that is all there is), or null. */
    public String responseModel()
    {
        return responseModel;
    }

    /** @return {@code gen_ai.response.id} (Gemini's {@code responseId}), or null. */
    public String responseId()
    {
        return responseId;
    }

    /** @return {@code gen_ai.usage.input_tokens} (including cached input), or -1. */
    public long inputTokens()
    {
        return inputTokens;
    }

    /** @return {@code gen_ai.usage.output_tokens} (including reasoning), or -1. */
    public long outputTokens()
    {
        return outputTokens;
    }

    /** @return {@code gen_ai.usage.cache_read.input_tokens}, or -1. */
    public long cacheReadInputTokens()
    {
        return cacheReadInputTokens;
    }

    /** @return {@code gen_ai.usage.cache_creation.input_tokens}, or -1. */
    public long cacheCreationInputTokens()
    {
        return cacheCreationInputTokens;
    }

    /** @return {@code gen_ai.usage.reasoning.output_tokens}, or -1. */
    public long reasoningOutputTokens()
    {
        return reasoningOutputTokens;
    }

    /** @return whether the usage is the provider's final word, provisional, or missing. */
    public UsageSource usageSource()
    {
        return usageSource;
    }

    /** @return {@code gen_ai.response.finish_reasons}, the provider's words, one per finished choice. */
    public List<String> finishReasons()
    {
        return finishReasons;
    }

    /** @return the same reasons in one vocabulary: stop, length, tool_calls, content_filter, error, other. */
    public List<String> normalizedFinishReasons()
    {
        return normalizedFinishReasons;
    }

    /** @return tool calls the client must run, all choices (calls the provider ran itself are {@link #serverToolCallNames()}). */
    public int toolCallCount()
    {
        return toolCallCount;
    }

    /** @return the names of the tools the client must run, in order. */
    public List<String> toolCallNames()
    {
        return toolCallNames;
    }

    /** @return UTF-8 bytes of the arguments of every call the client must run, together. */
    public long toolCallArgumentBytes()
    {
        return toolCallArgumentBytes;
    }

    /**
     * @return the names of the tools the provider ran itself within the response, in order (a web search, code
     * execution: see {@code Part.serverExecuted()}); providers bill some per call. Empty for a JSON document.
     */
    public List<String> serverToolCallNames()
    {
        return serverToolCallNames;
    }

    /** @return how the request ended. */
    public GatewayOutcome outcome()
    {
        return outcome;
    }

    /** @return why a policy stopped the stream, or null. */
    public String stopReason()
    {
        return stopReason;
    }

    /** @return the start of the upstream's error body (HTTP error status), or null. */
    public String errorBody()
    {
        return errorBody;
    }

    /** @return every error the stream reported (malformed events, limits, truncation, provider errors). */
    public List<StreamError> errors()
    {
        return errors;
    }

    /** @return nanoseconds from the request to the first response byte, or -1. */
    public long timeToFirstByteNanos()
    {
        return timeToFirstByteNanos;
    }

    /** @return nanoseconds to the first text, reasoning or tool-call byte (not a role-only chunk), or -1. */
    public long timeToFirstTokenNanos()
    {
        return timeToFirstTokenNanos;
    }

    /** @return the longest wait between two token-bearing reads, nanoseconds, or -1 with fewer than two. */
    public long maxInterTokenGapNanos()
    {
        return maxInterTokenGapNanos;
    }

    /** @return nanoseconds from the request to the end of the response. */
    public long durationNanos()
    {
        return durationNanos;
    }

    /** @return request body bytes. */
    public long requestBytes()
    {
        return requestBytes;
    }

    /** @return response body bytes. */
    public long responseBytes()
    {
        return responseBytes;
    }

    /** @return the record as one line of JSON. */
    public String toJson()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try
        {
            writeJson(out);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Writes the record as one JSON object, no line end.
     *
     * @param out not closed.
     * @throws IOException from {@code out}.
     */
    public void writeJson(final OutputStream out) throws IOException
    {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8))
        {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            writeJson(g);
        }
    }

    /**
     * Writes the record as one JSON object.
     *
     * @param g the generator.
     * @throws IOException from the generator.
     */
    public void writeJson(final JsonGenerator g) throws IOException
    {
        g.writeStartObject();
        g.writeNumberField("start_time_unix_ms", startEpochMillis);
        string(g, "url.path", path);
        if (httpStatus > 0)
        {
            g.writeNumberField("http.response.status_code", httpStatus);
        }
        string(g, PROVIDER_NAME, providerName);
        g.writeStringField(OPERATION_NAME, "chat");
        string(g, "streamfold.format", format == null ? null : format.cliName());
        string(g, REQUEST_MODEL, requestModel);
        string(g, RESPONSE_MODEL, responseModel);
        string(g, RESPONSE_ID, responseId);
        count(g, INPUT_TOKENS, inputTokens);
        count(g, OUTPUT_TOKENS, outputTokens);
        count(g, CACHE_READ_INPUT_TOKENS, cacheReadInputTokens);
        count(g, CACHE_CREATION_INPUT_TOKENS, cacheCreationInputTokens);
        count(g, REASONING_OUTPUT_TOKENS, reasoningOutputTokens);
        g.writeStringField("streamfold.usage.source", usageSource.label());
        strings(g, FINISH_REASONS, finishReasons);
        strings(g, "streamfold.finish_reasons.normalized", normalizedFinishReasons);
        g.writeNumberField("streamfold.tool_calls.count", toolCallCount);
        strings(g, "streamfold.tool_calls.names", toolCallNames);
        g.writeNumberField("streamfold.tool_calls.argument_bytes", toolCallArgumentBytes);
        if (!serverToolCallNames.isEmpty())
        {
            strings(g, "streamfold.server_tool_calls.names", serverToolCallNames);
        }
        g.writeStringField("streamfold.outcome", outcome.label());
        if (outcome != GatewayOutcome.COMPLETE)
        {
            g.writeStringField("error.type", outcome == GatewayOutcome.UPSTREAM_HTTP_ERROR ?
                Integer.toString(httpStatus) : outcome.label());
        }
        string(g, "streamfold.stop_reason", stopReason);
        string(g, "streamfold.error_body", errorBody);
        g.writeArrayFieldStart("streamfold.errors");
        for (final StreamError e : errors)
        {
            g.writeStartObject();
            g.writeStringField("kind", e.kind().name());
            g.writeNumberField("event", e.eventNumber());
            g.writeNumberField("offset", e.byteOffset());
            g.writeStringField("message", e.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        seconds(g, "streamfold.time_to_first_byte", timeToFirstByteNanos);
        seconds(g, TIME_TO_FIRST_TOKEN, timeToFirstTokenNanos);
        seconds(g, "streamfold.max_inter_token_gap", maxInterTokenGapNanos);
        seconds(g, "streamfold.duration", durationNanos);
        g.writeNumberField("http.request.body.size", requestBytes);
        g.writeNumberField("http.response.body.size", responseBytes);
        g.writeEndObject();
    }

    @Override
    public String toString()
    {
        return toJson();
    }

    private static void string(final JsonGenerator g, final String name, final String value) throws IOException
    {
        if (value != null)
        {
            g.writeStringField(name, value);
        }
    }

    private static void count(final JsonGenerator g, final String name, final long value) throws IOException
    {
        if (value >= 0)
        {
            g.writeNumberField(name, value);
        }
    }

    private static void seconds(final JsonGenerator g, final String name, final long nanos) throws IOException
    {
        if (nanos >= 0)
        {
            g.writeNumberField(name, nanos / 1e9);
        }
    }

    private static void strings(final JsonGenerator g, final String name, final List<String> values) throws IOException
    {
        g.writeArrayFieldStart(name);
        for (final String v : values)
        {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** Mutable holder the taps fill; {@link GenAiRecord} copies it. */
    static final class Builder
    {
        long startEpochMillis;
        String path;
        int httpStatus;
        Format format;
        String providerName = "_OTHER";
        String requestModel;
        String responseModel;
        String responseId;
        long inputTokens = -1;
        long outputTokens = -1;
        long cacheReadInputTokens = -1;
        long cacheCreationInputTokens = -1;
        long reasoningOutputTokens = -1;
        UsageSource usageSource = UsageSource.MISSING;
        List<String> finishReasons = List.of();
        List<String> normalizedFinishReasons = List.of();
        int toolCallCount;
        List<String> toolCallNames = List.of();
        long toolCallArgumentBytes;
        List<String> serverToolCallNames = List.of();
        GatewayOutcome outcome = GatewayOutcome.COMPLETE;
        String stopReason;
        String errorBody;
        List<StreamError> errors = List.of();
        long timeToFirstByteNanos = -1;
        long timeToFirstTokenNanos = -1;
        long maxInterTokenGapNanos = -1;
        long durationNanos = -1;
        long requestBytes;
        long responseBytes;

        GenAiRecord build()
        {
            return new GenAiRecord(this);
        }
    }
}
