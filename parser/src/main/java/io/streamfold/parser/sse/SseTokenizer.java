package io.streamfold.parser.sse;

import org.agrona.DirectBuffer;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.internal.AbstractFramer;
import io.streamfold.parser.internal.Bom;
import io.streamfold.parser.internal.Bytes;
import io.streamfold.parser.internal.DataLineHint;
import io.streamfold.parser.internal.LineScanner;
import io.streamfold.parser.internal.SpillBuffer;

/**
 * Server-Sent Events framing as WHATWG HTML §9.2.5–9.2.6 "interpreting an event stream" defines it,
 * pushed: each event reaches {@link FrameListener#onFrame(Frame)} while the blank line that ends it is
 * being scanned.
 *
 * <p>A {@link Frame} carries the event's data (lines joined with LF, no trailing LF) as its payload, the
 * {@code event} field as its type (length 0, read as {@code "message"}, when none or empty), and the
 * last event ID string at dispatch as its id ({@link Frame#hasId()} is false until an {@code id} field
 * is accepted). {@link Frame#streamOffset()} is the offset of the first line of the event's block.
 *
 * <p>Rules followed: LF, CR and CRLF line ends, also with CR and LF in different slices; a CR as the last
 * byte is a complete line end; one leading UTF-8 BOM is dropped at stream offset 0 only, even when split
 * across slices; one optional space after the colon; a line with no colon is a field name with an empty
 * value; an {@code id} containing NUL is ignored; the id buffer is copied to the last event ID string at
 * every blank line; {@code retry} only when all ASCII digits and not empty; at {@link #end()} an
 * unterminated event is not dispatched and an incomplete last line is dropped. Field names are compared
 * byte for byte, which is the spec's comparison since invalid UTF-8 cannot decode to an ASCII name.
 *
 * <p>Zero-copy: an event that lies inside one fed slice is handed over as views of the caller's bytes.
 * Only what spans slices, and events of several data lines, are copied into reusable buffers bounded by
 * the {@link FramingLimits}: a line longer than {@code maxLineBytes} (comments included) reports
 * {@link ErrorKind#LINE_TOO_LONG}, an event whose data and type exceed {@code maxFrameBytes} reports
 * {@link ErrorKind#FRAME_TOO_LARGE}; either way the rest of that event is skipped up to its blank line and
 * the next event is read normally. An event cut off by {@link #end()} reports {@link ErrorKind#TRUNCATED}.
 *
 * <p>If the listener is an {@link SseListener} it also receives comments and {@code retry} updates. If it is a
 * {@link DataLineHint} (internal: a decoder whose fast path finds where a repeated payload ends while matching it),
 * it is asked for a line's end before the line is scanned; its answer is taken only where a CR or LF lies.
 */
public final class SseTokenizer extends AbstractFramer
{
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final byte COLON = ':';

    /** No partial line is carried from the previous slice. */
    private static final int CARRY_NONE = 0;
    /** The partial line is copied into {@link #lineSpill}. */
    private static final int CARRY_BUFFER = 1;
    /** The partial line is a comment nobody listens to: only its length is counted. */
    private static final int CARRY_COUNT = 2;
    /** The partial line is ignored until its end: too long, or its event is being skipped. */
    private static final int CARRY_DISCARD = 3;

    /** Longest event line remembered for {@link #repeatedEventLineEnd}: event names are short. */
    private static final int EVENT_LINE_MEMORY = 64;
    /** "even" read as a little-endian int, then "t:" as a little-endian short. */
    private static final int EVEN_INT = 'e' | 'v' << 8 | 'e' << 16 | 'n' << 24;
    private static final short T_COLON_SHORT = 't' | ':' << 8;

    private final SseListener sseListener;
    /** Asked where a data line ends before the line is scanned, or null. */
    private final DataLineHint hint;
    private final SseThenJsonFramer jsonAfterSse;
    private final int maxLineBytes;
    private final int maxFrameBytes;

    private final SpillBuffer lineSpill;
    /** Fields and the event they make; this class reads lines and reports errors. */
    private final SseEventBuilder event;

    private int bomMatched;
    private boolean bomDone;
    private boolean pendingCr;

    private int carryMode = CARRY_NONE;
    private long carryStart;
    private long carryLength;

    /**
     * The last {@code event:} line read whole inside a slice (no line end), so that the same line again (Anthropic
     * names every event, nearly always with the name of the one before) is known by one comparison instead of a
     * line-end search and a field parse. 0 length: none.
     */
    private final byte[] eventLine = new byte[EVENT_LINE_MEMORY];
    private int eventLineLength;
    /** Where the value starts in {@link #eventLine}: after the colon and its one optional space. */
    private int eventValueStart;

    /**
     * The fed slice's heap array and index adjustment while {@link #onBytes} runs, or null (off-heap, or between
     * feeds, so the caller's array is not kept): the buffer's own reads check bounds on every byte, a cost that adds up
     * to a tenth of the framing of short events, where the array's reads are checked by the JVM almost for free.
     */
    private byte[] sliceArray;
    private int sliceAdjustment;

    /**
     * Tokenizer with the default {@link FramingLimits}.
     *
     * @param listener receives events, errors and, if it is an {@link SseListener}, comments and retries.
     */
    public SseTokenizer(final FrameListener listener)
    {
        this(listener, FramingLimits.DEFAULT);
    }

    /**
     * @param listener receives events, errors and, if it is an {@link SseListener}, comments and retries.
     * @param limits   bounds on line and event size, and so on memory.
     */
    public SseTokenizer(final FrameListener listener, final FramingLimits limits)
    {
        this(listener, limits, null);
    }

    /**
     * @param jsonAfterSse when not null, a line starting with <code>{</code> hands the rest of the stream to it.
     */
    SseTokenizer(final FrameListener listener, final FramingLimits limits, final SseThenJsonFramer jsonAfterSse)
    {
        super(listener, limits);
        this.jsonAfterSse = jsonAfterSse;
        this.sseListener = listener instanceof SseListener ? (SseListener)listener : null;
        this.hint = listener instanceof DataLineHint ? (DataLineHint)listener : null;
        this.maxLineBytes = limits.maxLineBytes();
        this.maxFrameBytes = limits.maxFrameBytes();
        this.lineSpill = new SpillBuffer(maxLineBytes);
        this.event = new SseEventBuilder(sseListener, maxLineBytes, maxFrameBytes);
    }

    /**
     * The event source's last event ID string: the id buffer as copied at the most recent blank line.
     *
     * @return the id decoded as UTF-8 (allocates), or null when no {@code id} field was ever accepted.
     */
    public String lastEventId()
    {
        return event.lastEventId();
    }

    /** @return the reconnection time in milliseconds from the last valid {@code retry} field, or -1 if none. */
    public long reconnectionTime()
    {
        return event.reconnectionTime();
    }

    /** {@inheritDoc} Also forgets the last event id and reconnection time and releases large buffers. */
    @Override
    public void reset()
    {
        super.reset();
        lineSpill.trim();
        event.reset();
        bomMatched = 0;
        bomDone = false;
        pendingCr = false;
        carryMode = CARRY_NONE;
        carryStart = 0;
        carryLength = 0;
        eventLineLength = 0;
    }

    /** @return bytes held by the reusable buffers now: bounded by the {@link FramingLimits}, for monitoring. */
    public long retainedBytes()
    {
        return lineSpill.capacity() + event.retainedBytes();
    }

    @Override
    protected void onBytes(final DirectBuffer buffer, final int offset, final int length)
    {
        sliceArray = buffer.byteArray();
        sliceAdjustment = buffer.wrapAdjustment();
        try
        {
            readSlice(buffer, offset, length);
        }
        finally
        {
            sliceArray = null;
        }
    }

    private void readSlice(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final long base = bytesFed - offset;
        int pos = offset;

        if (!bomDone)
        {
            pos = skipBom(buffer, pos, end);
            if (pos == end)
            {
                return;
            }
        }

        if (pendingCr)
        {
            pendingCr = false;
            if (byteAt(buffer, pos) == LF)
            {
                if (++pos == end)
                {
                    return;
                }
            }
        }

        if (carryMode != CARRY_NONE)
        {
            final int lineEnd = LineScanner.findLineEnd(buffer, pos, end);
            if (lineEnd < 0)
            {
                carry(buffer, pos, end - pos);
                pos = end;
            }
            else
            {
                carry(buffer, pos, lineEnd - pos);
                endCarriedLine();
                pos = afterLineEnd(buffer, lineEnd, end);
            }
        }

        while (pos < end)
        {
            final byte first = byteAt(buffer, pos);
            if (first == LF || first == CR)
            {
                // A blank line (every event ends in one): no search for its end, which is this byte.
                dispatch();
                pos = afterLineEnd(buffer, pos, end);
                continue;
            }
            if (jsonAfterSse != null && first == '{')
            {
                // Not an SSE field line: bare JSON from here on. An event still waiting for its blank line is
                // dispatched first, as a line reader would have.
                dispatch();
                jsonAfterSse.startJson(buffer, pos, end - pos, base + pos, framesDelivered);
                return;
            }
            if (first == 'e' && eventLineLength > 0)
            {
                final int repeatedEnd = repeatedEventLineEnd(buffer, pos, end);
                if (repeatedEnd >= 0)
                {
                    // The same bytes as an event line already read, so the same field: its value, viewed here.
                    if (!event.skipping() && !event.repeatedEventType(
                        buffer, pos + eventValueStart, repeatedEnd - pos - eventValueStart, base + pos))
                    {
                        frameTooLarge();
                    }
                    pos = afterLineEnd(buffer, repeatedEnd, end);
                    continue;
                }
            }
            // Only a data line can be hinted: other lines (Anthropic's event line before every data line) spare the call.
            int lineEnd = hint != null && first == 'd' ? hintedLineEnd(buffer, pos, end, base + pos) : -1;
            if (lineEnd >= 0)
            {
                final int eventEnd = hintedEventEnd(buffer, pos, lineEnd, end, base + pos);
                if (eventEnd >= 0)
                {
                    pos = eventEnd;
                    continue;
                }
            }
            else
            {
                lineEnd = LineScanner.findLineEnd(buffer, pos, end);
            }
            if (lineEnd < 0)
            {
                startCarry(buffer, pos, end - pos, base + pos);
                break;
            }
            line(buffer, pos, lineEnd - pos, base + pos, false);
            if (first == 'e')
            {
                rememberEventLine(buffer, pos, lineEnd - pos);
            }
            final int next = lineEnd + 1;
            if (next < end && byteAt(buffer, lineEnd) == LF && byteAt(buffer, next) == LF)
            {
                // "\n\n": the event's last line and its blank line, dispatched without another turn of the loop.
                dispatch();
                pos = next + 1;
            }
            else
            {
                pos = afterLineEnd(buffer, lineEnd, end);
            }
        }

        event.keepPastSlice();
    }

    @Override
    protected void onEnd()
    {
        // An incomplete last line is dropped and an event without its blank line is not dispatched. A
        // skipped event has had its error already.
        if (!event.skipping())
        {
            final boolean partialLine = carryMode != CARRY_NONE || !bomDone && bomMatched > 0;
            if (partialLine || event.hasData())
            {
                final long lineStart = carryMode != CARRY_NONE ? carryStart : 0;
                final long eventStart = event.eventStart();
                error(ErrorKind.TRUNCATED, eventStart >= 0 ? eventStart : lineStart, partialLine ?
                    "SSE stream ended inside a line; the unterminated line and event were dropped" :
                    "SSE stream ended before the blank line ending an event; the event was not dispatched");
            }
        }
        carryMode = CARRY_NONE;
        lineSpill.clear();
        event.clear();
    }

    /**
     * Takes the stream as ending with a line end and a blank line: an incomplete last line is read as
     * complete and an event still waiting for its blank line is dispatched. Call before {@link #end()}.
     */
    void dispatchUnterminated()
    {
        if (ended)
        {
            return;
        }
        // A partial byte order mark alone would make a line of an unknown field, which changes nothing.
        bomDone = true;
        pendingCr = false;
        if (carryMode != CARRY_NONE)
        {
            endCarriedLine();
        }
        dispatch();
    }

    private int skipBom(final DirectBuffer buffer, final int offset, final int end)
    {
        int pos = offset;
        while (pos < end)
        {
            if (byteAt(buffer, pos) != Bom.byteAt(bomMatched))
            {
                bomDone = true;
                if (bomMatched > 0)
                {
                    // A partial BOM followed by something else is ordinary content of the first line.
                    lineSpill.clear();
                    for (int i = 0; i < bomMatched; i++)
                    {
                        lineSpill.append(Bom.byteAt(i));
                    }
                    carryMode = CARRY_BUFFER;
                    carryStart = 0;
                    carryLength = bomMatched;
                }
                return pos;
            }
            pos++;
            if (++bomMatched == Bom.LENGTH)
            {
                bomDone = true;
                return pos;
            }
        }
        return pos;
    }

    /**
     * The line end as {@link LineScanner#findLineEnd} would find it, when the {@link #hint} knows it: its answer is
     * taken when a CR or LF is there (the hint promises none lies before, so that is the first).
     *
     * @return the line end, or -1 when the hint does not know it (the caller scans).
     */
    private int hintedLineEnd(final DirectBuffer buffer, final int pos, final int end, final long lineOffset)
    {
        final int hinted = hint.lineEnd(buffer, pos, end, lineOffset);
        if (hinted > pos && hinted < end)
        {
            final byte b = byteAt(buffer, hinted);
            if (b == LF || b == CR)
            {
                return hinted;
            }
        }
        return -1;
    }

    /**
     * When the data line the {@link #hint} has just ended at {@code hinted} is the whole event's data (the blank line
     * right after it, no data line before, nothing skipped, within the limits), offers the hint the event's frame,
     * which spares reading the line as a field and the listener's own look at the payload
     * ({@link DataLineHint#onHintedFrame}).
     *
     * @return the index after the event's blank line when the hint took the event, else -1 (the line is read as usual).
     */
    private int hintedEventEnd(final DirectBuffer buffer, final int pos, final int hinted, final int end, final long lineOffset)
    {
        final byte[] array = sliceArray;
        if (array == null || hinted - pos > maxLineBytes)
        {
            return -1;
        }
        // The line end and the blank line, both LF or both CRLF (Gemini's), whole in the slice; other endings are read
        // line by line.
        final int eventEnd;
        if (byteAt(buffer, hinted) == LF)
        {
            eventEnd = hinted + 2;
            if (eventEnd > end || byteAt(buffer, hinted + 1) != LF)
            {
                return -1;
            }
        }
        else
        {
            eventEnd = hinted + 4;
            if (eventEnd > end || byteAt(buffer, hinted + 1) != LF || byteAt(buffer, hinted + 2) != CR ||
                byteAt(buffer, hinted + 3) != LF)
            {
                return -1;
            }
        }
        final int value = DataLineHint.dataValue(array, sliceAdjustment + pos, sliceAdjustment + hinted) - sliceAdjustment;
        final Frame frame = this.frame;
        if (value >= pos && event.fillWhole(frame, framesDelivered, buffer, value, hinted - value, lineOffset) &&
            hint.onHintedFrame(frame))
        {
            framesDelivered++;
            event.clear();
            return eventEnd;
        }
        return -1;
    }

    /**
     * @return the end of the line at {@code pos} when its bytes are those of {@link #eventLine} followed by CR or LF
     *         inside the slice, else -1.
     */
    private int repeatedEventLineEnd(final DirectBuffer buffer, final int pos, final int end)
    {
        final int length = eventLineLength;
        final int lineEnd = pos + length;
        if (lineEnd >= end)
        {
            return -1;
        }
        final byte after = byteAt(buffer, lineEnd);
        if (after != LF && after != CR)
        {
            return -1;
        }
        final byte[] array = sliceArray;
        if (array != null)
        {
            // Its line end lies in the slice, so every word of the line lies in the array; a line shorter than a
            // word ("event:" alone) is compared by Arrays.equals.
            final int from = sliceAdjustment + pos;
            final boolean same = length >= 8 ? Bytes.sameWords(array, from, eventLine, 0, length) :
                java.util.Arrays.equals(array, from, from + length, eventLine, 0, length);
            return same ? lineEnd : -1;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(pos + i) != eventLine[i])
            {
                return -1;
            }
        }
        return lineEnd;
    }

    /** Keeps a short {@code event:} line read whole in a slice for {@link #repeatedEventLineEnd}; forgets others. */
    private void rememberEventLine(final DirectBuffer buffer, final int pos, final int length)
    {
        // Only a line the builder read as an event field (not too long, so within maxLineBytes) is kept.
        if (length < 6 || length > EVENT_LINE_MEMORY || length > maxLineBytes ||
            buffer.getInt(pos, java.nio.ByteOrder.LITTLE_ENDIAN) != EVEN_INT ||
            buffer.getShort(pos + 4, java.nio.ByteOrder.LITTLE_ENDIAN) != T_COLON_SHORT)
        {
            eventLineLength = 0;
            return;
        }
        buffer.getBytes(pos, eventLine, 0, length);
        eventValueStart = length > 6 && eventLine[6] == ' ' ? 7 : 6;
        eventLineLength = length;
    }

    /** @return the byte at {@code index} of the fed slice {@code buffer}, read in its array when it has one. */
    private byte byteAt(final DirectBuffer buffer, final int index)
    {
        final byte[] array = sliceArray;
        return array != null ? array[sliceAdjustment + index] : buffer.getByte(index);
    }

    private int afterLineEnd(final DirectBuffer buffer, final int lineEnd, final int end)
    {
        if (byteAt(buffer, lineEnd) == CR)
        {
            final int next = lineEnd + 1;
            if (next == end)
            {
                pendingCr = true;
                return next;
            }
            return byteAt(buffer, next) == LF ? next + 1 : next;
        }
        return lineEnd + 1;
    }

    /** Begins carrying the unterminated tail of a slice. */
    private void startCarry(final DirectBuffer buffer, final int offset, final int length, final long streamOffset)
    {
        carryStart = streamOffset;
        carryLength = 0;
        if (event.skipping())
        {
            carryMode = CARRY_DISCARD;
        }
        else if (sseListener == null && byteAt(buffer, offset) == COLON)
        {
            carryMode = CARRY_COUNT;
        }
        else
        {
            // The event may view a line carried before (SseEventBuilder.data): it takes its own copy before the line
            // buffer is reused (as it would at the slice's end, which this carry reaches anyway).
            event.keepPastSlice();
            lineSpill.clear();
            carryMode = CARRY_BUFFER;
        }
        carry(buffer, offset, length);
    }

    /** Adds the next piece of a line that spans slices. */
    private void carry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (carryMode == CARRY_DISCARD)
        {
            return;
        }
        carryLength += length;
        if (carryLength > maxLineBytes)
        {
            lineTooLong(carryStart, carryLength);
            lineSpill.clear();
            carryMode = CARRY_DISCARD;
        }
        else if (carryMode == CARRY_BUFFER)
        {
            lineSpill.append(buffer, offset, length);
        }
    }

    private void endCarriedLine()
    {
        final int mode = carryMode;
        carryMode = CARRY_NONE;
        if (mode == CARRY_BUFFER)
        {
            line(lineSpill.buffer(), 0, lineSpill.length(), carryStart, true);
        }
        else if (mode == CARRY_COUNT)
        {
            // An unheard comment: it only marks the start of its block.
            event.markStart(carryStart);
        }
    }

    /**
     * Handles one complete line: a blank line dispatches, any other goes to the event builder.
     *
     * @param carried true when the line lies in {@link #lineSpill}, which the next line reuses, so any
     *                value kept from it must be copied now.
     */
    private void line(
        final DirectBuffer buffer, final int offset, final int length, final long streamOffset, final boolean carried)
    {
        if (length == 0)
        {
            dispatch();
            return;
        }
        if (event.skipping())
        {
            return;
        }
        if (length > maxLineBytes)
        {
            lineTooLong(streamOffset, length);
            return;
        }
        if (!event.field(buffer, offset, length, streamOffset, carried))
        {
            frameTooLarge();
        }
    }

    private void dispatch()
    {
        final Frame frame = this.frame;
        if (event.fill(frame, framesDelivered))
        {
            listener.onFrame(frame);
            framesDelivered++;
        }
        event.clear();
    }

    private void lineTooLong(final long lineStart, final long length)
    {
        error(ErrorKind.LINE_TOO_LONG, lineStart,
            "SSE line of more than " + maxLineBytes + " bytes (maxLineBytes); event skipped");
        event.skip();
    }

    private void frameTooLarge()
    {
        error(ErrorKind.FRAME_TOO_LARGE, event.eventStart(),
            "SSE event data and type exceed " + maxFrameBytes + " bytes (maxFrameBytes); event skipped");
        event.skip();
    }
}
