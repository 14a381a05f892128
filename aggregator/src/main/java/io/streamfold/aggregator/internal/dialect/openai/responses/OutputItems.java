package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.util.ArrayList;
import java.util.List;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableAggregate;
import io.streamfold.aggregator.internal.fold.MutableChoice;
import io.streamfold.aggregator.internal.fold.MutablePart;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;
import io.streamfold.parser.ErrorKind;

import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.FUNCTION_CALL;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.ITEM_UNKNOWN;
import static io.streamfold.aggregator.internal.dialect.openai.responses.ResponsesEvents.contentEquals;

/**
 * The output items of one response, keyed by {@code output_index}, and their parts in the fold: created on
 * first mention, ended by {@code output_item.done}, and checked against final values.
 */
final class OutputItems
{
    private final MutableAggregate aggregate;
    private final AggregationLimits limits;
    private final ArrayList<Item> items = new ArrayList<>();
    private final ArrayList<Item> spareItems = new ArrayList<>();
    private MutableChoice choice;
    /** Counts lookups that led an event to an item; never reset, so a stamp of an earlier stream never matches. */
    private long clock;
    private Item lastTouched;
    /** The slot whose final text was last found equal to its part's. */
    private Slot lastAgreed;

    OutputItems(final MutableAggregate aggregate, final AggregationLimits limits)
    {
        this.aggregate = aggregate;
        this.limits = limits;
    }

    void reset()
    {
        for (final Item item : items)
        {
            for (int i = 0; i < item.slotCount; i++)
            {
                item.slots[i].release();
            }
            item.finalItem.release();
        }
        lastTouched = null;
        lastAgreed = null;
        // One by one: addAll copies the list into a new array first, an allocation on every pooled stream.
        for (int i = 0; i < items.size(); i++)
        {
            spareItems.add(items.get(i));
        }
        items.clear();
        choice = null;
    }

    /** @return choice 0 as created so far (null before the first item). */
    MutableChoice current()
    {
        return choice;
    }

    int size()
    {
        return items.size();
    }

    boolean isEmpty()
    {
        return items.isEmpty();
    }

    Item get(final int i)
    {
        return items.get(i);
    }

    /** @return the items in arrival order, for the writer. */
    List<Item> list()
    {
        return items;
    }

    /** @return choice 0, created on first use; null when the limits refuse it. */
    MutableChoice choice()
    {
        if (choice == null)
        {
            choice = aggregate.choiceForIndex(0);
        }
        return choice;
    }

    /**
     * Stamps an item an event was led to: whatever the event does next to it, an item read whole and final is known to
     * be as that read left it only while no other lookup led to it since ({@link Item#touchedBefore} is then the read's).
     */
    /** Keeps {@code src[from, to)} as the slot's final text found equal to its part's. */
    void agree(final Slot slot, final byte[] src, final int from, final int to, final boolean checked)
    {
        slot.agree(src, from, to, checked);
        lastAgreed = slot;
    }

    /** @return the index just past the string at {@code src[from]} when it repeats the final text last agreed; else -1. */
    int agreedEnd(final byte[] src, final int from, final int limit)
    {
        return lastAgreed == null ? -1 : lastAgreed.agreedEnd(src, from, limit);
    }

    /** @return whether an item's final bytes, accepted by a check, are kept. */
    boolean anyFinal()
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            if (items.get(i).finalItem.checked())
            {
                return true;
            }
        }
        return false;
    }

    Item touch(final Item item)
    {
        item.touchedBefore = item.touched;
        item.touched = ++clock;
        lastTouched = item;
        return item;
    }

    /** @return the item the last lookup led to (the one whose part a delta just went to). */
    Item lastTouched()
    {
        return lastTouched;
    }

    Item itemFor(final long index)
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            if (items.get(i).outputIndex == index)
            {
                return touch(items.get(i));
            }
        }
        if (index < 0 || index > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "output_index " + index + " outside 0.." + limits.maxIndex());
            return null;
        }
        if (items.size() >= limits.maxPartsPerChoice())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, "more than " + limits.maxPartsPerChoice() + " output items");
            return null;
        }
        if (choice() == null)
        {
            return null;
        }
        final Item item = spareItems.isEmpty() ? new Item() : spareItems.remove(spareItems.size() - 1);
        item.init(index);
        items.add(item);
        return touch(item);
    }

    Item findItemById(final CharSequence id)
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            final MutableRawJson v = items.get(i).fields.get("id");
            if (v != null && v.type() == MutableRawJson.Type.STRING && contentEquals(v.text(), id))
            {
                return touch(items.get(i));
            }
        }
        return null;
    }

    /** @return the content (or summary) slot {@code index} of an item, created with {@code kind}; null past a limit. */
    Slot slot(final Item item, final boolean summary, final long index, final MutablePart.Kind kind)
    {
        final Slot found = item.findSlot(summary, index);
        if (found != null)
        {
            return found;
        }
        if (index > limits.maxIndex())
        {
            aggregate.error(ErrorKind.LIMIT_EXCEEDED, (summary ? "summary_index " : "content_index ") + index +
                " above " + limits.maxIndex());
            return null;
        }
        final MutablePart part = aggregate.newPart(choice, kind, item.outputIndex);
        if (part == null)
        {
            return null;
        }
        final MutableRawJson id = item.fields.get("id");
        if (id != null && id.type() == MutableRawJson.Type.STRING)
        {
            part.id().set(id.text(), limits.maxTextChars());
        }
        return item.addSlot(summary, index, part);
    }

    /** The item's function-call part, created and announced on first use. */
    MutablePart callPart(final Item item, final CharSequence callId, final CharSequence callName)
    {
        return callPart(item, FUNCTION_CALL, callId, callName);
    }

    /** The item's tool-call part of item type {@code type}, created (as one the client runs) and announced on first use. */
    MutablePart callPart(final Item item, final CharSequence type, final CharSequence callId, final CharSequence callName)
    {
        return callPart(item, type, callId, callName, false);
    }

    /**
     * The item's tool-call part of item type {@code type}, created and announced on first use; {@code server}: a call
     * the provider runs itself, so marked before anyone hears of it.
     */
    MutablePart callPart(final Item item, final CharSequence type, final CharSequence callId, final CharSequence callName,
        final boolean server)
    {
        if (item.call == null)
        {
            item.call = aggregate.newPart(choice, MutablePart.Kind.TOOL_CALL, item.outputIndex);
            if (item.call == null)
            {
                return null;
            }
            if (server)
            {
                item.call.markServerExecuted();
            }
            item.call.type().set(type, 64);
            if (callId != null)
            {
                item.call.id().set(callId, limits.maxTextChars());
            }
            if (callName != null)
            {
                item.call.name().set(callName, limits.maxTextChars());
            }
            aggregate.toolCallStarted(choice, item.call);
        }
        else
        {
            if (callId != null && item.call.id().length() == 0)
            {
                item.call.id().set(callId, limits.maxTextChars());
            }
            if (callName != null && item.call.name().length() == 0)
            {
                item.call.name().set(callName, limits.maxTextChars());
            }
        }
        return item.call;
    }

    void endItem(final Item item)
    {
        item.done = true;
        if (item.call != null)
        {
            aggregate.endPart(choice, item.call);
        }
        if (item.unknownDeltas != null)
        {
            aggregate.endPart(choice, item.unknownDeltas);
        }
        for (int i = 0; i < item.slotCount; i++)
        {
            aggregate.endPart(choice, item.slots[i].part);
        }
    }

    Slot slotOf(final MutablePart part)
    {
        for (int i = items.size() - 1; i >= 0; i--)
        {
            final Item item = items.get(i);
            for (int j = 0; j < item.slotCount; j++)
            {
                if (item.slots[j].part == part)
                {
                    return item.slots[j];
                }
            }
        }
        return null;
    }

    /**
     * Checks a final text against what the deltas gave: fills it when they gave nothing, adds a missing
     * tail, and otherwise keeps what the deltas gave and reports the contradiction: the deltas were already
     * folded and handed to listeners, and a final value damaged in transit (a byte lost inside the string
     * leaves valid JSON) must not change what came before it.
     */
    void reconcile(final MutablePart part, final MutableTextBuffer fin, final String what)
    {
        reconcile(part, fin, what, "");
    }

    /**
     * Reconciles the text of a text's done event ({@code what}: output_text, reasoning_text or reasoning_summary_text),
     * sent as the JSON string {@code src[from, to)} (null when not known): when it agrees, the done part, the done item
     * and the terminal response that repeat it are not decoded again.
     */
    void reconcile(final MutablePart part, final MutableTextBuffer fin, final String what, final byte[] src, final int from,
        final int to)
    {
        if (reconcile(part, fin, what, "") && src != null)
        {
            final Slot slot = slotOf(part);
            if (slot != null)
            {
                // A text scanned from an event's bytes: always checked.
                agree(slot, src, from, to, true);
            }
        }
    }

    /**
     * Reconciles the text of a text's done {@code event} as {@link #reconcile(MutablePart, MutableTextBuffer, String, byte[],
     * int, int)} does, without decoding it when its checked bytes decode to exactly the part's kept text (what reconcile
     * would find equal, changing nothing): the text is then only agreed.
     */
    void reconcile(final MutablePart part, final GatheredEvent event, final String what)
    {
        final int have = part.contentLength();
        // Nothing dropped (the kept text is all the deltas gave) and something to compare: else decoded and reconciled.
        if (have > 0 && have == part.text().length() && event.pendingTextIs(part.text().array(), have))
        {
            final Slot slot = slotOf(part);
            if (slot != null)
            {
                agree(slot, event.textBytes(), event.textFrom(), event.textTo(), true);
            }
            return;
        }
        reconcile(part, event.finalText(), what, event.textBytes(), event.textFrom(), event.textTo());
    }

    /**
     * As {@link #reconcile(MutablePart, MutableTextBuffer, String)}, naming the source {@code what + suffix}: the
     * name is only put together for an error, never on the common path.
     *
     * @return whether the final text was found equal to what the deltas gave (nothing done).
     */
    boolean reconcile(final MutablePart part, final MutableTextBuffer fin, final CharSequence what, final String suffix)
    {
        if (fin.length() == 0)
        {
            return false;
        }
        final boolean args = part.kind() == MutablePart.Kind.TOOL_CALL;
        // The content, not the text: a fold that drops streamed text still knows what its deltas gave.
        final int have = part.contentLength();
        if (have == 0)
        {
            append(part, args, fin, 0, fin.length());
            return false;
        }
        final boolean prefix = part.contentIsPrefixOf(fin);
        if (prefix && have == fin.length())
        {
            return true;
        }
        if (prefix)
        {
            append(part, args, fin, have, fin.length() - have);
            aggregate.error(ErrorKind.MALFORMED_JSON, what + suffix + " has " + (fin.length() - have) +
                " characters at its end that no delta carried; they were added");
            return false;
        }
        aggregate.error(ErrorKind.MALFORMED_JSON, what + suffix + " disagrees with its deltas; the deltas are kept");
        return false;
    }

    private void append(final MutablePart part, final boolean args, final MutableTextBuffer from, final int offset, final int length)
    {
        if (args)
        {
            aggregate.appendArguments(choice, part, from.array(), offset, length);
        }
        else
        {
            aggregate.appendText(choice, part, from.array(), offset, length);
        }
    }

    /** @return the item an event names: by output_index, else by item_id, else the last one; null past a limit. */
    Item itemForEvent(final long outputIndex, final CharSequence itemId, final int kind)
    {
        Item item = null;
        if (outputIndex < 0)
        {
            item = itemId.length() > 0 ? findItemById(itemId) : null;
            if (item == null && !items.isEmpty())
            {
                item = items.get(items.size() - 1);
            }
            if (item == null)
            {
                item = itemFor(0);
            }
        }
        else
        {
            item = itemFor(outputIndex);
        }
        if (item != null && item.kind == ITEM_UNKNOWN && kind != ITEM_UNKNOWN)
        {
            item.kind = kind;
        }
        return item;
    }

    /** @return the content (or summary) part an event names, created with {@code kind} and {@code type}. */
    MutablePart partForEvent(
        final long outputIndex,
        final CharSequence itemId,
        final int itemKind,
        final boolean summary,
        final long index,
        final MutablePart.Kind kind,
        final String type)
    {
        final Item item = itemForEvent(outputIndex, itemId, itemKind);
        if (item == null)
        {
            return null;
        }
        final Slot slot = slot(item, summary, index < 0 ? 0 : index, kind);
        if (slot == null)
        {
            return null;
        }
        if (slot.part.type().length() == 0)
        {
            slot.part.type().set(type, 64);
        }
        return slot.part;
    }
}
