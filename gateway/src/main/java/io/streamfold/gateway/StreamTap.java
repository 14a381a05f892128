package io.streamfold.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.streamfold.aggregator.internal.dialect.Dialects;
import io.streamfold.aggregator.model.StopReason;
import io.streamfold.aggregator.internal.fold.StopReasonTable;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.model.Choice;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.model.Part;
import io.streamfold.aggregator.model.RawJson;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.model.Usage;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.StreamError;

/**
 * The per-stream core every tap shares: one pooled {@link StreamAggregator}, the timing of the response,
 * the listener and context bound to this stream, and the {@link GenAiRecord} made when it ends.
 *
 * <p>Life cycle: {@link TapPool#acquire} → {@link #start} → {@link #responseHead} → {@code feed(...)} as
 * each buffer passes → {@link #finish} → {@link #release}. Confined to one thread at a time (Netty: the
 * channel's event loop); only {@link #stop(String)} may be called from anywhere.
 *
 * <p>Feeding never changes the buffer (reader index, position, reference count) and never throws for any
 * bytes. 2xx streamed bodies are folded as they pass; a 2xx JSON document ({@code "stream": false}) and an
 * HTTP error body are kept (bounded) and read once at the end.
 */
public final class StreamTap
{
    /** Error bodies are kept up to this many bytes in the record. */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final int KEPT_CAPTURE_BYTES = 64 * 1024;

    private final TapPool pool;
    private final Format format;
    private final AggregationLimits limits;
    private final TapClock clock;
    private final int maxDocumentBytes;
    private final StreamAggregator aggregator;
    private final ByteBufFeeder feeder = new ByteBufFeeder();
    private final Events events = new Events();

    private StreamListener delegate = StreamListener.NONE;
    private Object context;
    private String path;
    private String requestModel;
    private long requestBytes;
    private long startEpochMillis;
    private long startNanos;
    private long nowNanos;
    private long firstByteNanos;
    private long firstTokenNanos;
    private long lastTokenNanos;
    private long maxGapNanos;
    private long responseBytes;
    private int status;
    private boolean streaming;
    private boolean finished;
    private volatile String stopReason;
    private byte[] capture = new byte[0];
    private int captureLength;
    private boolean captureOverflow;

    StreamTap(final TapPool pool, final Format format, final AggregationLimits limits, final TapClock clock)
    {
        this.pool = pool;
        this.format = format;
        this.clock = clock;
        this.limits = limits;
        this.maxDocumentBytes = limits.framing().maxFrameBytes();
        this.aggregator = StreamAggregator.builder().format(format).limits(limits).listener(events).build();
        clear();
    }

    /** @return the format this tap's aggregator was built for ({@link Format#AUTO} detects). */
    public Format requestedFormat()
    {
        return format;
    }

    /**
     * Binds a listener to this stream only; it is unbound at {@link #release()}. A listener that throws
     * stops the stream as a policy stop, with the exception as the reason.
     *
     * @param listener receives the stream's events (views valid during the call only).
     * @return this.
     */
    public StreamTap listener(final StreamListener listener)
    {
        this.delegate = listener == null ? StreamListener.NONE : listener;
        return this;
    }

    /**
     * @param context any per-request object the embedder wants back from {@link #context()}; unbound at release.
     * @return this.
     */
    public StreamTap context(final Object context)
    {
        this.context = context;
        return this;
    }

    /** @return the context bound by {@link #context(Object)}, or null. */
    public Object context()
    {
        return context;
    }

    /** @return the request path given to {@link #start}, or null. */
    public String path()
    {
        return path;
    }

    /** @return the aggregator reading this stream: its live result, valid until {@link #release()}. */
    public StreamAggregator aggregator()
    {
        return aggregator;
    }

    /**
     * The request was sent: the clock starts.
     *
     * @param path         request path (for the record), or null.
     * @param requestModel the {@code model} of the request body, or null.
     * @param requestBytes request body bytes.
     * @return this.
     */
    public StreamTap start(final String path, final String requestModel, final long requestBytes)
    {
        return start(path, requestModel, requestBytes, clock.epochMillis(), clock.nanoTime());
    }

    /**
     * The request was sent earlier, at the given times (read from {@link TapPool#clock()}): for taps taken
     * only once the response head tells the format.
     *
     * @param path             request path (for the record), or null.
     * @param requestModel     the {@code model} of the request body, or null.
     * @param requestBytes     request body bytes.
     * @param startEpochMillis when the request was sent, wall clock.
     * @param startNanos       when the request was sent, {@link TapClock#nanoTime()}.
     * @return this.
     */
    public StreamTap start(
        final String path, final String requestModel, final long requestBytes, final long startEpochMillis,
        final long startNanos)
    {
        this.path = path;
        this.requestModel = requestModel;
        this.requestBytes = requestBytes;
        this.startEpochMillis = startEpochMillis;
        this.startNanos = startNanos;
        return this;
    }

    /**
     * The response head arrived.
     *
     * @param status      HTTP status.
     * @param contentType the response's {@code Content-Type}, or null.
     */
    public void responseHead(final int status, final String contentType)
    {
        this.status = status;
        markFirstByte(clock.nanoTime());
        streaming = status < 300 && FormatChooser.isStreaming(path, contentType);
    }

    /**
     * Feeds the readable bytes of a buffer; nothing about the buffer changes.
     *
     * @param buffer not retained.
     */
    public void feed(final ByteBuf buffer)
    {
        feed(buffer, buffer.readerIndex(), buffer.readableBytes());
    }

    /**
     * Feeds a range of a buffer by absolute index (what a caller saw before passing the buffer on).
     *
     * @param buffer not retained.
     * @param index  absolute index of the first byte.
     * @param length bytes.
     */
    public void feed(final ByteBuf buffer, final int index, final int length)
    {
        if (!accept(length))
        {
            return;
        }
        if (streaming)
        {
            feeder.feed(aggregator, buffer, index, length);
        }
        else
        {
            final int n = captureRoom(length);
            buffer.getBytes(index, capture, captureLength, n);
            captureLength += n;
        }
    }

    /**
     * Feeds the remaining bytes of a buffer without moving its position.
     *
     * @param buffer not retained.
     */
    public void feed(final ByteBuffer buffer)
    {
        feed(buffer, buffer.position(), buffer.remaining());
    }

    /**
     * Feeds a range of a buffer by absolute index (what a caller saw before passing the buffer on).
     *
     * @param buffer   not retained, position untouched.
     * @param position absolute index of the first byte.
     * @param length   bytes.
     */
    public void feed(final ByteBuffer buffer, final int position, final int length)
    {
        if (!accept(length))
        {
            return;
        }
        if (streaming)
        {
            feeder.feed(aggregator, buffer, position, length);
        }
        else
        {
            final int n = captureRoom(length);
            buffer.get(position, capture, captureLength, n);
            captureLength += n;
        }
    }

    /**
     * Feeds a slice of an array.
     *
     * @param bytes  not retained.
     * @param offset first byte.
     * @param length bytes.
     */
    public void feed(final byte[] bytes, final int offset, final int length)
    {
        if (!accept(length))
        {
            return;
        }
        if (streaming)
        {
            aggregator.feed(bytes, offset, length);
        }
        else
        {
            final int n = captureRoom(length);
            System.arraycopy(bytes, offset, capture, captureLength, n);
            captureLength += n;
        }
    }

    /**
     * Asks to end the stream (a guardrail): later bytes are not folded, and the tap's transport closes the
     * upstream and ends the downstream cleanly; the record's outcome is {@link GatewayOutcome#POLICY_STOP}.
     * Safe from any thread; the first reason wins.
     *
     * @param reason why, for the record.
     */
    public void stop(final String reason)
    {
        if (stopReason == null)
        {
            stopReason = reason == null ? "policy" : reason;
        }
    }

    /** @return true once {@link #stop(String)} was called. */
    public boolean isStopped()
    {
        return stopReason != null;
    }

    /** @return true once {@link #finish} made the record. */
    public boolean isFinished()
    {
        return finished;
    }

    /**
     * The response is over: makes the record. Call once; later calls return null.
     *
     * @param cause null when the body ended normally, else what cut it ({@link GatewayOutcome#CLIENT_ABORTED},
     *              {@link GatewayOutcome#UPSTREAM_RESET}, {@link GatewayOutcome#UPSTREAM_TIMEOUT}).
     * @return the record, or null when already finished.
     */
    public GenAiRecord finish(final GatewayOutcome cause)
    {
        if (finished)
        {
            return null;
        }
        finished = true;
        final long end = clock.nanoTime();
        final GenAiRecord.Builder b = new GenAiRecord.Builder();
        b.startEpochMillis = startEpochMillis;
        b.path = path;
        b.httpStatus = status;
        b.requestModel = requestModel;
        b.requestBytes = requestBytes;
        b.responseBytes = responseBytes;
        b.durationNanos = end - startNanos;
        b.timeToFirstByteNanos = firstByteNanos < 0 ? -1 : firstByteNanos - startNanos;
        b.timeToFirstTokenNanos = firstTokenNanos < 0 ? -1 : firstTokenNanos - startNanos;
        b.maxInterTokenGapNanos = maxGapNanos;
        b.stopReason = stopReason;
        final GatewayOutcome streamOutcome;
        if (status >= 400 || (status > 0 && status < 200))
        {
            b.format = format == Format.AUTO ? null : format;
            b.errorBody = new String(capture, 0, Math.min(captureLength, MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
            streamOutcome = GatewayOutcome.UPSTREAM_HTTP_ERROR;
        }
        else if (status == 0 && responseBytes == 0)
        {
            // No response at all (unreachable, reset or timed out before the head): nothing to detect from.
            b.format = format == Format.AUTO ? null : format;
            streamOutcome = GatewayOutcome.TRUNCATED;
        }
        else if (streaming || status == 0)
        {
            aggregator.end();
            streamOutcome = fromAggregate(aggregator.result(), b);
        }
        else
        {
            b.format = format == Format.AUTO ? null : format;
            streamOutcome = fromDocument(b);
        }
        b.providerName = providerName(b.format);
        b.outcome = stopReason != null ? GatewayOutcome.POLICY_STOP : cause != null ? cause : streamOutcome;
        b.usageSource = usageSource(b.inputTokens >= 0 || b.outputTokens >= 0, b.outcome);
        return b.build();
    }

    /** Resets the tap and gives it back to its pool; the tap must not be used afterwards. */
    public void release()
    {
        clear();
        if (pool != null)
        {
            pool.offer(this);
        }
    }

    /**
     * The one place usage provenance is decided (the aggregator does not say yet): numbers count as final
     * only when the stream completed; anything cut short carries whatever was reported before the cut.
     */
    static UsageSource usageSource(final boolean reported, final GatewayOutcome outcome)
    {
        if (!reported)
        {
            return UsageSource.MISSING;
        }
        return outcome == GatewayOutcome.COMPLETE || outcome == GatewayOutcome.PROVIDER_ERROR ?
            UsageSource.FINAL : UsageSource.PROVISIONAL;
    }

    static String providerName(final Format format)
    {
        if (format == null)
        {
            return "_OTHER";
        }
        switch (format)
        {
            case OPENAI_CHAT:
            case OPENAI_RESPONSES:
                return "openai";
            case ANTHROPIC:
                return "anthropic";
            case GEMINI:
                return "gcp.gemini";
            case BEDROCK:
                return "aws.bedrock";
            case OLLAMA:
                return "ollama";
            default:
                return "_OTHER";
        }
    }

    private static GatewayOutcome fromAggregate(final Aggregate a, final GenAiRecord.Builder b)
    {
        b.format = a.format();
        b.responseModel = metaText(a, "model", "modelVersion");
        b.responseId = metaText(a, "id", "responseId");
        final Usage u = a.usage();
        if (u.isPresent())
        {
            b.inputTokens = u.inputTokens();
            b.outputTokens = u.outputTokens();
            b.cacheReadInputTokens = u.cachedTokens();
            b.reasoningOutputTokens = u.reasoningTokens();
            b.cacheCreationInputTokens = rawCount(u, "cache_creation_input_tokens", "cacheWriteInputTokens");
        }
        final List<String> reasons = new ArrayList<>();
        final List<String> normalized = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        long argumentBytes = 0;
        for (final Choice c : a.choices())
        {
            if (c.finishReason().length() > 0)
            {
                reasons.add(c.finishReason().toString());
                normalized.add(normalized(c.stopReason()));
            }
            for (final Part call : c.toolCalls())
            {
                names.add(call.name().toString());
                argumentBytes += utf8Length(call.text());
            }
        }
        b.finishReasons = reasons;
        b.normalizedFinishReasons = normalized;
        b.toolCallNames = names;
        b.toolCallCount = names.size();
        b.toolCallArgumentBytes = argumentBytes;
        b.errors = new ArrayList<>(a.errors());
        switch (a.outcome())
        {
            case COMPLETE:
                return GatewayOutcome.COMPLETE;
            case ERROR:
                return GatewayOutcome.PROVIDER_ERROR;
            default:
                return GatewayOutcome.TRUNCATED;
        }
    }

    /** The normalized finish reason as the record writes it: the verdict vocabulary, lower case. */
    private static String normalized(final StopReason reason)
    {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    private GatewayOutcome fromDocument(final GenAiRecord.Builder b)
    {
        final JsonDocumentAccount doc = JsonDocumentAccount.read(capture, captureLength);
        b.responseModel = doc.model;
        b.responseId = doc.id;
        b.inputTokens = doc.inputTokens();
        b.outputTokens = doc.outputTokens();
        b.cacheReadInputTokens = doc.cacheReadTokens();
        b.cacheCreationInputTokens = doc.cacheWriteTokens();
        b.reasoningOutputTokens = doc.reasoningTokens();
        b.finishReasons = doc.finishReasons;
        final List<String> normalized = new ArrayList<>();
        final StopReasonTable words = format == Format.AUTO ? null : Dialects.reporting(format).stopReasons;
        for (final String r : doc.finishReasons)
        {
            normalized.add(normalized(words == null ? StopReason.OTHER : words.map(r, !doc.toolNames.isEmpty())));
        }
        b.normalizedFinishReasons = normalized;
        b.toolCallNames = doc.toolNames;
        b.toolCallCount = doc.toolNames.size();
        b.toolCallArgumentBytes = doc.argumentBytes;
        if (captureOverflow)
        {
            b.errors = List.of(new StreamError(ErrorKind.FRAME_TOO_LARGE, 0, maxDocumentBytes,
                "JSON response larger than " + maxDocumentBytes + " bytes was not read"));
            return GatewayOutcome.TRUNCATED;
        }
        if (!doc.parsed)
        {
            b.errors = List.of(new StreamError(ErrorKind.MALFORMED_JSON, 0, 0, "the JSON response is not a whole object"));
            return GatewayOutcome.TRUNCATED;
        }
        return doc.providerError ? GatewayOutcome.PROVIDER_ERROR : GatewayOutcome.COMPLETE;
    }

    private static String metaText(final Aggregate a, final String... names)
    {
        for (final String n : names)
        {
            final RawJson v = a.meta().get(n);
            if (v != null && v.type() == RawJson.Type.STRING && v.text().length() > 0)
            {
                return v.text().toString();
            }
        }
        return null;
    }

    private static long rawCount(final Usage u, final String... names)
    {
        for (final String n : names)
        {
            final RawJson v = u.fields().get(n);
            if (v != null)
            {
                final long value = v.longValue(-1);
                if (value >= 0)
                {
                    return value;
                }
            }
        }
        return -1;
    }

    static long utf8Length(final CharSequence text)
    {
        long n = 0;
        for (int i = 0, len = text.length(); i < len; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                n++;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                n += 4;
                i++;
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    private boolean accept(final int length)
    {
        if (finished || length <= 0)
        {
            return false;
        }
        nowNanos = clock.nanoTime();
        markFirstByte(nowNanos);
        responseBytes += length;
        return stopReason == null;
    }

    private void markFirstByte(final long now)
    {
        if (firstByteNanos < 0)
        {
            firstByteNanos = now;
        }
    }

    private int captureRoom(final int length)
    {
        final int max = status >= 400 ? MAX_ERROR_BODY_BYTES : maxDocumentBytes;
        final int n = Math.min(length, max - captureLength);
        if (n < length)
        {
            captureOverflow = true;
        }
        if (captureLength + n > capture.length)
        {
            capture = java.util.Arrays.copyOf(capture, Math.min(max, Math.max(captureLength + n, capture.length * 2)));
        }
        return Math.max(n, 0);
    }

    private void clear()
    {
        aggregator.reset();
        delegate = StreamListener.NONE;
        context = null;
        path = null;
        requestModel = null;
        requestBytes = 0;
        startEpochMillis = 0;
        startNanos = 0;
        nowNanos = 0;
        firstByteNanos = -1;
        firstTokenNanos = -1;
        lastTokenNanos = -1;
        maxGapNanos = -1;
        responseBytes = 0;
        status = 0;
        streaming = true;
        finished = false;
        stopReason = null;
        captureLength = 0;
        captureOverflow = false;
        if (capture.length > KEPT_CAPTURE_BYTES)
        {
            capture = new byte[0];
        }
    }

    private void token()
    {
        final long now = nowNanos;
        if (firstTokenNanos < 0)
        {
            firstTokenNanos = now;
        }
        else if (now - lastTokenNanos > maxGapNanos)
        {
            maxGapNanos = now - lastTokenNanos;
        }
        lastTokenNanos = now;
    }

    private void failed(final RuntimeException e)
    {
        stop("listener failed: " + e);
    }

    /** Times token-bearing events, then hands every event to the stream's bound listener. */
    private final class Events implements StreamListener
    {
        @Override
        public void onMessageStart(final CharSequence id, final CharSequence model)
        {
            try
            {
                delegate.onMessageStart(id, model);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onTextDelta(final int choice, final CharSequence text)
        {
            if (text.length() > 0)
            {
                token();
            }
            try
            {
                delegate.onTextDelta(choice, text);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onReasoningDelta(final int choice, final CharSequence text)
        {
            if (text.length() > 0)
            {
                token();
            }
            try
            {
                delegate.onReasoningDelta(choice, text);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onRefusalDelta(final int choice, final CharSequence text)
        {
            if (text.length() > 0)
            {
                token();
            }
            try
            {
                delegate.onRefusalDelta(choice, text);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onToolCallStart(final int choice, final int toolIndex, final CharSequence id, final CharSequence name)
        {
            token();
            try
            {
                delegate.onToolCallStart(choice, toolIndex, id, name);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onToolCallArgumentsDelta(final int choice, final int toolIndex, final CharSequence fragment)
        {
            if (fragment.length() > 0)
            {
                token();
            }
            try
            {
                delegate.onToolCallArgumentsDelta(choice, toolIndex, fragment);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onToolCallEnd(final int choice, final int toolIndex, final Part call)
        {
            try
            {
                delegate.onToolCallEnd(choice, toolIndex, call);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onLogprob(final int choice, final boolean refusal, final CharSequence token, final double logprob)
        {
            try
            {
                delegate.onLogprob(choice, refusal, token, logprob);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onTokenId(final int choice, final long tokenId)
        {
            try
            {
                delegate.onTokenId(choice, tokenId);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onUsage(final Usage usage)
        {
            try
            {
                delegate.onUsage(usage);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onFinish(final int choice, final CharSequence reason)
        {
            try
            {
                delegate.onFinish(choice, reason);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onError(final StreamError error)
        {
            try
            {
                delegate.onError(error);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }

        @Override
        public void onEnd(final Outcome outcome)
        {
            try
            {
                delegate.onEnd(outcome);
            }
            catch (final RuntimeException e)
            {
                failed(e);
            }
        }
    }
}
