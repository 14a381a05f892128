package io.streamfold.gateway;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.event.StreamListener;

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
    private final TapClock clock;
    private final int maxDocumentBytes;
    private final StreamAggregator aggregator;
    private final ByteBufFeeder feeder = new ByteBufFeeder();
    private final TapListener events = new TapListener(this);

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

    StreamTap(final TapPool pool, final Format format, final AggregationLimits limits, final TapClock clock, final boolean keepContent)
    {
        this.pool = pool;
        this.format = format;
        this.clock = clock;
        this.maxDocumentBytes = limits.framing().maxFrameBytes();
        this.aggregator = StreamAggregator.builder().format(format).limits(limits).listener(events).keepContent(keepContent).build();
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
        events.bind(listener);
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
            timeTokens();
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
            timeTokens();
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
            timeTokens();
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
        b.stopReason = stopReason;
        final GatewayOutcome streamOutcome;
        if (status >= 400 || (status > 0 && status < 200))
        {
            streamOutcome = RecordAssembler.fromHttpError(format, capture, captureLength, b);
        }
        else if (status == 0 && responseBytes == 0)
        {
            streamOutcome = RecordAssembler.fromNothing(format, b);
        }
        else if (streaming || status == 0)
        {
            aggregator.end();
            // Events folded at the end (a last event with no blank line after it) came with the last buffer.
            timeTokens();
            b.timeToFirstTokenNanos = firstTokenNanos < 0 ? -1 : firstTokenNanos - startNanos;
            b.maxInterTokenGapNanos = maxGapNanos;
            streamOutcome = RecordAssembler.fromStream(aggregator.result(), b);
        }
        else
        {
            streamOutcome = RecordAssembler.fromDocument(format, capture, captureLength, captureOverflow, maxDocumentBytes, b);
        }
        b.providerName = RecordAssembler.providerName(b.format);
        b.outcome = stopReason != null ? GatewayOutcome.POLICY_STOP : cause != null ? cause : streamOutcome;
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
        events.bind(null);
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
        events.tokens = 0;
        stopReason = null;
        captureLength = 0;
        captureOverflow = false;
        if (capture.length > KEPT_CAPTURE_BYTES)
        {
            capture = new byte[0];
        }
    }

    /**
     * Times the tokens the last buffer carried, once per buffer rather than per event: every event in a buffer
     * has that buffer's time, so the first token and the largest gap between tokens come out the same.
     */
    private void timeTokens()
    {
        final int tokens = events.tokens;
        if (tokens == 0)
        {
            return;
        }
        events.tokens = 0;
        final long now = nowNanos;
        if (firstTokenNanos < 0)
        {
            firstTokenNanos = now;
        }
        else if (now - lastTokenNanos > maxGapNanos)
        {
            maxGapNanos = now - lastTokenNanos;
        }
        if (tokens > 1 && maxGapNanos < 0)
        {
            // Two tokens in one buffer: a gap of zero between them.
            maxGapNanos = 0;
        }
        lastTokenNanos = now;
    }
}
