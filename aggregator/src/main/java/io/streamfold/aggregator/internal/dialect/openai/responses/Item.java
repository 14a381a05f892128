package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;

/** One output item: its own fields, and its parts keyed by content / summary index. */
final class Item
{
    private static final byte[] NONE = new byte[0];
    /** A kept final item longer than this is let go when the stream ends (the pool would keep it otherwise). */
    private static final int KEPT_BYTES = 64 * 1024;

    long outputIndex;
    int kind;
    boolean done;
    final MutableRawFields fields = new MutableRawFields();
    /** The function call or the whole-kept OTHER part. */
    MutablePart call;
    /** Fields from delta events this dialect does not know, for an item with parts of its own (see UnknownDeltas). */
    MutablePart unknownDeltas;
    Slot[] slots = new Slot[2];
    int slotCount;
    /** The stamps of the last two lookups that led an event to this item (see {@link OutputItems#touch}). */
    long touched;
    long touchedBefore;
    /**
     * The item object last read whole and final with nothing reported nor cut ({@link #finalLength} bytes, -1 when
     * none), and the lookup that led to that read: while no other lookup led to this item, reading the same bytes
     * again would change nothing.
     */
    byte[] finalBytes = NONE;
    int finalLength = -1;
    long finalAt;
    /** Whether {@link #finalBytes} were accepted by their event's check. */
    boolean finalChecked;
    /** Their nesting, itself counting one, found when first needed (-1 until then). */
    private int finalDepth = -1;

    void init(final long outputIndex)
    {
        this.outputIndex = outputIndex;
        kind = ITEM_UNKNOWN;
        done = false;
        fields.clear();
        call = null;
        unknownDeltas = null;
        slotCount = 0;
        forgetFinal();
    }

    /** Forgets the final item's bytes, and lets large ones go. */
    void forgetFinal()
    {
        finalLength = -1;
        finalChecked = false;
        if (finalBytes.length > KEPT_BYTES)
        {
            finalBytes = NONE;
        }
    }

    /**
     * Keeps {@code src[from, to)} as the item read whole and final, at the lookup that led to it; {@code checked} when an
     * event's check accepted those bytes.
     */
    void keepFinal(final byte[] src, final int from, final int to, final boolean checked)
    {
        final int n = to - from;
        if (finalBytes.length < n)
        {
            finalBytes = new byte[Math.max(n, finalBytes.length * 2)];
        }
        System.arraycopy(src, from, finalBytes, 0, n);
        finalLength = n;
        finalAt = touched;
        finalChecked = checked;
        finalDepth = -1;
    }

    /** @return whether {@code src} repeats the final item's bytes at {@code from} (before {@code limit}). */
    boolean repeatsFinal(final byte[] src, final int from, final int limit)
    {
        final int n = finalLength;
        return n > 0 && n <= limit - from && java.util.Arrays.equals(finalBytes, 0, n, src, from, from + n);
    }

    /** @return the nesting of the final bytes, itself counting one. */
    int finalDepth()
    {
        if (finalDepth < 0)
        {
            finalDepth = CheckedRepeats.depth(finalBytes, 0, finalLength);
        }
        return finalDepth;
    }

    /** @return whether no part of the item was cut by a limit (a cut part would take a repeated final text otherwise). */
    boolean nothingCut()
    {
        if ((call != null && call.isTruncated()) || (unknownDeltas != null && unknownDeltas.isTruncated()))
        {
            return false;
        }
        for (int i = 0; i < slotCount; i++)
        {
            if (slots[i].part.isTruncated())
            {
                return false;
            }
        }
        return true;
    }

    Slot addSlot(final boolean summary, final long index, final MutablePart part)
    {
        if (slotCount == slots.length)
        {
            slots = java.util.Arrays.copyOf(slots, slotCount * 2);
        }
        Slot s = slots[slotCount];
        if (s == null)
        {
            s = new Slot();
            slots[slotCount] = s;
        }
        s.reuse(summary, index, part);
        slotCount++;
        return s;
    }

    boolean hasSlots(final boolean summary)
    {
        for (int i = 0; i < slotCount; i++)
        {
            if (slots[i].summary == summary)
            {
                return true;
            }
        }
        return false;
    }
}
