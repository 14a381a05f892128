package io.streamfold.aggregator.internal.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.parser.Frame;
import org.agrona.DirectBuffer;

/**
 * One event's payload as an array for the byte scans, and the strict check a scan-first reader starts with
 * ({@link #checkObject}, under the limits that keep it within what the token reader accepts): the caller's own
 * array when the frame has one, else one copy into an array kept for the next event (a gateway's direct buffer), as
 * the token reader makes too. One per scan-first reader (Anthropic's block events, Responses events).
 */
public final class EventBytes
{
    private final int maxDepth;
    private final int maxStringBytes;
    private byte[] scratch = new byte[0];
    private byte[] array;
    private int offset;
    private int limit;

    /** @param limits the aggregation limits the scan must stay within (see {@link #scanStringBytes}). */
    public EventBytes(final AggregationLimits limits)
    {
        maxDepth = limits.maxNestingDepth();
        maxStringBytes = scanStringBytes(limits);
    }

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
            Math.min(JsonReader.maxStringChars(limits), StreamReadConstraints.DEFAULT_MAX_NAME_LEN);
    }

    /** @return whether the limits allow the scan at all (see {@link #scanStringBytes}). */
    public boolean scans()
    {
        return maxStringBytes >= 0;
    }

    /** Makes the frame's payload readable as {@link #array()} from {@link #offset()} to {@link #limit()}. */
    public void load(final Frame frame)
    {
        load(frame.buffer(), frame.offset(), frame.length());
    }

    /** Makes {@code buffer[offset, offset + length)} readable as {@link #array()} from {@link #offset()}. */
    public void load(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = buffer.byteArray();
        if (bytes != null)
        {
            array = bytes;
            this.offset = (int)buffer.wrapAdjustment() + offset;
            limit = this.offset + length;
            return;
        }
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        array = scratch;
        this.offset = 0;
        limit = length;
    }

    /**
     * Checks the payload last loaded as one JSON object, locating its members and the objects {@code path} leads to
     * (see {@link JsonMembers#checkObject(byte[], int, int, int, int, MemberPath)}), within the limits.
     *
     * @return false when the scan is off or refuses anything: the token reader reads the event instead.
     */
    public boolean checkObject(final JsonMembers members, final MemberPath path)
    {
        return maxStringBytes >= 0 && members.checkObject(array, offset, limit, maxDepth, maxStringBytes, path);
    }

    /**
     * As {@link #checkObject(JsonMembers, MemberPath)} for a payload whose first {@code verified} bytes (its
     * opening brace and whole members, each with its comma) the caller has verified itself: see {@link
     * JsonMembers#checkObjectAfter}. With {@code verified} 0, the same as that.
     */
    public boolean checkObjectAfter(final JsonMembers members, final MemberPath path, final int verified)
    {
        if (verified <= 0)
        {
            return checkObject(members, path);
        }
        return maxStringBytes >= 0 && members.checkObjectAfter(array, offset, offset + verified, limit, maxDepth, maxStringBytes, path);
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

    /** @return the index just past the payload in {@link #array()}. */
    public int limit()
    {
        return limit;
    }
}
