package io.streamfold.aggregator.internal.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.streamfold.aggregator.AggregationLimits;
import org.agrona.DirectBuffer;

/**
 * One event's payload as an array for the byte scans ({@link JsonMembers#checkObject}): the caller's own array when
 * the frame has one, else one copy into an array kept for the next event (a gateway's direct buffer), as the token
 * reader makes too. One per scanning dialect.
 */
public final class EventBytes
{
    private byte[] scratch = new byte[0];
    private byte[] array;
    private int offset;

    /**
     * The longest string an event scan may accept, in bytes: within the token reader's string limit (counted in
     * chars, never more than bytes) and Jackson's default name limit, so that what the scan accepts the token reader
     * accepts too.
     *
     * @return that length, or -1 when the scan must stay off (a number limit under what {@link JsonBytes} allows).
     */
    public static int scanStringBytes(final AggregationLimits limits)
    {
        return limits.maxNumberLength() < JsonBytes.MAX_NUMBER_BYTES ? -1 :
            Math.min(Math.max(limits.maxTextChars(), limits.maxRawBytes()), StreamReadConstraints.DEFAULT_MAX_NAME_LEN);
    }

    /** Makes {@code buffer[offset, offset + length)} readable as {@link #array()} from {@link #offset()}. */
    public void load(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = buffer.byteArray();
        if (bytes != null)
        {
            array = bytes;
            this.offset = (int)buffer.wrapAdjustment() + offset;
            return;
        }
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        array = scratch;
        this.offset = 0;
    }

    /** @return the array holding the payload last loaded. */
    public byte[] array()
    {
        return array;
    }

    /** @return where the payload starts in {@link #array()}. */
    public int offset()
    {
        return offset;
    }
}
