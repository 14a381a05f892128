package io.streamfold.parser.jsonarray;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.internal.AbstractFramer;
import io.streamfold.parser.internal.Bytes;
import io.streamfold.parser.internal.SpillBuffer;

/**
 * Frames one top-level JSON array that arrives over time, as Google Gemini's
 * {@code streamGenerateContent} sends it without {@code alt=sse}: {@code [{...}\r\n,\r\n{...}\r\n]}.
 * Each element is delivered as one {@link Frame} as soon as it is complete; the payload is the element's
 * exact bytes, the type is empty, there is no id, and {@link Frame#streamOffset()} is the stream offset of
 * the element's first byte.
 *
 * <p>When an element is complete:
 * <ul>
 *   <li>an object or array at its closing bracket; a string at its closing quote;</li>
 *   <li>any other scalar (number, {@code true}, {@code false}, {@code null}: a run of letters, digits,
 *       {@code + - .}) at the first byte after it, which is then read as the byte following the element.
 *       A scalar still open when the stream ends is not delivered.</li>
 * </ul>
 * The scan knows strings and escapes, so quotes and brackets inside strings never confuse it, whatever the
 * slicing: the same elements come out for any split of the same bytes. A UTF-8 byte order mark at the very
 * start and JSON whitespace (space, tab, CR, LF) around elements are accepted. The framer only tracks
 * bracket depth with a counter: it does not check that brackets match or that scalars are valid JSON; the
 * dialect's JSON parser reads each element and does that.
 *
 * <p>Errors, reported to {@link FrameListener#onError(StreamError)}:
 * <ul>
 *   <li>{@link ErrorKind#MALFORMED_FRAMING}, at the offending byte: the first non-whitespace byte is not
 *       {@code [}, a byte between elements is not {@code ,} or {@code ]}, an element cannot start where one
 *       must (e.g. {@code [,} or a trailing {@code ,]}), or non-whitespace follows the closing {@code ]}.
 *       Framing cannot be trusted after that, so the framer stops: it ignores the rest of the stream until
 *       {@link #reset()}. Elements delivered before stay delivered.</li>
 *   <li>{@link ErrorKind#NESTING_TOO_DEEP}, at the element's start: an element nests deeper than
 *       {@link FramingLimits#maxNestingDepth()} (the element's own outer bracket is depth 1; the enclosing
 *       array is not counted); it is skipped and framing goes on after it.</li>
 *   <li>{@link ErrorKind#FRAME_TOO_LARGE}, at the element's start: an element grows past
 *       {@link FramingLimits#maxFrameBytes()}; it is skipped and framing goes on after it.</li>
 *   <li>{@link ErrorKind#TRUNCATED}, at the open element's start or else at the end of the stream:
 *       {@link #end()} came before the closing {@code ]}.</li>
 * </ul>
 *
 * <p>An element inside one fed slice is a view onto the caller's bytes; an element spanning slices is
 * copied into one reusable buffer of at most {@code maxFrameBytes}.
 */
public final class JsonArrayFramer extends AbstractFramer
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

    private long elementStartOffset;
    /** Bracket depth of the open element; a long so that no input can wrap it. */
    private long depth;
    private boolean inString;
    private boolean escaped;
    /** The open element broke a limit: scan to its end without copying or delivering it. */
    private boolean skipping;
    /** Part of the open element was fed in an earlier slice and sits in the spill. */
    private boolean carrying;

    /**
     * Creates a framer with the default limits.
     *
     * @param listener receives the elements and errors.
     */
    public JsonArrayFramer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives the elements and errors.
     * @param limits   {@link FramingLimits#maxFrameBytes()} and {@link FramingLimits#maxNestingDepth()} apply.
     */
    public JsonArrayFramer(final FrameListener listener, final FramingLimits limits)
    {
        super(listener, limits);
        maxFrameBytes = limits.maxFrameBytes();
        maxNestingDepth = limits.maxNestingDepth();
        spill = new SpillBuffer(maxFrameBytes);
    }

    /**
     * Continues a stream that another framer began reading, so that offsets and indexes stay those of the
     * whole stream: the next byte fed is taken to be at stream offset {@code streamOffset} and the next
     * element delivered gets index {@code frameIndex}. Call it right after construction or {@link #reset()},
     * before the first byte is fed; a later {@link #reset()} starts again from offset 0 and index 0.
     *
     * @param streamOffset stream offset of the next byte fed; the byte order mark is then not looked for.
     * @param frameIndex   index of the next element delivered (frames the other framer delivered).
     * @throws IllegalStateException if the array has already begun (its {@code [} or a byte order mark was fed).
     */
    public void continueAt(final long streamOffset, final long frameIndex)
    {
        if (state != BEFORE_ARRAY || bomMatched != 0 || ended)
        {
            throw new IllegalStateException("continueAt must come before the first byte");
        }
        bytesFed = streamOffset;
        framesDelivered = frameIndex;
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
            if (state == BEFORE_ARRAY && bomMatched > 0 && bomMatched < 3)
            {
                malformed(streamOffset, "incomplete byte order mark");
            }
            return i + 1;
        }

        switch (state)
        {
            case BEFORE_ARRAY:
                if (bomMatched < 3 && streamOffset == bomMatched && b == bomByte(bomMatched))
                {
                    bomMatched++;
                }
                else if (b == '[' && (bomMatched == 0 || bomMatched == 3))
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
        inString = false;
        escaped = false;
        depth = 0;
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
     * Scans an object, array or string element from {@code i}. Byte at a time with three flags: the
     * element ends when a byte brings depth back to zero outside a string.
     *
     * @return index after the last byte consumed.
     */
    private int scanStructure(final DirectBuffer buffer, final int from, final int end, final long base, final int sliceStart)
    {
        // Bytes of the element may not reach limitIndex: at that index it is already too large.
        final long limitIndex = skipping ? Long.MAX_VALUE : elementStartOffset + maxFrameBytes - base;
        final int scanEnd = limitIndex < end ? (int)limitIndex : end;
        long depth = this.depth;
        boolean inString = this.inString;
        boolean escaped = this.escaped;
        boolean complete = false;
        int i = from;
        while (i < scanEnd)
        {
            final byte b = buffer.getByte(i++);
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        complete = true;
                        break;
                    }
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b == '{' || b == '[')
            {
                if (++depth > maxNestingDepth && !skipping)
                {
                    startSkipping(ErrorKind.NESTING_TOO_DEEP, "array element nested deeper than " + maxNestingDepth);
                }
            }
            else if (b == '}' || b == ']')
            {
                if (--depth <= 0)
                {
                    complete = true;
                    break;
                }
            }
        }
        this.depth = depth;
        this.inString = inString;
        this.escaped = escaped;

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
                error(ErrorKind.TRUNCATED, bytesFed, "stream ended before the closing ']' of the array");
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
        elementStartOffset = 0;
        depth = 0;
        inString = false;
        escaped = false;
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

    private static byte bomByte(final int index)
    {
        return index == 0 ? (byte)0xEF : index == 1 ? (byte)0xBB : (byte)0xBF;
    }
}
