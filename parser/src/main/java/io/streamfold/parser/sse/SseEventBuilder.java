package io.streamfold.parser.sse;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

import io.streamfold.parser.Frame;
import io.streamfold.parser.internal.Buffers;
import io.streamfold.parser.internal.Bytes;
import io.streamfold.parser.internal.DataLineHint;
import io.streamfold.parser.internal.FrameAccess;
import io.streamfold.parser.internal.SpillBuffer;
import io.streamfold.parser.internal.Utf8;

/**
 * The event half of {@link SseTokenizer}: interprets complete non-blank lines as WHATWG fields ({@code data},
 * {@code event}, {@code id}, {@code retry}, comments) and assembles the event they make, which the tokenizer
 * dispatches at a blank line. One per tokenizer, reused for every event.
 *
 * <p>Values that lie inside the fed slice are kept as views of it; {@link #keepPastSlice()} copies what the
 * open event still needs before the slice goes away. Errors are the tokenizer's to report: {@link #field}
 * says when the event would exceed {@code maxFrameBytes}, and the tokenizer then calls {@link #skip()}.
 */
final class SseEventBuilder
{
    private static final byte LF = '\n';
    private static final byte COLON = ':';
    private static final byte SPACE = ' ';

    /** "data" read as a little-endian int, as the data-line hint reads it. */
    private static final int DATA_INT = DataLineHint.DATA_INT;
    /** "even" read as a little-endian int, then "t:" as a little-endian short. */
    private static final int EVEN_INT = 'e' | 'v' << 8 | 'e' << 16 | 'n' << 24;
    private static final short T_COLON_SHORT = 't' | ':' << 8;

    private static final DirectBuffer EMPTY = Buffers.wrap(new byte[0]);
    private static final FrameAccess FRAMES = FrameAccess.get();

    private final SseListener sseListener;
    private final int maxFrameBytes;

    private final SpillBuffer dataSpill;
    private final SpillBuffer typeSpill;
    private final SpillBuffer idBuffer;
    private final SpillBuffer lastEventId;

    private long eventStart = -1;
    private boolean skipping;
    private boolean dataSeen;
    private boolean dataOwned;
    /**
     * The buffers the data and type lie in while not owned: left set after an event (the next one is nearly always in
     * the same buffer, and storing a reference costs a write barrier), read only while the data or type is there.
     */
    private DirectBuffer dataBuffer;
    private int dataOffset;
    private int dataLength;
    private boolean typeOwned;
    private DirectBuffer typeBuffer;
    private int typeOffset;
    private int typeLength;

    private boolean hasIdBuffer;
    private boolean idDirty;
    private boolean hasLastEventId;
    private long reconnectionTime = -1;

    /**
     * @param sseListener   receives comments and retries, or null.
     * @param maxLineBytes  bound on one line, and so on the type and id buffers.
     * @param maxFrameBytes bound on an event's data and type together.
     */
    SseEventBuilder(final SseListener sseListener, final int maxLineBytes, final int maxFrameBytes)
    {
        this.sseListener = sseListener;
        this.maxFrameBytes = maxFrameBytes;
        this.dataSpill = new SpillBuffer(maxFrameBytes);
        this.typeSpill = new SpillBuffer(Math.min(maxLineBytes, maxFrameBytes));
        this.idBuffer = new SpillBuffer(maxLineBytes);
        this.lastEventId = new SpillBuffer(maxLineBytes);
    }

    /** @see SseTokenizer#lastEventId() */
    String lastEventId()
    {
        return hasLastEventId ? Utf8.decode(lastEventId.buffer(), 0, lastEventId.length()) : null;
    }

    /** @see SseTokenizer#reconnectionTime() */
    long reconnectionTime()
    {
        return reconnectionTime;
    }

    /** @return true while the rest of the current event is ignored up to its blank line, after an error. */
    boolean skipping()
    {
        return skipping;
    }

    /** @return true when the open event has a {@code data} field, so a blank line would dispatch it. */
    boolean hasData()
    {
        return dataSeen;
    }

    /** @return stream offset of the first line of the open event's block, or -1 before its first line. */
    long eventStart()
    {
        return eventStart;
    }

    /** Notes a line of the open event's block that is not interpreted: only its start counts. */
    void markStart(final long streamOffset)
    {
        if (eventStart < 0)
        {
            eventStart = streamOffset;
        }
    }

    /**
     * Interprets one complete, non-blank line of at most {@code maxLineBytes} while not {@link #skipping()}.
     *
     * @param carried true when the line lies in the tokenizer's line buffer, which the next carried line reuses: the
     *                type, id and retry are copied now; the data is viewed there, and copied by {@link #keepPastSlice()},
     *                which the tokenizer calls before it reuses that buffer.
     * @return false when the event's data and type would exceed {@code maxFrameBytes}: the line changed nothing.
     */
    boolean field(
        final DirectBuffer buffer, final int offset, final int length, final long streamOffset, final boolean carried)
    {
        markStart(streamOffset);

        // Nearly every line of an LLM stream is "data:…": recognised with two reads instead of a scan, in the heap
        // array where there is one (the buffer's reads check bounds on every byte). An empty value, or a slice off
        // the heap, takes the buffer's reads below.
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            final int adjustment = buffer.wrapAdjustment();
            final int lineEnd = offset + length;
            final int value = DataLineHint.dataValue(array, adjustment + offset, adjustment + lineEnd) - adjustment;
            if (value >= offset)
            {
                return data(buffer, value, lineEnd - value);
            }
        }
        if (length >= 5 && buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) == DATA_INT && buffer.getByte(offset + 4) == COLON)
        {
            final int valueOffset = length > 5 && buffer.getByte(offset + 5) == SPACE ? offset + 6 : offset + 5;
            return data(buffer, valueOffset, offset + length - valueOffset);
        }

        // Anthropic and others name every event: "event:…" gets the same two-read test.
        if (length >= 6 && buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) == EVEN_INT &&
            buffer.getShort(offset + 4, ByteOrder.LITTLE_ENDIAN) == T_COLON_SHORT)
        {
            final int valueOffset = length > 6 && buffer.getByte(offset + 6) == SPACE ? offset + 7 : offset + 6;
            return eventType(buffer, valueOffset, offset + length - valueOffset, carried);
        }

        final byte first = buffer.getByte(offset);
        if (first == COLON)
        {
            if (sseListener != null)
            {
                sseListener.onComment(buffer, offset + 1, length - 1);
            }
            return true;
        }

        final int end = offset + length;
        int colon = offset + 1;
        while (colon < end && buffer.getByte(colon) != COLON)
        {
            colon++;
        }
        final int nameLength = colon - offset;
        // No colon: the value is empty and starts at the line's end, not past it (a carried line may fill its buffer).
        int valueOffset = colon < end ? colon + 1 : end;
        if (valueOffset < end && buffer.getByte(valueOffset) == SPACE)
        {
            valueOffset++;
        }
        final int valueLength = colon < end ? end - valueOffset : 0;

        switch (nameLength)
        {
            case 4:
                if (buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) == DATA_INT)
                {
                    return data(buffer, valueOffset, valueLength);
                }
                break;

            case 5:
                if (first == 'e' && Bytes.equalsAscii(buffer, offset, 5, "event"))
                {
                    return eventType(buffer, valueOffset, valueLength, carried);
                }
                else if (first == 'r' && Bytes.equalsAscii(buffer, offset, 5, "retry"))
                {
                    retry(buffer, valueOffset, valueLength);
                }
                break;

            case 2:
                if (first == 'i' && buffer.getByte(offset + 1) == 'd')
                {
                    id(buffer, valueOffset, valueLength);
                }
                break;

            default:
                break;
        }
        return true;
    }

    /**
     * The {@code event} field of a line whose bytes repeat an event line {@link #field} read before, so its value
     * starts where it did there: the same as {@link #field} on the whole line, without parsing it again.
     *
     * @return false when the event's data and type would exceed {@code maxFrameBytes}: the line changed nothing.
     */
    boolean repeatedEventType(final DirectBuffer buffer, final int offset, final int length, final long streamOffset)
    {
        markStart(streamOffset);
        return eventType(buffer, offset, length, false);
    }

    /** Views into the caller's slice die when its feed returns: copies what the open event still needs. */
    void keepPastSlice()
    {
        if (dataSeen && !dataOwned)
        {
            dataSpill.clear();
            dataSpill.append(dataBuffer, dataOffset, dataLength);
            dataOwned = true;
        }
        if (typeLength > 0 && !typeOwned)
        {
            typeSpill.clear();
            typeSpill.append(typeBuffer, typeOffset, typeLength);
            typeOwned = true;
        }
    }

    /**
     * As {@link #field} for a data line directly followed by the blank line, then {@link #fill}, when that line is the
     * event's only data line: fills the frame the blank line would dispatch, without keeping the line as a field. The
     * caller delivers the frame, then calls {@link #clear()}; or, when the listener leaves it, reads the line as usual
     * (nothing here then changes what that reports).
     *
     * @param lineOffset stream offset of the data line.
     * @return true when the frame was filled; false when the event has data already, is skipped, or would exceed
     *         {@code maxFrameBytes} (the line is then read as usual).
     */
    boolean fillWhole(final Frame frame, final long frameIndex, final DirectBuffer buffer, final int valueOffset,
        final int valueLength, final long lineOffset)
    {
        if (dataSeen || skipping || (long)valueLength + typeLength > maxFrameBytes)
        {
            return false;
        }
        markStart(lineOffset);
        copyId();
        FRAMES.payload(frame, buffer, valueOffset, valueLength);
        fillRest(frame, frameIndex);
        return true;
    }

    /**
     * The blank line's first step: copies the id buffer to the last event ID string and, when there is an
     * event to dispatch, fills the frame with it. The caller delivers the frame, then calls {@link #clear()}.
     *
     * @return true when the frame was filled.
     */
    boolean fill(final Frame frame, final long frameIndex)
    {
        copyId();

        if (!dataSeen || skipping)
        {
            return false;
        }
        if (dataOwned)
        {
            FRAMES.payload(frame, dataSpill.buffer(), 0, dataLength);
        }
        else
        {
            FRAMES.payload(frame, dataBuffer, dataOffset, dataLength);
        }
        fillRest(frame, frameIndex);
        return true;
    }

    /** The frame's type, id and position, its payload set. */
    private void fillRest(final Frame frame, final long frameIndex)
    {
        if (typeLength == 0)
        {
            FRAMES.type(frame, EMPTY, 0, 0);
        }
        else if (typeOwned)
        {
            FRAMES.type(frame, typeSpill.buffer(), 0, typeLength);
        }
        else
        {
            FRAMES.type(frame, typeBuffer, typeOffset, typeLength);
        }
        FRAMES.id(frame, lastEventId.buffer(), 0, lastEventId.length(), hasLastEventId);
        FRAMES.position(frame, frameIndex, eventStart);
    }

    /** Forgets the open event, dispatched or not, and ends any skipping. */
    void clear()
    {
        skipping = false;
        clearEvent();
    }

    /** Drops the open event's fields and ignores its lines up to its blank line; its start is kept for errors. */
    void skip()
    {
        final long start = eventStart;
        clearEvent();
        eventStart = start;
        skipping = true;
    }

    /** The blank line's copy of the id buffer to the last event ID string, when an id field changed it. */
    private void copyId()
    {
        if (idDirty)
        {
            lastEventId.clear();
            lastEventId.append(idBuffer.buffer(), 0, idBuffer.length());
            hasLastEventId = hasIdBuffer;
            idDirty = false;
        }
    }

    /** Back to a new stream: also forgets the last event id and reconnection time and releases large buffers. */
    void reset()
    {
        dataSpill.trim();
        typeSpill.trim();
        idBuffer.trim();
        lastEventId.trim();
        clear();
        hasIdBuffer = false;
        idDirty = false;
        hasLastEventId = false;
        reconnectionTime = -1;
    }

    /** @return bytes held by the reusable buffers now. */
    long retainedBytes()
    {
        return (long)dataSpill.capacity() + typeSpill.capacity() + idBuffer.capacity() + lastEventId.capacity();
    }

    private boolean data(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!dataSeen)
        {
            if ((long)length + typeLength > maxFrameBytes)
            {
                return false;
            }
            dataSeen = true;
            dataLength = length;
            // Viewed where it lies, carried or not: a carried line lies in the tokenizer's line buffer, which the
            // tokenizer keeps until the event owns its data (keepPastSlice before it carries another line). Copied
            // here, a data line crossing a slice boundary (a page of web search results, 15-23 KB) was copied twice.
            if (dataBuffer != buffer)
            {
                dataBuffer = buffer;
            }
            dataOffset = offset;
            dataOwned = false;
            return true;
        }

        final long joined = (long)dataLength + 1 + length;
        if (joined + typeLength > maxFrameBytes)
        {
            return false;
        }
        if (!dataOwned)
        {
            dataSpill.clear();
            dataSpill.append(dataBuffer, dataOffset, dataLength);
            dataOwned = true;
        }
        dataSpill.append(LF);
        dataSpill.append(buffer, offset, length);
        dataLength = (int)joined;
        return true;
    }

    private boolean eventType(final DirectBuffer buffer, final int offset, final int length, final boolean carried)
    {
        if ((long)length + (dataSeen ? dataLength : 0) > maxFrameBytes)
        {
            return false;
        }
        typeLength = length;
        if (carried)
        {
            typeSpill.clear();
            typeSpill.append(buffer, offset, length);
            typeOwned = true;
        }
        else
        {
            if (typeBuffer != buffer)
            {
                typeBuffer = buffer;
            }
            typeOffset = offset;
            typeOwned = false;
        }
        return true;
    }

    private void id(final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (buffer.getByte(i) == 0)
            {
                return;
            }
        }
        // Always copied: the id outlives the event and the slice.
        idBuffer.clear();
        idBuffer.append(buffer, offset, length);
        hasIdBuffer = true;
        idDirty = true;
    }

    private void retry(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length == 0)
        {
            return;
        }
        long value = 0;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            final int digit = buffer.getByte(i) - '0';
            if (digit < 0 || digit > 9)
            {
                return;
            }
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        reconnectionTime = value;
        if (sseListener != null)
        {
            sseListener.onRetry(value);
        }
    }

    private void clearEvent()
    {
        eventStart = -1;
        dataSeen = false;
        dataOwned = false;
        dataLength = 0;
        typeOwned = false;
        typeLength = 0;
    }
}
