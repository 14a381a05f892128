package io.streamfold.aggregator;

import java.nio.ByteBuffer;
import java.util.Objects;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
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
 * <p>One instance per stream, not thread-safe; {@link #reset()} readies it for another stream with the
 * same settings, keeping its buffers, so gateways can pool instances.
 */
public final class StreamAggregator
{
    private final Format requested;
    private final AggregationLimits limits;
    private final boolean strict;
    private final Aggregate aggregate;
    private final FrameSink sink = new FrameSink();
    private Dialect dialect;
    private Framer framer;
    /** False while AUTO sniffs; the last detected dialect and framer are kept across reset() for reuse. */
    private boolean decided;
    private Format dialectFormat;
    private byte[] sniffed = new byte[0];
    private int sniffedLength;
    private long bytesFed;

    private StreamAggregator(final Builder b)
    {
        requested = b.format;
        limits = b.limits;
        strict = b.strict;
        aggregate = new Aggregate(limits, b.listener);
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
        if (!decided)
        {
            final Format detected = FormatDetector.detect(sniffed, sniffedLength, true);
            choose(detected);
            replaySniffed();
        }
        if (!aggregate.isOver())
        {
            framer.end();
        }
        if (!aggregate.isOver())
        {
            dialect.onInputEnd();
        }
    }

    /** @return the result so far: a live view, final once {@link #isDone()}. */
    public Aggregate snapshot()
    {
        return aggregate;
    }

    /** @return the result; the same live object as {@link #snapshot()}, named for reading after {@link #end()}. */
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

    /** @return bytes held for format detection, for tests of the memory bound. */
    long retainedSniffBytes()
    {
        return sniffed.length;
    }

    /** Readies the aggregator for a new stream with the same format, listener, limits and mode. */
    public void reset()
    {
        aggregate.clear();
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

    private void choose(final Format format)
    {
        if (dialect == null || dialectFormat != format)
        {
            dialectFormat = format;
            dialect = Dialects.create(format, aggregate, limits);
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
        final Format detected = FormatDetector.detect(sniffed, sniffedLength, false);
        if (detected != null)
        {
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

    /** Receives frames from the framer and hands them to the dialect, turning failures into errors. */
    private final class FrameSink implements FrameListener
    {
        @Override
        public void onFrame(final Frame frame)
        {
            if (aggregate.isOver())
            {
                return;
            }
            aggregate.position(frame.index(), frame.streamOffset());
            try
            {
                dialect.onFrame(frame);
            }
            catch (final JsonReader.BadPayload e)
            {
                dialect.json.abandon();
                malformed(e.getMessage());
            }
            catch (final RuntimeException e)
            {
                // A bug, not bad input; still never thrown at the caller. Fuzzers look for this prefix.
                dialect.json.abandon();
                malformed(INTERNAL_ERROR_PREFIX + e);
            }
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
            aggregate.error(error);
            if (strict)
            {
                aggregate.end(Outcome.ERROR);
            }
        }
    }

    /** Messages of errors caused by a defect in streamfold itself start with this. */
    public static final String INTERNAL_ERROR_PREFIX = "internal error: ";

    /** Builder for {@link StreamAggregator}. */
    public static final class Builder
    {
        private Format format = Format.AUTO;
        private StreamListener listener = StreamListener.NONE;
        private AggregationLimits limits = AggregationLimits.DEFAULT;
        private boolean strict;

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

        /** @return the aggregator. */
        public StreamAggregator build()
        {
            return new StreamAggregator(this);
        }
    }
}
