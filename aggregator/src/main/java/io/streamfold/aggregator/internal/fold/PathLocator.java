package io.streamfold.aggregator.internal.fold;

import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;

/**
 * Finds where an {@link EventShape} path's value lies in an event's bytes, for {@link EventTemplate} to learn
 * the event by. Strict where a match could otherwise mean something else than it looks: a name on the path
 * present twice, or written with escapes, is refused. Runs only when an event is learnt, not per event.
 *
 * <p>The event is checked whole once ({@link #newEvent}); its values are then only skipped over, and where each
 * object or array skipped over ends is kept, so that a path into it does not skip its bytes again. A shape's paths
 * mostly run through the same objects (the root, the one choice, its logprob entry): each object or one-element
 * array on a path is walked once per event, its members kept for the paths after it. Learning costs about two
 * passes over the event, not one per level of every slot's path.
 */
final class PathLocator
{
    /** Objects and arrays kept per event; more are walked again. */
    private static final int CONTAINERS = 8;
    /** Where this many objects and arrays end is kept per event (deeper or later ones are skipped again). */
    private static final int KNOWN = 64;
    /** An object with more members than this on a path is not learnt. */
    private static final int MAX_MEMBERS = 64;
    /** Member count of a container that cannot lead a path on: not what it should be, or a name with escapes. */
    private static final int REFUSED = -1;

    private final int maxNestingDepth;
    private final int maxStringChars;
    private int foundStart;
    private int foundEnd;

    // The containers walked in the current event: where each starts, and per member the start and end of its
    // name (without quotes) and of its value; a one-element array has that element as its one member.
    private int containers;
    private final int[] containerAt = new int[CONTAINERS];
    private final boolean[] containerOnly = new boolean[CONTAINERS];
    private final int[] memberCount = new int[CONTAINERS];
    private final int[][] ranges = new int[CONTAINERS][4 * MAX_MEMBERS];
    // Where the objects and arrays skipped over in the current event start and end.
    private int known;
    private final int[] knownStart = new int[KNOWN];
    private final int[] knownEnd = new int[KNOWN];
    private final int[] open = new int[KNOWN];

    PathLocator(final int maxNestingDepth, final int maxStringChars)
    {
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringChars = maxStringChars;
    }

    /**
     * A new event: checks it whole, as one JSON value with nothing but whitespace around it.
     *
     * @return false when it is not one the scanners accept (it is not learnt).
     */
    boolean newEvent(final byte[] src, final int from, final int limit)
    {
        containers = 0;
        known = 0;
        final int end = JsonBytes.valueEnd(src, JsonBytes.skipWhitespace(src, from, limit), limit, maxNestingDepth, maxStringChars);
        return end >= 0 && JsonBytes.skipWhitespace(src, end, limit) == limit;
    }

    /**
     * A new event a byte scan has checked whole by the same rules as {@link #newEvent} (a scan-first reader's check):
     * not checked again.
     *
     * @return true.
     */
    boolean newCheckedEvent()
    {
        containers = 0;
        known = 0;
        return true;
    }

    /** @return where the value last located starts. */
    int start()
    {
        return foundStart;
    }

    /** @return the index just past the value last located. */
    int end()
    {
        return foundEnd;
    }

    /**
     * Lists where the values of the members of the object at {@code from} lie, as pairs of start and end in
     * {@code into}, for an object slot whose other members may vary.
     *
     * @return how many members, or -1 when it is not an object of at most {@code into.length / 2} members whose
     * names are written without escapes.
     */
    int members(final byte[] src, final int from, final int limit, final int[] into)
    {
        final int c = container(src, from, limit, false);
        final int count = memberCount[c];
        if (count == REFUSED || 2 * count > into.length)
        {
            return -1;
        }
        for (int m = 0; m < count; m++)
        {
            into[2 * m] = ranges[c][4 * m + 2];
            into[2 * m + 1] = ranges[c][4 * m + 3];
        }
        return count;
    }

    /**
     * Finds the value at {@code path} in the object at {@code from}; on success {@link #start()} and {@link #end()}
     * say where it is.
     *
     * @return false when it is missing, or a name on the path is present twice or written with escapes.
     */
    boolean locate(final byte[] src, final int from, final int limit, final byte[][] path)
    {
        int at = JsonBytes.skipWhitespace(src, from, limit);
        for (int level = 0; level < path.length; level++)
        {
            final boolean only = Arrays.equals(path[level], EventShape.ONLY_ELEMENT);
            final int c = container(src, at, limit, only);
            final int count = memberCount[c];
            final int[] r = ranges[c];
            int found = -1;
            for (int m = 0; m < count; m++)
            {
                if (only || Arrays.equals(src, r[4 * m], r[4 * m + 1], path[level], 0, path[level].length))
                {
                    if (found >= 0)
                    {
                        return false;
                    }
                    found = m;
                }
            }
            if (found < 0)
            {
                return false;
            }
            at = r[4 * found + 2];
            foundStart = at;
            foundEnd = r[4 * found + 3];
        }
        return true;
    }

    /**
     * @return the cache slot of the container at {@code at}, walked now if it was not yet: an object (or, when
     * {@code only}, an array of exactly one element), else {@link #REFUSED} members.
     */
    private int container(final byte[] src, final int at, final int limit, final boolean only)
    {
        for (int c = 0; c < Math.min(containers, CONTAINERS); c++)
        {
            if (containerAt[c] == at && containerOnly[c] == only)
            {
                return c;
            }
        }
        final int c = containers++ % CONTAINERS;
        containerAt[c] = at;
        containerOnly[c] = only;
        memberCount[c] = only ? walkArray(src, at, limit, ranges[c]) : walkObject(src, at, limit, ranges[c]);
        return c;
    }

    /** An array of exactly one element: that element as the one member. */
    private int walkArray(final byte[] src, final int at, final int limit, final int[] r)
    {
        if (at >= limit || src[at] != '[')
        {
            return REFUSED;
        }
        final int element = JsonBytes.skipWhitespace(src, at + 1, limit);
        final int elementEnd = skipValue(src, element, limit);
        if (elementEnd < 0)
        {
            return REFUSED;
        }
        final int close = JsonBytes.skipWhitespace(src, elementEnd, limit);
        if (close >= limit || src[close] != ']')
        {
            return REFUSED;
        }
        r[2] = element;
        r[3] = elementEnd;
        return 1;
    }

    /** An object's members. */
    private int walkObject(final byte[] src, final int at, final int limit, final int[] r)
    {
        if (at >= limit || src[at] != '{')
        {
            return REFUSED;
        }
        int count = 0;
        int i = JsonBytes.skipWhitespace(src, at + 1, limit);
        while (i < limit && src[i] == '"')
        {
            final int close = JsonBytes.nameEnd(src, i, limit, maxStringChars);
            int v = close < 0 ? limit : JsonBytes.skipWhitespace(src, close + 1, limit);
            if (v >= limit || src[v] != ':' || count == MAX_MEMBERS)
            {
                return REFUSED;
            }
            v = JsonBytes.skipWhitespace(src, v + 1, limit);
            final int valueEnd = skipValue(src, v, limit);
            if (valueEnd < 0)
            {
                return REFUSED;
            }
            r[4 * count] = i + 1;
            r[4 * count + 1] = close;
            r[4 * count + 2] = v;
            r[4 * count + 3] = valueEnd;
            count++;
            i = JsonBytes.skipWhitespace(src, valueEnd, limit);
            if (i < limit && src[i] == ',')
            {
                i = JsonBytes.skipWhitespace(src, i + 1, limit);
            }
            else
            {
                break;
            }
        }
        return i < limit && src[i] == '}' ? count : REFUSED;
    }

    /**
     * Skips one value of the event {@link #newEvent} checked: strings to their closing quote, brackets to the one
     * that closes them (keeping where each nested one ends), anything else to the next comma, bracket or
     * whitespace.
     *
     * @return the index just past it, or -1 when there is none (the event is not the one checked).
     */
    private int skipValue(final byte[] src, final int from, final int limit)
    {
        if (from >= limit)
        {
            return -1;
        }
        final byte first = src[from];
        if (first == '"')
        {
            return JsonBytes.quotedEnd(src, from, limit);
        }
        if (first != '{' && first != '[')
        {
            int i = from;
            while (i < limit && src[i] != ',' && src[i] != '}' && src[i] != ']' && src[i] > ' ')
            {
                i++;
            }
            return i;
        }
        for (int k = 0; k < known; k++)
        {
            if (knownStart[k] == from)
            {
                return knownEnd[k];
            }
        }
        int depth = 0;
        int i = from;
        while (i < limit)
        {
            final byte b = src[i];
            if (b == '"')
            {
                i = JsonBytes.quotedEnd(src, i, limit);
                if (i < 0)
                {
                    return -1;
                }
                continue;
            }
            if (b == '{' || b == '[')
            {
                if (depth < KNOWN)
                {
                    open[depth] = i;
                }
                depth++;
            }
            else if (b == '}' || b == ']')
            {
                depth--;
                if (depth < KNOWN && known < KNOWN)
                {
                    knownStart[known] = open[depth];
                    knownEnd[known++] = i + 1;
                }
                if (depth == 0)
                {
                    return i + 1;
                }
            }
            i++;
        }
        return -1;
    }
}
