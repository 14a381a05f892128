package io.streamfold.aggregator.internal.fold;

/**
 * What a template matched when it answered the framer's data-line hint ({@code DataLineHint}): the array, the
 * value's first byte and end, and the data line's stream offset. The frame that then carries exactly those bytes
 * takes it instead of being matched again. One per template; any other match, learn or forget drops it, so a
 * remembered match never outlives the state it was made against.
 *
 * <p>A line the template compared and refused is remembered too, with how far the bytes it saw went: the frame that
 * carries exactly that line's value, ended before that bound (so the match saw the whole value and its line end), is
 * refused without a second match, since a line match refuses exactly the events on their own line that the exact
 * match refuses. A dialect whose events mostly do not repeat (a recording's one-off events) then pays for the hint
 * no more than without it.
 */
public final class HintedLine
{
    /** {@link #take}: no remembered answer holds for the frame; it must be matched. */
    public static final int UNKNOWN = 0;
    /** {@link #take}: the hint matched the frame's bytes (the slots hold the match). */
    public static final int MATCHED = 1;
    /** {@link #take}: the hint compared the frame's whole value and its line end, and refused it. */
    public static final int REFUSED = 2;

    /**
     * The array of the last match, kept after the match is dropped ({@link #held} says whether one is remembered): a
     * store of a reference costs a write barrier, and a stream's lines mostly lie in the array the last one did.
     */
    private byte[] array;
    private boolean held;
    /** Whether the remembered line was refused ({@link #end} is then the bound of the bytes the match saw). */
    private boolean refused;
    private int offset;
    private int end;
    private long line;

    /** Remembers a match of {@code array[offset, end)}, the value of the data line at {@code lineOffset}. */
    public void remember(final byte[] array, final int offset, final int end, final long lineOffset)
    {
        if (this.array != array)
        {
            this.array = array;
        }
        this.offset = offset;
        this.end = end;
        this.line = lineOffset;
        held = true;
        refused = false;
    }

    /**
     * Remembers that the value at {@code array[offset]} of the data line at {@code lineOffset} was compared and refused,
     * the match seeing the bytes up to {@code bound}.
     */
    public void refuse(final byte[] array, final int offset, final int bound, final long lineOffset)
    {
        remember(array, offset, bound, lineOffset);
        refused = true;
    }

    /** Drops the remembered match. */
    public void forget()
    {
        held = false;
    }

    /**
     * Drops the remembered match and the caller's array it lay in: a forgotten template, a new stream (the caller's
     * last bytes are not held past them).
     */
    public void release()
    {
        held = false;
        array = null;
    }

    /**
     * Takes the remembered match for the event the framer offers whole in place of its frame (the data line last
     * matched, directly ended by its blank line): nothing can have come between.
     *
     * @return whether a match was remembered; dropped either way.
     */
    public boolean takeWhole()
    {
        final boolean same = held && !refused;
        held = false;
        return same;
    }

    /** @return the array of the remembered match. */
    public byte[] array()
    {
        return array;
    }

    /** @return the remembered value's first byte. */
    public int offset()
    {
        return offset;
    }

    /** @return the index after the remembered value's last byte. */
    public int end()
    {
        return end;
    }

    /**
     * What the hint found for a frame's payload: {@link #MATCHED} when it is exactly the remembered value,
     * {@link #REFUSED} when it is exactly the value of the line refused, ended within the bytes that match saw, else
     * {@link #UNKNOWN}. Dropped either way (one hint serves one frame).
     *
     * @param frameArray   the array the payload lies in, or null when it lies in none.
     * @param frameOffset  the payload's first byte in that array.
     * @param count        the payload's length.
     * @param streamOffset the frame's stream offset: its block's first line, the data line or an {@code event:}
     *                     line before it, never after it; an earlier frame's data line lies before it.
     */
    public int take(final byte[] frameArray, final int frameOffset, final int count, final long streamOffset)
    {
        final boolean same = held && frameArray != null && frameArray == array && streamOffset <= line &&
            frameOffset == offset;
        held = false;
        if (!same)
        {
            return UNKNOWN;
        }
        if (refused)
        {
            // The byte after the value (its line end) lay within what the refusing match saw.
            return frameOffset + count < end ? REFUSED : UNKNOWN;
        }
        return frameOffset + count == end ? MATCHED : UNKNOWN;
    }
}
