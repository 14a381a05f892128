package io.streamfold.parser.internal;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;

/**
 * The JSON element framer behind {@code JsonArrayFramer} (whose documentation states the rules), with one
 * more mode for {@code SseThenJsonFramer}: {@link #continueBare(long, long)} starts it inside an array that
 * was never opened in the stream, continuing another framer's offsets and frame indexes, so that bare JSON
 * values written after SSE events are framed as that array's elements. In that mode the missing closing
 * {@code ]} is no error at the end; a value cut off by the end still is ({@link ErrorKind#TRUNCATED}).
 */
public final class JsonValuesFramer extends AbstractFramer
{
    private static final int BEFORE_ARRAY = 0;
    private static final int BEFORE_FIRST = 1;
    private static final int BEFORE_NEXT = 2;
    private static final int IN_STRUCTURE = 3;
    private static final int IN_SCALAR = 4;
    private static final int AFTER_ELEMENT = 5;
    private static final int AFTER_ARRAY = 6;
    private static final int FAILED = 7;

    private final SpillBuffer spill;
    private final int maxFrameBytes;
    private final int maxNestingDepth;

    private int state = BEFORE_ARRAY;
    private int bomMatched;
    /** Started by {@link #continueBare(long, long)}: no closing bracket is expected. */
    private boolean bare;

    private long elementStartOffset;
    /** Brackets, strings and escapes of the open element. */
    private final JsonScanner scanner = new JsonScanner();
    /** The open element broke a limit: scan to its end without copying or delivering it. */
    private boolean skipping;
    /** Part of the open element was fed in an earlier slice and sits in the spill. */
    private boolean carrying;

    /**
     * Creates a framer with the default limits.
     *
     * @param listener receives the elements and errors.
     */
    public JsonValuesFramer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives the elements and errors.
     * @param limits   {@link FramingLimits#maxFrameBytes()} and {@link FramingLimits#maxNestingDepth()} apply.
     */
    public JsonValuesFramer(final FrameListener listener, final FramingLimits limits)
    {
        super(listener, limits);
        maxFrameBytes = limits.maxFrameBytes();
        maxNestingDepth = limits.maxNestingDepth();
        spill = new SpillBuffer(maxFrameBytes);
    }

    /**
     * Continues a stream that another framer began reading, inside an array never opened in it: the next
     * byte fed is taken to be at stream offset {@code streamOffset}, where a JSON value (or whitespace, or a
     * comma, as between elements) is expected, and the next element delivered gets index {@code frameIndex}.
     * The end of the stream needs no closing {@code ]}. Call it right after construction or {@link #reset()},
     * before the first byte is fed; a later {@link #reset()} starts again from offset 0 and index 0 in the
     * normal, array mode.
     *
     * @param streamOffset stream offset of the next byte fed.
     * @param frameIndex   index of the next element delivered (frames the other framer delivered).
     * @throws IllegalStateException if a byte was fed already.
     */
    public void continueBare(final long streamOffset, final long frameIndex)
    {
        if (state != BEFORE_ARRAY || bomMatched != 0 || ended || bytesFed != 0)
        {
            throw new IllegalStateException("continueBare must come before the first byte");
        }
        bytesFed = streamOffset;
        framesDelivered = frameIndex;
        state = BEFORE_FIRST;
        bare = true;
    }

    @Override
    protected void onBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final long base = bytesFed - offset;
        int i = offset;
        while (i < end)
        {
            switch (state)
            {
                case IN_STRUCTURE:
                    i = scanStructure(buffer, i, end, base, offset);
                    break;

                case IN_SCALAR:
                    i = scanScalar(buffer, i, end, base, offset);
                    break;

                case FAILED:
                    return;

                default:
                    i = between(buffer, i, end, base);
                    break;
            }
        }
    }

    /** Handles the bytes outside elements, one at a time. */
    private int between(final DirectBuffer buffer, final int i, final int end, final long base)
    {
        final byte b = buffer.getByte(i);
        final long streamOffset = base + i;
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t')
        {
            if (state == BEFORE_ARRAY && bomMatched > 0 && bomMatched < Bom.LENGTH)
            {
                malformed(streamOffset, "incomplete byte order mark");
            }
            return i + 1;
        }

        switch (state)
        {
            case BEFORE_ARRAY:
                if (bomMatched < Bom.LENGTH && streamOffset == bomMatched && Bom.isByteAt(b, streamOffset))
                {
                    bomMatched++;
                }
                else if (b == '[' && (bomMatched == 0 || bomMatched == Bom.LENGTH))
                {
                    state = BEFORE_FIRST;
                }
                else
                {
                    malformed(streamOffset, "stream does not start with a JSON array");
                }
                return i + 1;

            case BEFORE_FIRST:
                if (b == ']')
                {
                    state = AFTER_ARRAY;
                    return i + 1;
                }
                return startElement(b, i, streamOffset);

            case BEFORE_NEXT:
                return startElement(b, i, streamOffset);

            case AFTER_ELEMENT:
                if (b == ',')
                {
                    state = BEFORE_NEXT;
                }
                else if (b == ']')
                {
                    state = AFTER_ARRAY;
                }
                else
                {
                    malformed(streamOffset, "expected ',' or ']' after an array element");
                }
                return i + 1;

            default:
                malformed(streamOffset, "data after the end of the JSON array");
                return i + 1;
        }
    }

    /** Opens an element at {@code i} and leaves {@code i} for the element scan to read. */
    private int startElement(final byte b, final int i, final long streamOffset)
    {
        elementStartOffset = streamOffset;
        skipping = false;
        carrying = false;
        scanner.reset();
        if (b == '{' || b == '[' || b == '"')
        {
            state = IN_STRUCTURE;
            return i;
        }
        if (isScalarByte(b))
        {
            state = IN_SCALAR;
            return i;
        }
        malformed(streamOffset, "expected an array element");
        return i + 1;
    }

    /**
     * Scans an object, array or string element from {@code i} with the shared {@link JsonScanner}.
     *
     * @return index after the last byte consumed.
     */
    private int scanStructure(final DirectBuffer buffer, final int from, final int end, final long base, final int sliceStart)
    {
        // Bytes of the element may not reach limitIndex: at that index it is already too large.
        final long limitIndex = skipping ? Long.MAX_VALUE : elementStartOffset + maxFrameBytes - base;
        final int scanEnd = limitIndex < end ? (int)limitIndex : end;
        int i = from;
        boolean complete = false;
        while (i < scanEnd)
        {
            i = scanner.scan(buffer, i, scanEnd, skipping ? Long.MAX_VALUE : maxNestingDepth);
            if (scanner.status() == JsonScanner.CLOSED)
            {
                complete = true;
                break;
            }
            if (scanner.status() == JsonScanner.TOO_DEEP)
            {
                startSkipping(ErrorKind.NESTING_TOO_DEEP, "array element nested deeper than " + maxNestingDepth);
            }
        }

        final int elementStart = carrying || elementStartOffset < base + sliceStart ?
            sliceStart : (int)(elementStartOffset - base);
        if (complete)
        {
            completeElement(buffer, elementStart, i);
        }
        else if (i == limitIndex && !skipping)
        {
            tooLarge();
        }
        else if (!skipping)
        {
            spill.append(buffer, elementStart, i - elementStart);
            carrying = true;
        }
        return i;
    }

    /** Scans a bare scalar from {@code i}; it ends before the first byte that cannot be part of it. */
    private int scanScalar(final DirectBuffer buffer, final int from, final int end, final long base, final int sliceStart)
    {
        final long limitIndex = skipping ? Long.MAX_VALUE : elementStartOffset + maxFrameBytes - base;
        final int scanEnd = limitIndex < end ? (int)limitIndex + 1 : end;
        int i = from;
        while (i < scanEnd && isScalarByte(buffer.getByte(i)))
        {
            i++;
        }

        final int elementStart = carrying || elementStartOffset < base + sliceStart ?
            sliceStart : (int)(elementStartOffset - base);
        if (i < scanEnd)
        {
            completeElement(buffer, elementStart, i);
        }
        else if (limitIndex < end && !skipping)
        {
            // The byte at limitIndex belongs to the scalar too: one byte more than allowed.
            tooLarge();
        }
        else if (!skipping)
        {
            spill.append(buffer, elementStart, i - elementStart);
            carrying = true;
        }
        return i;
    }

    private void completeElement(final DirectBuffer buffer, final int elementStart, final int elementEnd)
    {
        state = AFTER_ELEMENT;
        if (skipping)
        {
            skipping = false;
            return;
        }
        if (carrying)
        {
            carrying = false;
            spill.append(buffer, elementStart, elementEnd - elementStart);
            deliver(spill.buffer(), 0, spill.length());
            spill.clear();
        }
        else
        {
            deliver(buffer, elementStart, elementEnd - elementStart);
        }
    }

    private void tooLarge()
    {
        startSkipping(ErrorKind.FRAME_TOO_LARGE, "array element larger than " + maxFrameBytes + " bytes");
    }

    private void startSkipping(final ErrorKind kind, final String message)
    {
        skipping = true;
        carrying = false;
        spill.clear();
        error(kind, elementStartOffset, message + "; skipped");
    }

    private void deliver(final DirectBuffer buffer, final int offset, final int length)
    {
        FRAMES.payload(frame, buffer, offset, length);
        FRAMES.type(frame, buffer, offset, 0);
        FRAMES.id(frame, buffer, offset, 0, false);
        FRAMES.position(frame, framesDelivered, elementStartOffset);
        listener.onFrame(frame);
        framesDelivered++;
    }

    private void malformed(final long streamOffset, final String message)
    {
        state = FAILED;
        spill.clear();
        error(ErrorKind.MALFORMED_FRAMING, streamOffset, message + "; ignoring the rest of the stream");
    }

    @Override
    protected void onEnd()
    {
        switch (state)
        {
            case AFTER_ARRAY:
            case FAILED:
                break;

            case IN_STRUCTURE:
            case IN_SCALAR:
                error(ErrorKind.TRUNCATED, elementStartOffset, "stream ended inside an array element");
                break;

            default:
                if (!bare)
                {
                    error(ErrorKind.TRUNCATED, bytesFed, "stream ended before the closing ']' of the array");
                }
                break;
        }
        state = FAILED;
        spill.clear();
        carrying = false;
        skipping = false;
    }

    @Override
    public void reset()
    {
        super.reset();
        spill.trim();
        state = BEFORE_ARRAY;
        bomMatched = 0;
        bare = false;
        elementStartOffset = 0;
        scanner.reset();
        skipping = false;
        carrying = false;
    }

    /** @return bytes held by this framer's reusable buffer now: bounded by the {@link FramingLimits}, for monitoring. */
    public int retainedBytes()
    {
        return spill.buffer().capacity();
    }

    private static boolean isScalarByte(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
            b == '-' || b == '+' || b == '.';
    }
}
