package io.streamfold.aggregator.internal.dialect.openai.responses;

import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawFields;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;

/** One output item: its own fields, and its parts keyed by content / summary index. */
final class Item
{
    long outputIndex;
    int kind;
    boolean done;
    final MutableRawFields fields = new MutableRawFields();
    /** The function call, the call of another item type (see {@link CallItems}) or the whole-kept OTHER part. */
    MutablePart call;
    /** The {@link CallItems} row of an item that is a call, else -1. */
    int callRow;
    /** Fields from delta events this dialect does not know, for an item with parts of its own (see UnknownDeltas). */
    MutablePart unknownDeltas;
    Slot[] slots = new Slot[2];
    int slotCount;
    /** The stamps of the last two lookups that led an event to this item (see {@link OutputItems#touch}). */
    long touched;
    long touchedBefore;
    /**
     * The item object last read whole and final with nothing reported nor cut (nothing kept when none; checked when
     * accepted by its event's check), and the lookup that led to that read: while no other lookup led to this item,
     * reading the same bytes again would change nothing.
     */
    final KeptBytes finalItem = new KeptBytes();
    long finalAt;

    void init(final long outputIndex)
    {
        this.outputIndex = outputIndex;
        kind = ITEM_UNKNOWN;
        done = false;
        fields.clear();
        call = null;
        callRow = -1;
        unknownDeltas = null;
        slotCount = 0;
        finalItem.release();
    }

    /**
     * Drops what delta events this dialect does not know gave the item: its item read whole and final carries every
     * field as the provider sees it, while those deltas only guessed where their text goes (a name that is no field,
     * pieces of an array joined into one string). They stay only for an item that never got its final value.
     */
    void dropUnknownDeltas()
    {
        if (call != null && call.hasDeltas())
        {
            call.deltas().clear();
        }
        if (unknownDeltas != null && unknownDeltas.hasDeltas())
        {
            unknownDeltas.deltas().clear();
        }
    }

    /** Keeps {@code src[from, to)} as the item read whole and final, at the lookup that led to it. */
    void keepFinal(final byte[] src, final int from, final int to, final boolean checked)
    {
        finalItem.keep(src, from, to, checked);
        finalAt = touched;
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

    /** @return the content (or summary) slot at {@code index}, or null when none was made. */
    Slot findSlot(final boolean summary, final long index)
    {
        for (int i = 0; i < slotCount; i++)
        {
            final Slot s = slots[i];
            if (s.summary == summary && s.index == index)
            {
                return s;
            }
        }
        return null;
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
