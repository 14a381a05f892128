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
    /** The function call or the whole-kept OTHER part. */
    MutablePart call;
    /** Fields from delta events this dialect does not know, for an item with parts of its own (see UnknownDeltas). */
    MutablePart unknownDeltas;
    Slot[] slots = new Slot[2];
    int slotCount;

    void init(final long outputIndex)
    {
        this.outputIndex = outputIndex;
        kind = ITEM_UNKNOWN;
        done = false;
        fields.clear();
        call = null;
        unknownDeltas = null;
        slotCount = 0;
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
