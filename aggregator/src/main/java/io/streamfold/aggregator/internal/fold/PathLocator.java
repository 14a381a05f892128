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

    PathLocator(final int maxNestingDepth, final int maxStringChars)
    {
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringChars = maxStringChars;
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
                final int close = JsonBytes.stringEnd(src, i + 1, limit);
                if (close < 0)
                {
                    return false;
                }
                for (int k = i + 1; k < close; k++)
                {
                    if (src[k] == '\\')
                    {
                        // The parser would read the name unescaped: it could be the path's name in disguise.
                        return false;
                    }
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
        }
        return true;
    }
}
