package io.streamfold.aggregator.internal.fold;

import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.StringDecoder;

import static io.streamfold.aggregator.internal.fold.EventTemplate.AFTER_COPY;
import static io.streamfold.aggregator.internal.fold.EventTemplate.COMPACT_INTEGERS;
import static io.streamfold.aggregator.internal.fold.EventTemplate.COPY_AFTER;
import static io.streamfold.aggregator.internal.fold.EventTemplate.COPY_FIRST;
import static io.streamfold.aggregator.internal.fold.TemplatePieces.WHITESPACE;

/**
 * How an {@link EventTemplate} learns an event: the shape's paths located, the object slots' other members added as
 * raw slots, the literal segments found between the slots, copies paired with their originals, and the event matched
 * against itself, so that only what a later match reads exactly as the full decoder does is learnt. Cold code, kept
 * apart from the match the hot path runs; it fills the template's slot tables.
 */
final class TemplateLearner
{
    /** More members than this in an object slot and the event is not learnt. */
    private static final int MAX_MEMBERS = 32;

    private final EventTemplate tpl;
    private final PathLocator locator;
    private final int maxNestingDepth;
    private final int[] members = new int[2 * MAX_MEMBERS];

    TemplateLearner(final EventTemplate tpl, final PathLocator locator, final int maxNestingDepth)
    {
        this.tpl = tpl;
        this.locator = locator;
        this.maxNestingDepth = maxNestingDepth;
    }

    /**
     * Learns {@code src[offset, offset + count)} as {@link EventTemplate#learn(byte[], int, int, EventShape, boolean)}
     * says, on a template switched on and forgotten.
     */
    boolean learn(final byte[] src, final int offset, final int count, final EventShape shape, final boolean checked)
    {
        final int declared = shape.slotCount();
        final int limit = offset + count;
        tpl.slots = 0;
        if (!(checked ? locator.newCheckedEvent() : locator.newEvent(src, offset, limit)))
        {
            return false;
        }
        for (int s = 0; s < declared; s++)
        {
            if (!locator.locate(src, offset, limit, shape.path(s)))
            {
                return false;
            }
            addSlot(shape.type(s), maxNestingDepth - shape.path(s).length - 2, locator.start(), locator.end());
        }
        for (int s = 0; s < declared; s++)
        {
            if (tpl.type[s] == EventShape.OBJECT && !addOtherMembers(src, limit, s, declared, shape.path(s).length))
            {
                return false;
            }
        }
        for (int s = 0; s < tpl.slots; s++)
        {
            // A raw integer array learnt compact (a logprob entry's bytes) is scanned as one: a later value in another
            // form goes to the full decoder, which learns it again.
            if (tpl.type[s] == EventShape.RAW && tpl.depth[s] > 0 &&
                JsonBytes.compactIntegerArrayEnd(src, tpl.start[s], limit) == tpl.end[s])
            {
                tpl.kind[s] = COMPACT_INTEGERS;
            }
        }
        // Byte order of the slots read; distinct leaf paths never overlap, a path inside another is refused.
        int read = 0;
        for (int s = 0; s < tpl.slots; s++)
        {
            if (tpl.type[s] != EventShape.OBJECT)
            {
                tpl.order[read++] = s;
            }
        }
        sortByStart(tpl.order, read);
        for (int k = 1; k < read; k++)
        {
            if (tpl.start[tpl.order[k]] < tpl.end[tpl.order[k - 1]])
            {
                return false;
            }
        }
        if (!tpl.pieces.find(src, offset, count, tpl.order, read, tpl.type, tpl.start, tpl.end) || !placeObjects(offset, read))
        {
            return false;
        }
        pairCopies(shape, declared);
        for (int s = 0; s < declared; s++)
        {
            tpl.declaredOrder[s] = s;
        }
        sortByStart(tpl.declaredOrder, declared);
        // The learnt values must be ones the scanners accept, or no later event could match as they do: the event
        // must match itself, each slot ending where its path led.
        System.arraycopy(tpl.start, 0, tpl.located, 0, tpl.slots);
        System.arraycopy(tpl.end, 0, tpl.located, tpl.slots, tpl.slots);
        tpl.shape = shape;
        if (!tpl.matchSlots(src, offset, count))
        {
            tpl.forget();
            return false;
        }
        for (int s = 0; s < tpl.slots; s++)
        {
            if (tpl.start[s] != tpl.located[s] || tpl.end[s] != tpl.located[tpl.slots + s])
            {
                tpl.forget();
                return false;
            }
        }
        return true;
    }

    private void addSlot(final int slotType, final int slotDepth, final int from, final int to)
    {
        final int s = tpl.slots++;
        if (s == tpl.type.length)
        {
            final int n = s * 2;
            tpl.type = Arrays.copyOf(tpl.type, n);
            tpl.kind = Arrays.copyOf(tpl.kind, n);
            tpl.depth = Arrays.copyOf(tpl.depth, n);
            tpl.partner = Arrays.copyOf(tpl.partner, n);
            tpl.repeats = Arrays.copyOf(tpl.repeats, n);
            tpl.start = Arrays.copyOf(tpl.start, n);
            tpl.end = Arrays.copyOf(tpl.end, n);
            tpl.strings = Arrays.copyOf(tpl.strings, n);
            tpl.order = Arrays.copyOf(tpl.order, n);
            tpl.declaredOrder = Arrays.copyOf(tpl.declaredOrder, n);
            tpl.located = Arrays.copyOf(tpl.located, 2 * n);
        }
        tpl.type[s] = slotType;
        tpl.kind[s] = slotType;
        tpl.depth[s] = slotDepth;
        tpl.partner[s] = -1;
        tpl.start[s] = from;
        tpl.end[s] = to;
        if (slotType == EventShape.STRING && tpl.strings[s] == null)
        {
            tpl.strings[s] = new StringDecoder(256);
        }
        tpl.numbers.ensure(s, slotType);
    }

    /**
     * Adds the members of object slot {@code s} that no declared slot reads, or leads into, as raw slots: their
     * values may vary as they like, each checked whole. A member learnt empty or null ({@code "top_logprobs":[]})
     * stays literal: it is so in every event of the stream, and an event where it is not goes to the full decoder,
     * which learns the member as a slot then.
     */
    private boolean addOtherMembers(final byte[] src, final int limit, final int s, final int declared, final int pathLength)
    {
        final int count = locator.members(src, tpl.start[s], limit, members);
        if (count < 0)
        {
            return false;
        }
        for (int m = 0; m < count; m++)
        {
            final int from = members[2 * m];
            final int to = members[2 * m + 1];
            boolean read = false;
            for (int u = 0; u < declared && !read; u++)
            {
                read = u != s && tpl.start[u] >= from && tpl.end[u] <= to;
            }
            if (!read && !isEmpty(src, from, to))
            {
                addSlot(EventShape.RAW, maxNestingDepth - pathLength - 3, from, to);
            }
        }
        return true;
    }

    /** @return whether the value is {@code null}, {@code []} or <code>{}</code> (written without whitespace). */
    private static boolean isEmpty(final byte[] src, final int from, final int to)
    {
        final int n = to - from;
        return n == 4 && src[from] == 'n' || n == 2 && (src[from] == '[' || src[from] == '{');
    }

    /** Insertion sort of slot numbers by where they start (a handful of slots). */
    private void sortByStart(final int[] slotNumbers, final int count)
    {
        for (int a = 1; a < count; a++)
        {
            final int s = slotNumbers[a];
            int b = a - 1;
            while (b >= 0 && tpl.start[slotNumbers[b]] > tpl.start[s])
            {
                slotNumbers[b + 1] = slotNumbers[b];
                b--;
            }
            slotNumbers[b + 1] = s;
        }
    }

    /**
     * Places each object slot's opening and closing bracket in a literal segment, so that a match knows where the
     * object lies: every slot read is wholly inside it or wholly outside it.
     */
    private boolean placeObjects(final int offset, final int read)
    {
        for (int s = 0; s < tpl.slots; s++)
        {
            if (tpl.type[s] != EventShape.OBJECT)
            {
                continue;
            }
            for (int k = 0; k < read; k++)
            {
                final int u = tpl.order[k];
                final boolean inside = tpl.start[u] > tpl.start[s] && tpl.end[u] < tpl.end[s];
                if (!inside && tpl.end[u] > tpl.start[s] && tpl.start[u] < tpl.end[s])
                {
                    return false;
                }
            }
            if (!tpl.pieces.placeObject(s, tpl.start[s] - offset, tpl.end[s] - 1 - offset))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Decides how each copy and its original are scanned: the first of the pair in byte order is decoded (a copy
     * into its original's chars), the second compared with it.
     */
    private void pairCopies(final EventShape shape, final int declared)
    {
        for (int s = 0; s < declared; s++)
        {
            if (tpl.type[s] != EventShape.SAME_STRING)
            {
                continue;
            }
            final int o = shape.original(s);
            tpl.partner[s] = o;
            if (tpl.start[s] > tpl.start[o])
            {
                tpl.kind[s] = COPY_AFTER;
            }
            else if (tpl.type[o] == EventShape.STRING && tpl.partner[o] < 0)
            {
                tpl.partner[o] = s;
                tpl.kind[o] = AFTER_COPY;
                tpl.kind[s] = COPY_FIRST;
            }
        }
        for (int k = 0; k < tpl.pieces.count; k++)
        {
            tpl.pieces.pieceKind[k] = tpl.pieces.pieceSlot[k] == WHITESPACE ? WHITESPACE : tpl.kind[tpl.pieces.pieceSlot[k]];
        }
    }
}
