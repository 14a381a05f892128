package io.streamfold.parser.composite;

import java.util.Objects;

import org.agrona.DirectBuffer;

import io.streamfold.parser.Framer;
import io.streamfold.parser.internal.Bom;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.DirectBufferFramer;

/**
 * Chooses between two framers from the stream's first significant byte, for endpoints that answer in one
 * of two transports (Gemini's {@code streamGenerateContent} sends a streamed JSON array, or SSE with
 * {@code alt=sse}). A UTF-8 byte order mark and JSON whitespace (space, tab, CR, LF) at the start are
 * held back; the first other byte decides: equal to {@code marker}, every byte goes to {@code onMarker},
 * else to {@code otherwise}. The held-back bytes are then fed to the chosen framer first, so it sees the
 * exact stream and its frame offsets are stream offsets.
 *
 * <p>At most {@value #MAX_HELD_BYTES} leading bytes are held back; a stream with a longer prefix of
 * whitespace is given to {@code otherwise}, as is a stream that ends before any significant byte. The
 * framer not chosen never sees a byte. Both framers should deliver to the same listener.
 */
public final class SniffingFramer extends DirectBufferFramer
{
    /** Leading bytes held back at most before deciding for the {@code otherwise} framer. */
    public static final int MAX_HELD_BYTES = 4096;

    private final byte marker;
    private final Framer onMarker;
    private final Framer otherwise;
    private final byte[] held = new byte[MAX_HELD_BYTES];
    private final DirectBuffer heldBuffer = Buffers.wrap(held);
    private int heldLength;
    private Framer chosen;
    private boolean ended;

    /**
     * @param marker    the first significant byte that selects {@code onMarker} (e.g. {@code '['}).
     * @param onMarker  framer for streams starting with {@code marker}.
     * @param otherwise framer for every other stream.
     */
    public SniffingFramer(final byte marker, final Framer onMarker, final Framer otherwise)
    {
        this.marker = marker;
        this.onMarker = Objects.requireNonNull(onMarker, "onMarker");
        this.otherwise = Objects.requireNonNull(otherwise, "otherwise");
    }

    /** @return the framer chosen, or null while only a byte order mark and whitespace have been seen. */
    public Framer chosen()
    {
        return chosen;
    }

    @Override
    public void feed(final DirectBuffer buffer, final int offset, final int length)
    {
        checkRange(buffer, offset, length);
        if (ended || length == 0)
        {
            return;
        }
        if (chosen != null)
        {
            chosen.feed(buffer, offset, length);
            return;
        }
        final int end = offset + length;
        int i = offset;
        while (i < end && isPrefixByte(buffer.getByte(i), heldLength + i - offset))
        {
            i++;
        }
        final int prefix = i - offset;
        if (i == end && heldLength + prefix <= MAX_HELD_BYTES)
        {
            buffer.getBytes(offset, held, heldLength, prefix);
            heldLength += prefix;
            return;
        }
        choose(i < end && buffer.getByte(i) == marker && heldLength + prefix <= MAX_HELD_BYTES ? onMarker : otherwise);
        chosen.feed(buffer, offset, length);
    }

    @Override
    public void end()
    {
        if (ended)
        {
            return;
        }
        if (chosen == null)
        {
            choose(otherwise);
        }
        ended = true;
        chosen.end();
    }

    @Override
    public void reset()
    {
        onMarker.reset();
        otherwise.reset();
        chosen = null;
        heldLength = 0;
        ended = false;
    }

    @Override
    public long bytesFed()
    {
        return chosen == null ? heldLength : chosen.bytesFed();
    }

    @Override
    public long framesDelivered()
    {
        return chosen == null ? 0 : chosen.framesDelivered();
    }

    private void choose(final Framer framer)
    {
        chosen = framer;
        if (heldLength > 0)
        {
            final int n = heldLength;
            heldLength = 0;
            framer.feed(heldBuffer, 0, n);
        }
    }

    /** A byte of the undecided prefix: whitespace anywhere, the byte order mark only at stream offsets 0-2. */
    private static boolean isPrefixByte(final byte b, final int streamOffset)
    {
        if (b == ' ' || b == '\t' || b == '\r' || b == '\n')
        {
            return true;
        }
        return Bom.isByteAt(b, streamOffset);
    }
}
