package io.streamfold.parser;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;

/**
 * A push-based, incremental framer: feed it bytes in whatever slices they arrive, and it calls its
 * {@link FrameListener} for each frame as soon as the frame is complete. Not thread-safe: one instance
 * per stream, reusable after {@link #reset()}.
 *
 * <p>Frames that lie inside one fed slice are handed over as views onto the caller's bytes; only
 * frames that span slices are copied, into one reusable buffer bounded by the {@link FramingLimits}.
 * No feed method throws for any input bytes; problems arrive as {@link StreamError}s.
 */
public interface Framer
{
    /**
     * Feeds a slice of a {@code byte[]}.
     *
     * @param bytes  the array; not retained after the call returns.
     * @param offset first byte.
     * @param length number of bytes.
     */
    void feed(byte[] bytes, int offset, int length);

    /**
     * Feeds all remaining bytes of a heap or direct buffer and advances its position to its limit.
     *
     * @param buffer not retained after the call returns.
     */
    void feed(ByteBuffer buffer);

    /**
     * Feeds a range of an Agrona buffer.
     *
     * @param buffer not retained after the call returns.
     * @param offset first byte.
     * @param length number of bytes.
     */
    void feed(DirectBuffer buffer, int offset, int length);

    /**
     * The stream is closed: apply the format's end-of-stream rule (for SSE, an unterminated event is
     * discarded; for NDJSON, a last line without a newline is still a value). Further feeds are
     * ignored until {@link #reset()}.
     */
    void end();

    /** Returns to the state after construction, keeping the listener and the limits. */
    void reset();

    /** @return total bytes fed since construction or the last {@link #reset()}. */
    long bytesFed();

    /** @return number of frames delivered since construction or the last {@link #reset()}. */
    long framesDelivered();
}
