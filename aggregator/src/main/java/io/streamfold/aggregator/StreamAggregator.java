package io.streamfold.aggregator;

import java.nio.ByteBuffer;
import java.util.ConcurrentModificationException;
import java.util.Objects;

import io.streamfold.aggregator.event.StreamListener;
import io.streamfold.aggregator.internal.InternalErrors;
import io.streamfold.aggregator.internal.dialect.Dialect;
import io.streamfold.aggregator.internal.dialect.Dialects;
import io.streamfold.aggregator.internal.dialect.DoneMarker;
import io.streamfold.aggregator.internal.dialect.FormatSniffer;
import io.streamfold.aggregator.internal.fold.GuardedListener;
import io.streamfold.aggregator.internal.dialect.FormatDetector;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.json.JsonReader;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.internal.DataLineHint;
import io.streamfold.parser.Framer;
import io.streamfold.parser.StreamError;
import org.agrona.DirectBuffer;

/**
 * Folds one streamed LLM response back into the complete response, as the bytes arrive. Feed it the
 * response body in whatever slices the network delivers, call {@link #end()} when the connection
 * closes, and read {@link #result()}; a {@link StreamListener} sees every delta while it happens.
 *
 * <pre>{@code
 * StreamAggregator aggregator = StreamAggregator.builder().format(Format.AUTO).listener(myListener).build();
 * aggregator.feed(bytes, 0, n);          // as often as bytes arrive
 * aggregator.end();                      // the connection closed
 * String json = aggregator.result().toJson();
 * }</pre>
 *
 * <p>Nothing thrown for any input bytes: malformed events, limits and truncation become
 * {@link StreamError}s (lenient mode skips a malformed event and goes on; strict mode ends the stream
 * there). Everything folded before an error is kept. Once the provider's terminal event has arrived
 * (for example {@code data: [DONE]}) the result is final and further bytes are ignored.
 *
 * <p>One instance per stream, not thread-safe: it belongs to one thread at a time (hand it over with a
 * happens-before edge, as an event loop or an executor does). Calls that overlap from two threads fail with
 * a {@link ConcurrentModificationException} when detected, rather than folding garbage; detection is a plain
 * field check, not a guarantee. {@link #reset()} readies it for another stream with the same settings,
 * keeping its buffers, so gateways can pool instances.
 */
public final class StreamAggregator
{
    private final Format requested;
    private final AggregationLimits limits;
    private final boolean strict;
    private final MutableAggregate aggregate;
    /** The current framer's listener: a {@link HintingSink} for a dialect that {@link Dialect#hintsDataLines}. */
    private FrameSink sink = new FrameSink();
    /** Detection state for AUTO, kept across feeds so that it scans each sniffed byte once. */
    private final FormatSniffer sniffer = new FormatSniffer();
    private Dialect dialect;
    private Framer framer;
    /** False while AUTO sniffs; the last detected dialect and framer are kept across reset() for reuse. */
    private boolean decided;
    private Format dialectFormat;
    private byte[] sniffed = new byte[0];
    private int sniffedLength;
    private long bytesFed;
    /** The thread inside feed, end or reset, else null: re-entry from a callback and overlapping threads are refused. */
    private Thread busy;

    private StreamAggregator(final Builder b)
    {
        requested = b.format;
        limits = b.limits;
        strict = b.strict;
        final StreamListener listener = GuardedListener.guard(b.listener);
        aggregate = new MutableAggregate(limits, listener, b.keepContent);
        if (listener instanceof GuardedListener)
        {
            ((GuardedListener)listener).aggregate(aggregate);
        }
        if (requested != Format.AUTO)
        {
            choose(requested);
        }
    }

    /** @return a builder: format AUTO, no listener, default limits, lenient. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @param format the stream's format, or {@link Format#AUTO}.
     * @return an aggregator with no listener, default limits, lenient.
     */
    public static StreamAggregator create(final Format format)
    {
        return builder().format(format).build();
    }

    /**
     * Feeds a slice of the response body.
     *
     * @param bytes  not retained.
     * @param offset first byte.
     * @param length number of bytes.
     */
    public void feed(final byte[] bytes, final int offset, final int length)
    {
        enter("feed");
        try
        {
            feedBytes(bytes, offset, length);
        }
        finally
        {
            exit();
        }
    }

    /** The body of {@link #feed(byte[], int, int)}, inside the misuse check. */
    private void feedBytes(final byte[] bytes, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (!decided)
        {
            sniff(bytes, offset, length);
            return;
        }
        // Counted even once the outcome is decided and the bytes are ignored: the caller did feed them.
        bytesFed += length;
        if (!aggregate.isOver())
        {
            framer.feed(bytes, offset, length);
        }
    }

    /**
     * Feeds all remaining bytes of a buffer, advancing its position to its limit.
     *
     * @param buffer not retained.
     */
    public void feed(final ByteBuffer buffer)
    {
        enter("feed");
        try
        {
            feedByteBuffer(buffer);
        }
        finally
        {
            exit();
        }
    }

    /** The body of {@link #feed(ByteBuffer)}, inside the misuse check. */
    private void feedByteBuffer(final ByteBuffer buffer)
    {
        if (!decided)
        {
            final byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            sniff(copy, 0, copy.length);
            return;
        }
        bytesFed += buffer.remaining();
        if (aggregate.isOver())
        {
            buffer.position(buffer.limit());
            return;
        }
        framer.feed(buffer);
    }

    /**
     * Feeds a range of an Agrona buffer.
     *
     * @param buffer not retained.
     * @param offset first byte.
     * @param length number of bytes.
     */
    public void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        enter("feed");
        try
        {
            feedDirect(buffer, offset, length);
        }
        finally
        {
            exit();
        }
    }

    /** The body of {@link #feed(DirectBuffer, int, int)}, inside the misuse check. */
    private void feedDirect(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!decided)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            sniff(copy, 0, length);
            return;
        }
        bytesFed += length;
        if (!aggregate.isOver())
        {
            framer.feed(buffer, offset, length);
        }
    }

    /** The input is over (the connection closed). Decides the outcome if the terminal event never came. */
    public void end()
    {
        enter("end");
        try
        {
            endInput();
        }
        finally
        {
            exit();
        }
    }

    /** The body of {@link #end()}, inside the misuse check. */
    private void endInput()
    {
        if (!decided)
        {
            final Format detected = sniffer.offer(sniffed, sniffedLength, true);
            sniffer.reset();
            choose(detected);
            replaySniffed();
        }
        if (!aggregate.isOver())
        {
            sink.cut = false;
            sink.ending = true;
            framer.end();
            sink.ending = false;
        }
        if (!aggregate.isOver())
        {
            // What is decided now is about the whole input: place it after the last event and byte.
            aggregate.position(framer.framesDelivered(), bytesFed());
            dialect.onInputEnd(sink.cut);
        }
    }

    /**
     * @return an independent copy of the result so far: later bytes and {@link #reset()} leave it as it
     * is. Allocates a copy of every text and raw value and renders the provider JSON once; use
     * {@link #result()} to read without copying.
     */
    public Aggregate snapshot()
    {
        return aggregate.snapshot();
    }

    /**
     * @return the result: a live view, without copying, that changes as bytes are fed (final once
     * {@link #isDone()}) and is valid until {@link #reset()}, which clears and reuses it.
     */
    public Aggregate result()
    {
        return aggregate;
    }

    /** @return true once the outcome is decided (terminal event, error in strict mode, or {@link #end()}). */
    public boolean isDone()
    {
        return aggregate.isOver();
    }

    /** @return the format being read: the requested one, or the detected one (null while AUTO is undecided). */
    public Format format()
    {
        return aggregate.format();
    }

    /** @return bytes fed since construction or {@link #reset()}. */
    public long bytesFed()
    {
        return bytesFed + sniffedLength;
    }

    /**
     * @return frames (SSE events, NDJSON lines, array elements, eventstream messages) the framer has delivered
     * since construction or {@link #reset()}; 0 while {@link Format#AUTO} has not decided.
     */
    public long framesDelivered()
    {
        return decided ? framer.framesDelivered() : 0;
    }

    /** @return the dialect reading the stream, or null while AUTO has not decided (for tests). */
    Dialect dialect()
    {
        return decided ? dialect : null;
    }

    /** @return bytes the format detection has looked at for the current stream, for the test that it is linear. */
    long sniffExamined()
    {
        return sniffer.examined();
    }

    /** @return bytes held for format detection, for tests of the memory bound. */
    long retainedSniffBytes()
    {
        return sniffed.length;
    }

    /** Readies the aggregator for a new stream with the same format, listener, limits and mode. */
    public void reset()
    {
        enter("reset");
        try
        {
            resetState();
        }
        finally
        {
            exit();
        }
    }

    /** The body of {@link #reset()}, inside the misuse check. */
    private void resetState()
    {
        aggregate.clear();
        sniffer.reset();
        sniffedLength = 0;
        bytesFed = 0;
        if (requested == Format.AUTO)
        {
            // Kept for the next stream: detecting the same format again reuses them instead of building anew.
            decided = false;
            aggregate.undecided();
        }
        else
        {
            framer.reset();
            dialect.reset();
        }
    }

    /**
     * Refuses a call made from inside one of this aggregator's own listener callbacks (folding is half way
     * through an event there, and a nested feed, end or reset would corrupt it), and a call made while
     * another thread is inside one. The second is a cheap check, not a lock: a plain field, so it catches
     * overlapping calls that it happens to see, which is what turns silent corruption into a loud failure.
     */
    private void enter(final String method)
    {
        final Thread current = Thread.currentThread();
        final Thread inside = busy;
        if (inside != null)
        {
            if (inside == current)
            {
                throw new IllegalStateException(method + "() called from inside a StreamListener callback of the same " +
                    "aggregator; the call was refused and the stream is unchanged (hand the bytes over after the callback returns)");
            }
            throw new ConcurrentModificationException(method + "() called on thread '" + current.getName() +
                "' while thread '" + inside.getName() + "' is inside feed(), end() or reset(): an aggregator belongs " +
                "to one thread at a time");
        }
        busy = current;
    }

    private void exit()
    {
        busy = null;
    }

    private void choose(final Format format)
    {
        if (dialect == null || dialectFormat != format)
        {
            dialectFormat = format;
            dialect = Dialects.create(format, aggregate, limits);
            sink = dialect.hintsDataLines() ? new HintingSink() : new FrameSink();
            framer = dialect.newFramer(sink);
        }
        else
        {
            dialect.reset();
            framer.reset();
        }
        aggregate.dialect(format, dialect);
        decided = true;
    }

    private void sniff(final byte[] bytes, final int offset, final int length)
    {
        if (length > sniffed.length - sniffedLength)
        {
            sniffed = java.util.Arrays.copyOf(sniffed, Math.max(sniffedLength + length, sniffed.length * 2));
        }
        System.arraycopy(bytes, offset, sniffed, sniffedLength, length);
        sniffedLength += length;
        final Format detected = sniffer.offer(sniffed, sniffedLength, false);
        if (detected != null)
        {
            sniffer.reset();
            choose(detected);
            replaySniffed();
        }
    }

    private void replaySniffed()
    {
        final int length = sniffedLength;
        sniffedLength = 0;
        bytesFed += length;
        framer.feed(sniffed, 0, length);
        if (sniffed.length > FormatDetector.MAX_SNIFF_BYTES)
        {
            sniffed = new byte[0];
        }
    }

    /**
     * As {@link FrameSink}, and also answers the SSE framer's line-end hint with what the dialect's fast path matches
     * ({@link Dialect#dataLineEnd}): one mechanism for every dialect that learns its data lines.
     */
    private final class HintingSink extends FrameSink implements DataLineHint
    {
        @Override
        public int lineEnd(final DirectBuffer buffer, final int lineStart, final int to, final long lineOffset)
        {
            return dialect.dataLineEnd(buffer, lineStart, to, lineOffset);
        }

        @Override
        public int valueLineEnd(final DirectBuffer buffer, final int lineStart, final int to, final long lineOffset)
        {
            return dialect.valueLineEnd(buffer, lineStart, to, lineOffset);
        }

        @Override
        public boolean onHintedFrame(final Frame frame)
        {
            return take(frame, true);
        }
    }

    /** Receives frames from the framer and hands them to the dialect, turning failures into errors. */
    private class FrameSink implements FrameListener
    {
        /** True while the framer is told the input ended. */
        boolean ending;
        /** The framer reported, at the end of input, that the bytes ended inside an event. */
        boolean cut;

        @Override
        public void onFrame(final Frame frame)
        {
            take(frame, false);
        }

        /**
         * Hands a frame to the dialect: as a frame, or as the data line it matched for the framer's hint
         * ({@link Dialect#foldHinted}), which it may leave to be read as a frame.
         *
         * @return false when the dialect left a hinted frame (nothing changed).
         */
        final boolean take(final Frame frame, final boolean hinted)
        {
            if (aggregate.isOver())
            {
                return true;
            }
            aggregate.position(frame.index(), frame.streamOffset());
            try
            {
                if (!hinted)
                {
                    dialect.onFrame(frame);
                }
                else if (!dialect.foldHinted())
                {
                    return false;
                }
                if (aggregate.isOver())
                {
                    // The event itself decided the outcome: the provider's last word, in band.
                    aggregate.terminalEvent();
                }
            }
            catch (final JsonReader.BadPayload e)
            {
                dialect.abandonEvent();
                final String nearMiss = DoneMarker.nearMiss(frame);
                malformed(nearMiss == null ? e.getMessage() : nearMiss);
            }
            catch (final RuntimeException e)
            {
                // A bug, not bad input; still never thrown at the caller. Fuzzers look for this prefix.
                dialect.abandonEvent();
                malformed(InternalErrors.PREFIX + e);
            }
            return true;
        }

        private void malformed(final String message)
        {
            aggregate.error(ErrorKind.MALFORMED_JSON, message);
            if (strict)
            {
                aggregate.end(Outcome.ERROR);
            }
        }

        @Override
        public void onError(final StreamError error)
        {
            if (aggregate.isOver())
            {
                return;
            }
            if (ending && error.kind() == ErrorKind.TRUNCATED)
            {
                cut = true;
            }
            aggregate.error(error);
            if (strict)
            {
                aggregate.end(Outcome.ERROR);
            }
        }
    }

    /** Builder for {@link StreamAggregator}. */
    public static final class Builder
    {
        private Format format = Format.AUTO;
        private StreamListener listener = StreamListener.NONE;
        private AggregationLimits limits = AggregationLimits.DEFAULT;
        private boolean strict;
        private boolean keepContent = true;

        private Builder()
        {
        }

        /** @param format the stream's format, or AUTO (the default). @return this. */
        public Builder format(final Format format)
        {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** @param listener receives events as they happen. @return this. */
        public Builder listener(final StreamListener listener)
        {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @param limits bounds on memory. @return this. */
        public Builder limits(final AggregationLimits limits)
        {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param strict true: the first malformed event or framing error ends the stream with
         *               {@link Outcome#ERROR}; false (default): it is reported and skipped.
         * @return this.
         */
        public Builder strict(final boolean strict)
        {
            this.strict = strict;
            return this;
        }

        /**
         * Whether the result keeps the per-token content, or the stream is read for its events only: a gateway that
         * forwards deltas as it hears them, and bills from usage, need not hold every response's text.
         *
         * <p>With false, text, reasoning and refusal deltas, token ids and logprob entries reach the listener and are
         * counted, and are not kept: the result's parts have empty text ({@link io.streamfold.aggregator.model.TextBuffer#isPresent()}
         * still says whether any came), its choices no token ids and empty logprob lists, so memory no longer grows with
         * the stream's length. Everything else is kept as with true: choices and parts in order (kinds, ids, names,
         * indexes, completeness), whole tool calls with their arguments (the listener's {@code onToolCallEnd} hands
         * them over), finish reasons, usage, metadata, raw fields, errors and the verdict. The listener hears the same
         * events in the same order either way; the limits ({@code maxTextChars}, {@code maxTokenIds},
         * {@code maxResultChars}) count the dropped content as if it were kept, so a limit cuts the events at the same
         * place; only the byte limits on kept memory ({@code maxRawBytes} for logprob entries, {@code maxResultBytes}
         * for growth) are not reached by content that is not kept. A usage estimate for a stream that reported none
         * counts token ids, else the {@code chars/4} rule (never the model's tokenizer: the text is not there).
         *
         * @param keepContent true (the default) to keep everything; false to hear the content and drop it.
         * @return this.
         */
        public Builder keepContent(final boolean keepContent)
        {
            this.keepContent = keepContent;
            return this;
        }

        /** @return the aggregator. */
        public StreamAggregator build()
        {
            return new StreamAggregator(this);
        }
    }
}
