package io.streamfold.aggregator.internal.fold;

import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;

/**
 * Finds where an {@link EventShape} path's value lies in an event's bytes, for {@link EventTemplate} to learn
 * the event by. Strict where a match could otherwise mean something else than it looks: a name on the path
 * present twice, or written with escapes, is refused. Runs only when an event is learnt, not per event.
 */
final class PathLocator
{
    private final int maxNestingDepth;
    private final int maxStringChars;
    private int foundStart;
    private int foundEnd;
    /** The last path located in the current event, and where its value at each level lies. */
    private byte[][] lastPath;
    private int[] levelStart = new int[8];
    private int[] levelEnd = new int[8];

    PathLocator(final int maxNestingDepth, final int maxStringChars)
    {
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringChars = maxStringChars;
    }

    /** A new event: the next path is located from its root. */
    void newEvent()
    {
        lastPath = null;
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
     * {@code ranges}, for an object slot whose other members may vary.
     *
     * @param depth how many more objects / arrays a member's value may nest.
     * @return how many members, or -1 when it is not an object of at most {@code ranges.length / 2} members whose
     * names are written without escapes.
     */
    int members(final byte[] src, final int from, final int limit, final int depth, final int[] ranges)
    {
        if (from >= limit || src[from] != '{')
        {
            return -1;
        }
        int count = 0;
        int i = JsonBytes.skipWhitespace(src, from + 1, limit);
        while (i < limit && src[i] == '"')
        {
            final int close = plainNameEnd(src, i, limit);
            int v = close < 0 ? limit : JsonBytes.skipWhitespace(src, close + 1, limit);
            if (v >= limit || src[v] != ':' || 2 * count == ranges.length)
            {
                return -1;
            }
            v = JsonBytes.skipWhitespace(src, v + 1, limit);
            final int valueEnd = JsonBytes.valueEnd(src, v, limit, depth, maxStringChars);
            if (valueEnd < 0)
            {
                return -1;
            }
            ranges[2 * count] = v;
            ranges[2 * count + 1] = valueEnd;
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
        return i < limit && src[i] == '}' ? count : -1;
    }

    /**
     * @return the index of the closing quote of the name whose opening quote is at {@code quote}, or -1 when it
     * does not close or holds an escape (the parser would read it unescaped: it could be another name in disguise).
     */
    private static int plainNameEnd(final byte[] src, final int quote, final int limit)
    {
        final int close = JsonBytes.stringEnd(src, quote + 1, limit);
        if (close < 0)
        {
            return -1;
        }
        for (int k = quote + 1; k < close; k++)
        {
            if (src[k] == '\\')
            {
                return -1;
            }
        }
        return close;
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
        // A shape's paths mostly share their start (choices, the one choice, its logprobs): the levels the last
        // path of this event found are not walked again, the root object's scan above all.
        int level = 0;
        if (lastPath != null)
        {
            while (level < path.length && level < lastPath.length && Arrays.equals(path[level], lastPath[level]))
            {
                level++;
            }
            if (level > 0)
            {
                at = levelStart[level - 1];
                foundStart = at;
                foundEnd = levelEnd[level - 1];
            }
        }
        lastPath = null;
        if (levelStart.length < path.length)
        {
            levelStart = new int[path.length];
            levelEnd = new int[path.length];
        }
        for (; level < path.length; level++)
        {
            if (Arrays.equals(path[level], EventShape.ONLY_ELEMENT))
            {
                // An array of exactly one element: the path goes on inside it.
                if (at >= limit || src[at] != '[')
                {
                    return false;
                }
                final int element = JsonBytes.skipWhitespace(src, at + 1, limit);
                final int elementEnd = JsonBytes.valueEnd(src, element, limit, maxNestingDepth - level - 1, maxStringChars);
                if (elementEnd < 0)
                {
                    return false;
                }
                final int close = JsonBytes.skipWhitespace(src, elementEnd, limit);
                if (close >= limit || src[close] != ']')
                {
                    return false;
                }
                at = element;
                foundStart = element;
                foundEnd = elementEnd;
                levelStart[level] = element;
                levelEnd[level] = elementEnd;
                continue;
            }
            if (at >= limit || src[at] != '{')
            {
                return false;
            }
            int found = -1;
            int foundValueEnd = -1;
            int i = JsonBytes.skipWhitespace(src, at + 1, limit);
            while (i < limit && src[i] == '"')
            {
                final int close = plainNameEnd(src, i, limit);
                if (close < 0)
                {
                    return false;
                }
                final boolean named = Arrays.equals(src, i + 1, close, path[level], 0, path[level].length);
                int v = JsonBytes.skipWhitespace(src, close + 1, limit);
                if (v >= limit || src[v] != ':')
                {
                    return false;
                }
                v = JsonBytes.skipWhitespace(src, v + 1, limit);
                final int valueEnd = JsonBytes.valueEnd(src, v, limit, maxNestingDepth - level - 1, maxStringChars);
                if (valueEnd < 0 || (named && found >= 0))
                {
                    return false;
                }
                if (named)
                {
                    found = v;
                    foundValueEnd = valueEnd;
                }
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
            if (i >= limit || src[i] != '}' || found < 0)
            {
                return false;
            }
            at = found;
            foundStart = found;
            foundEnd = foundValueEnd;
            levelStart[level] = found;
            levelEnd[level] = foundValueEnd;
        }
        lastPath = path;
        return true;
    }
}
