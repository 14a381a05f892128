package io.streamfold.parser.ndjson;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.internal.AbstractFramer;
import io.streamfold.parser.internal.Bom;
import io.streamfold.parser.internal.DataLineHint;
import io.streamfold.parser.internal.LineScanner;
import io.streamfold.parser.internal.SpillBuffer;

/**
 * Frames newline-delimited JSON (NDJSON, JSON Lines), as Ollama streams it: one JSON value per line.
 * Each non-blank line is delivered as one {@link Frame}: the payload is the line with surrounding spaces
 * and tabs trimmed, the type is empty, there is no id, and {@link Frame#streamOffset()} is the stream
 * offset of the line's first byte.
 *
 * <ul>
 *   <li>LF, CRLF and a lone CR all end a line; a CR at the end of one fed slice followed by an LF at the
 *       start of the next ends one line, not two.</li>
 *   <li>Blank and whitespace-only lines are skipped and do not count as frames.</li>
 *   <li>A UTF-8 byte order mark at the very start of the stream is dropped.</li>
 *   <li>A last line without a terminator is still delivered when {@link #end()} is called.</li>
 *   <li>A line longer than {@link FramingLimits#maxLineBytes()} (terminator excluded, measured before
 *       trimming) is reported once as {@link ErrorKind#LINE_TOO_LONG} with the line's start offset; the
 *       rest of it is skipped and framing goes on with the next line.</li>
 * </ul>
 *
 * <p>The framer does not validate JSON: the dialect's JSON parser does that, so framing stays a plain
 * byte scan. A line inside one fed slice is a view onto the caller's bytes; a line spanning slices is
 * copied into one reusable buffer of at most {@code maxLineBytes}.
 */
public final class NdjsonFramer extends AbstractFramer
{
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final SpillBuffer spill;
    private final int maxLineBytes;
    /** Asked where a line ends before it is scanned, and offered its frame first, or null. */
    private final DataLineHint hint;

    /** A CR ended the previous slice: an LF opening the next slice belongs to that terminator. */
    private boolean afterCr;
    /** The current line has passed the limit and is being skipped up to its terminator. */
    private boolean skipping;
    /** Part of the current line was fed in an earlier slice (it is in the spill, or being skipped). */
    private boolean carrying;
    private long lineStartOffset;

    /**
     * Creates a framer with the default limits.
     *
     * @param listener receives the lines and errors.
     */
    public NdjsonFramer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives the lines and errors.
     * @param limits   {@link FramingLimits#maxLineBytes()} applies.
     */
    public NdjsonFramer(final FrameListener listener, final FramingLimits limits)
    {
        super(listener, limits);
        maxLineBytes = limits.maxLineBytes();
        spill = new SpillBuffer(maxLineBytes);
        hint = listener instanceof DataLineHint ? (DataLineHint)listener : null;
    }

    @Override
    protected void onBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final long base = bytesFed - offset;
        int i = offset;
        if (afterCr)
        {
            afterCr = false;
            if (buffer.getByte(i) == LF)
            {
                i++;
            }
        }

        int lineStart = i;
        while (i < end)
        {
            if (skipping)
            {
                i = skipToTerminator(buffer, i, end);
                if (i == end)
                {
                    break;
                }
                skipping = false;
                carrying = false;
                i = afterTerminator(buffer, i, end);
                lineStart = i;
                continue;
            }

            if (!carrying)
            {
                lineStartOffset = base + lineStart;
            }
            // The byte at limitIndex lies just past the longest allowed line: it must be a terminator.
            final long limitIndex = lineStartOffset + maxLineBytes - base;
            final boolean limitInSlice = limitIndex < end;
            final int scanEnd = limitInSlice ? (int)limitIndex + 1 : end;
            if (hint != null && !carrying && lineStartOffset > 0)
            {
                final int hinted = hintedLine(buffer, lineStart, scanEnd);
                if (hinted >= 0)
                {
                    i = afterTerminator(buffer, hinted, end);
                    lineStart = i;
                    continue;
                }
            }
            i = skipToTerminator(buffer, i, scanEnd);

            if (i < scanEnd)
            {
                if (carrying)
                {
                    spill.append(buffer, lineStart, i - lineStart);
                    deliver(spill.buffer(), 0, spill.length(), lineStartOffset);
                    spill.clear();
                }
                else
                {
                    deliver(buffer, lineStart, i - lineStart, lineStartOffset);
                }
                carrying = false;
                i = afterTerminator(buffer, i, end);
                lineStart = i;
            }
            else if (limitInSlice)
            {
                skipping = true;
                carrying = true;
                spill.clear();
                error(ErrorKind.LINE_TOO_LONG, lineStartOffset,
                    "NDJSON line longer than " + maxLineBytes + " bytes; skipped");
            }
            else if (i > lineStart)
            {
                // Bounded: the limit check above keeps the carried line within maxLineBytes.
                spill.append(buffer, lineStart, i - lineStart);
                carrying = true;
            }
        }
    }

    /**
     * Asks the {@link #hint} where the line at {@code lineStart} ends; where its answer is a terminator (it promises
     * none lies before), delivers the line's frame, offered to the hint first. Not for the stream's first line, whose
     * byte order mark {@link #deliver} drops: the hint answers for a line that starts with its value, and no blank
     * byte is trimmed from a line it ends at a terminator (its value ends with its last byte, as learnt).
     *
     * @param to the end of the slice, or the byte past the longest line allowed.
     * @return the terminator's index, or -1 when the line is scanned as usual.
     */
    private int hintedLine(final DirectBuffer buffer, final int lineStart, final int to)
    {
        final int hinted = hint.valueLineEnd(buffer, lineStart, to, lineStartOffset);
        if (hinted <= lineStart || hinted >= to)
        {
            return -1;
        }
        final byte b = buffer.getByte(hinted);
        if (b != LF && b != CR || isBlank(buffer.getByte(lineStart)) || isBlank(buffer.getByte(hinted - 1)))
        {
            return -1;
        }
        fill(buffer, lineStart, hinted - lineStart, lineStartOffset);
        if (!hint.onHintedFrame(frame))
        {
            listener.onFrame(frame);
        }
        framesDelivered++;
        return hinted;
    }

    /** @return index of the first LF or CR in [from, end), or end. */
    private static int skipToTerminator(final DirectBuffer buffer, final int from, final int end)
    {
        final int found = LineScanner.findLineEnd(buffer, from, end);
        return found < 0 ? end : found;
    }

    /** Consumes the terminator at {@code i}: LF, CR or CRLF, remembering a CR that ends the slice. */
    private int afterTerminator(final DirectBuffer buffer, final int i, final int end)
    {
        if (buffer.getByte(i) == CR)
        {
            if (i + 1 == end)
            {
                afterCr = true;
                return end;
            }
            if (buffer.getByte(i + 1) == LF)
            {
                return i + 2;
            }
        }
        return i + 1;
    }

    @Override
    protected void onEnd()
    {
        if (carrying && !skipping)
        {
            deliver(spill.buffer(), 0, spill.length(), lineStartOffset);
        }
        spill.clear();
        carrying = false;
        skipping = false;
        afterCr = false;
    }

    @Override
    public void reset()
    {
        super.reset();
        spill.trim();
        carrying = false;
        skipping = false;
        afterCr = false;
        lineStartOffset = 0;
    }

    /** @return bytes held by this framer's reusable buffer now: bounded by the {@link FramingLimits}, for monitoring. */
    public int retainedBytes()
    {
        return spill.buffer().capacity();
    }

    private void deliver(final DirectBuffer buffer, final int offset, final int length, final long streamOffset)
    {
        int start = offset;
        int end = offset + length;
        if (streamOffset == 0 && Bom.startsWith(buffer, start, length))
        {
            start += Bom.LENGTH;
        }
        while (start < end && isBlank(buffer.getByte(start)))
        {
            start++;
        }
        while (end > start && isBlank(buffer.getByte(end - 1)))
        {
            end--;
        }
        if (start == end)
        {
            return;
        }
        fill(buffer, start, end - start, streamOffset);
        listener.onFrame(frame);
        framesDelivered++;
    }

    /** The frame of a line's trimmed value: no type, no id. */
    private void fill(final DirectBuffer buffer, final int start, final int length, final long streamOffset)
    {
        FRAMES.payload(frame, buffer, start, length);
        FRAMES.type(frame, buffer, start, 0);
        FRAMES.id(frame, buffer, start, 0, false);
        FRAMES.position(frame, framesDelivered, streamOffset);
    }

    private static boolean isBlank(final byte b)
    {
        return b == ' ' || b == '\t';
    }
}
