package io.streamfold.aggregator.internal.dialect.openai.responses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.JsonMembers;

/**
 * What a Responses stream sends again, recognised by its bytes so that the check of a later event need not scan it
 * again (see {@link JsonMembers.KnownValues}): the members of the response last read (a lifecycle event repeats them,
 * the terminal one most of them), the items read whole and final (the terminal response's output repeats them), the
 * content part last read whole (the done item's content repeats it), the final text last found equal to its part's
 * (the done part and the done item repeat it) and the last logprobs list an event carried (the done part repeats the
 * done text's). Only bytes an event's check accepted are kept here, each with the
 * nesting it takes, so what is recognised is what the check would accept.
 *
 * <p>The response's members also spare the fold: a member repeated at the same place as in the response last read,
 * when that read reported nothing and named each member once, was kept already as it is.
 */
final class CheckedRepeats implements JsonMembers.KnownValues
{
    private static final byte[] NONE = new byte[0];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final OutputItems items;
    private final int maxStringBytes;
    /** The response object last read from checked bytes, and where its members' values lie in it; -1: none. */
    private byte[] response = NONE;
    private int[] valueFrom = new int[32];
    private int[] valueTo = new int[32];
    private String[] names = new String[32];
    private int count = -1;
    /** Whether reading that response reported nothing and each member had a name of its own. */
    private boolean folded;
    /** Bit i: member i of the object the current event's check located has the bytes of the response's member i. */
    private long sameAtCheck;
    /** Whether each member of that response had a name of its own. */
    private boolean distinctNames;
    /** The hashes of names met so far, one bit each, while names are checked for a repeat. */
    private static final int SEEN_BITS = 512;
    private final long[] seen = new long[SEEN_BITS / 64];
    /** The content part object last read whole from checked bytes. */
    private final KeptBytes part = new KeptBytes();
    /** The logprobs list last met with entries in an event's checked bytes (a done text's: its done part repeats it). */
    private final KeptBytes list = new KeptBytes();
    /**
     * The object elements of the located object's arrays that the current event's check located as it passed them (a
     * terminal response's output items that repeat nothing kept: re-encrypted reasoning, a new item), in the order they
     * lie in the event, so that reading them does not locate their members again; how many, and the next one a reader
     * may ask for. At most {@link #MAX_LOCATED} an event: the rest are only checked, and read as before.
     */
    private static final int MAX_LOCATED = 64;
    private JsonMembers[] elements = new JsonMembers[4];
    private int elementCount;
    private int elementCursor;

    CheckedRepeats(final OutputItems items, final int maxStringBytes)
    {
        this.items = items;
        this.maxStringBytes = maxStringBytes;
    }

    void reset()
    {
        count = -1;
        folded = false;
        part.release();
        list.release();
        // Let go when large, as KeptBytes lets its arrays go (the pool would keep it otherwise).
        if (response.length > KeptBytes.KEPT_BYTES)
        {
            response = NONE;
        }
    }

    /** Elements a reader took as the check located them (for tests: the path is taken). */
    long locatedElements;
    /** Values recognised so far (for tests: the path is taken). */
    long recognised;

    @Override
    public int knownEnd(final int member, final byte[] src, final int from, final int limit, final int maxDepth)
    {
        final int end = recognise(member, src, from, limit, maxDepth);
        if (end >= 0)
        {
            recognised++;
        }
        return end;
    }

    private int recognise(final int member, final byte[] src, final int from, final int limit, final int maxDepth)
    {
        // A response member at the place it had last time (any inner object's members may take the same nesting).
        if (member < count)
        {
            final int n = valueTo[member] - valueFrom[member];
            if (n <= limit - from && Arrays.equals(response, valueFrom[member], valueTo[member], src, from, from + n))
            {
                if (member < Long.SIZE)
                {
                    sameAtCheck |= 1L << member;
                }
                return from + n;
            }
        }
        switch (src[from])
        {
            case '"':
                return items.agreedEnd(src, from, limit);
            case '[':
                return list.repeatsAt(src, from, limit) && list.nestsWithin(maxDepth) ? from + list.length() :
                    elementsEnd(src, from, limit, maxDepth);
            default:
                return JsonBytes.REFUSED;
        }
    }

    /** An array whose object elements may repeat items read whole and final, or the last part: the others checked. */
    private int elementsEnd(final byte[] src, final int from, final int limit, final int maxDepth)
    {
        if (maxDepth < 1 || (part.length() < 0 && !items.anyFinal()))
        {
            return JsonBytes.REFUSED;
        }
        int i = JsonBytes.skipWhitespace(src, from + 1, limit);
        if (i < limit && src[i] == ']')
        {
            return i + 1;
        }
        for (int position = 0; i < limit; position++)
        {
            int end = src[i] == '{' ? knownObject(src, i, limit, position, maxDepth - 1) : JsonBytes.REFUSED;
            if (end < 0 && src[i] == '{' && elementCount < MAX_LOCATED)
            {
                end = locateElement(src, i, limit, maxDepth - 1);
            }
            if (end < 0)
            {
                end = JsonBytes.valueEnd(src, i, limit, maxDepth - 1, maxStringBytes);
                if (end < 0)
                {
                    return JsonBytes.REFUSED;
                }
            }
            i = JsonBytes.skipWhitespace(src, end, limit);
            if (i >= limit)
            {
                break;
            }
            if (src[i] == ']')
            {
                return i + 1;
            }
            if (src[i] != ',')
            {
                break;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
        }
        return JsonBytes.REFUSED;
    }

    /**
     * Checks the object element at {@code src[from]}, locating its members for the reader (see {@link #locatedElement}).
     *
     * @return the index just past it, or {@link JsonBytes#REFUSED} (then {@link JsonBytes#valueEnd} decides, as before).
     */
    private int locateElement(final byte[] src, final int from, final int limit, final int maxDepth)
    {
        if (elementCount == elements.length)
        {
            elements = Arrays.copyOf(elements, elementCount * 2);
        }
        JsonMembers m = elements[elementCount];
        if (m == null)
        {
            // One table of names for all of them: its bound (see NameTable) holds for the pool.
            m = elementCount == 0 ? new JsonMembers() : new JsonMembers(elements[0]);
            elements[elementCount] = m;
        }
        final int end = m.checkObjectAt(src, from, limit, maxDepth, maxStringBytes);
        if (end >= 0)
        {
            elementCount++;
        }
        return end;
    }

    /**
     * The members of the object element at {@code bytes[from]} as the current event's check located them, asked in the
     * order the elements lie (a reader walking an array: those it skips are passed over).
     *
     * @return null when the check did not locate that element (then it is read from its bytes).
     */
    JsonMembers locatedElement(final byte[] bytes, final int from)
    {
        while (elementCursor < elementCount)
        {
            final JsonMembers m = elements[elementCursor];
            if (m.bytes() != bytes || m.start() > from)
            {
                return null;
            }
            elementCursor++;
            if (m.start() == from)
            {
                locatedElements++;
                return m;
            }
        }
        return null;
    }

    private int knownObject(final byte[] src, final int from, final int limit, final int position, final int maxDepth)
    {
        if (position < items.size())
        {
            final KeptBytes kept = items.get(position).finalItem;
            if (kept.checked() && kept.repeatsAt(src, from, limit) && kept.nestsWithin(maxDepth))
            {
                return from + kept.length();
            }
        }
        if (part.repeatsAt(src, from, limit) && part.nestsWithin(maxDepth))
        {
            return from + part.length();
        }
        return JsonBytes.REFUSED;
    }

    /** @return whether the content part last kept repeats at {@code src[from]}, before {@code limit}. */
    boolean partRepeatsAt(final byte[] src, final int from, final int limit)
    {
        return part.repeatsAt(src, from, limit);
    }

    /** @return the length of the content part last kept. */
    int partLength()
    {
        return part.length();
    }

    /** Keeps the logprobs list {@code src[from, to)}, with entries, of an event whose check accepted it. */
    void keepList(final byte[] src, final int from, final int to)
    {
        list.keep(src, from, to, true);
    }

    /** Keeps the content part object {@code src[from, to)}, read whole from checked bytes. */
    void keepPart(final byte[] src, final int from, final int to)
    {
        part.keep(src, from, to, true);
    }

    /**
     * @param located whether {@code m} are the members the event's check located (its notes then stand for the bytes).
     * @return whether response member {@code i} of {@code m} is, name and bytes, the member at the same place in the
     *         response last read (the caller asks only when that read reported nothing and named each member once, see
     *         {@link #beginRead}): keeping it again changes nothing.
     */
    boolean folded(final JsonMembers m, final int i, final boolean located)
    {
        if (i >= count || !m.name(i).equals(names[i]))
        {
            return false;
        }
        if (located && i < Long.SIZE && (sameAtCheck & (1L << i)) != 0)
        {
            // The event's check found these very bytes equal to the same member's (see #beginCheck).
            return true;
        }
        return Arrays.equals(response, valueFrom[i], valueTo[i], m.bytes(), m.valueStart(i), m.valueEnd(i));
    }

    /**
     * An event's check begins: the response members it finds at the place and with the bytes they had in the response last
     * read are noted (the first 64), so that reading the response it located need not compare them again.
     */
    void beginCheck()
    {
        sameAtCheck = 0;
        elementCount = 0;
        elementCursor = 0;
    }

    /** Keeps the response object whose members {@code m} located in checked bytes; {@code clean}: read without a report. */
    void keepResponse(final JsonMembers m, final boolean clean)
    {
        final int start = m.start();
        final int n = m.end() - start;
        if (response.length < n)
        {
            response = new byte[Math.max(n, response.length * 2)];
        }
        System.arraycopy(m.bytes(), start, response, 0, n);
        final int members = m.count();
        if (valueFrom.length < members)
        {
            valueFrom = new int[members * 2];
            valueTo = new int[members * 2];
            names = new String[members * 2];
        }
        // The same names as last time, the same instances in the same places (a lifecycle event repeats them): distinct
        // as they were, without comparing every pair again.
        boolean same = members == count;
        for (int i = 0; i < members; i++)
        {
            valueFrom[i] = m.valueStart(i) - start;
            valueTo[i] = m.valueEnd(i) - start;
            same = same && names[i] == m.name(i);
            names[i] = m.name(i);
        }
        if (!same)
        {
            distinctNames = distinct(names, members);
        }
        count = members;
        folded = clean && distinctNames;
    }

    /**
     * @return whether the first {@code n} names are all different. A name whose hash lands on a bit no name before it set
     *         differs from all of them; only one that lands on a set bit is compared with each (a response's 30-odd names
     *         in 512 bits: a few are).
     */
    private boolean distinct(final String[] names, final int n)
    {
        Arrays.fill(seen, 0L);
        for (int i = 0; i < n; i++)
        {
            final String name = names[i];
            final int hash = name.hashCode();
            final int bit = (hash ^ (hash >>> 9) ^ (hash >>> 18)) & (SEEN_BITS - 1);
            final long mask = 1L << bit;
            if ((seen[bit >>> 6] & mask) != 0)
            {
                for (int k = 0; k < i; k++)
                {
                    if (names[k] == name || names[k].hashCode() == hash && names[k].equals(name))
                    {
                        return false;
                    }
                }
            }
            seen[bit >>> 6] |= mask;
        }
        return true;
    }

    /** Forgets the response last read (one read from unchecked bytes takes its place). */
    void forgetResponse()
    {
        count = -1;
        folded = false;
    }

    /**
     * A response is about to be read: until it is kept, no member counts as folded (a read cut short by an error may
     * have changed what the last one kept).
     *
     * @return whether the response last read may spare the fold ({@link #folded}).
     */
    boolean beginRead()
    {
        final boolean was = folded;
        folded = false;
        return was;
    }

    /**
     * @return how many bytes of the little-endian word {@code w} come before its first quote or bracket (8 when none).
     *         With 0x20 set in each byte, '[' and ']' read as '{' and '}'; so does nothing else but a control byte, which
     *         a checked value has none of outside its strings (and a false find only costs a byte-wise step).
     */
    static int plainBytes(final long w)
    {
        final long y = w | 0x2020202020202020L;
        final long found = zeroBytes(y ^ 0x7B7B7B7B7B7B7B7BL) | zeroBytes(y ^ 0x7D7D7D7D7D7D7D7DL) | zeroBytes(y ^ 0x2222222222222222L);
        return Long.numberOfTrailingZeros(found) >>> 3;
    }

    /** @return the high bit set in each byte of {@code v} that is zero, the lowest one exact (borrows only run upwards). */
    private static long zeroBytes(final long v)
    {
        return (v - 0x0101010101010101L) & ~v & 0x8080808080808080L;
    }

    /**
     * @return how many bytes of {@code src[from, to)} are '[' or '{', inside strings too: no value nests deeper than that.
     *         With 0x20 set, those two read as '{' and nothing else does.
     */
    static int openings(final byte[] src, final int from, final int to)
    {
        int n = 0;
        int i = from;
        for (; to - i >= Long.BYTES; i += Long.BYTES)
        {
            final long t = ((long)LONGS.get(src, i) | 0x2020202020202020L) ^ 0x7B7B7B7B7B7B7B7BL;
            // The high bit of each byte that is zero, exactly (no borrow crosses a byte).
            n += Long.bitCount(~(((t & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | t | 0x7F7F7F7F7F7F7F7FL));
        }
        for (; i < to; i++)
        {
            if ((src[i] | 0x20) == '{')
            {
                n++;
            }
        }
        return n;
    }

    /** @return the nesting of the checked value {@code src[from, to)}, itself counting one. */
    static int depth(final byte[] src, final int from, final int to)
    {
        int depth = 0;
        int most = 0;
        int i = from;
        while (i < to)
        {
            if (to - i >= Long.BYTES)
            {
                // Eight bytes at a time up to the next quote or bracket (the numbers and commas of a logprobs list).
                final int skip = plainBytes((long)LONGS.get(src, i));
                if (skip > 0)
                {
                    i += skip;
                    continue;
                }
            }
            final byte b = src[i];
            if (b == '"')
            {
                i = JsonMembers.skip(src, i, to);
                continue;
            }
            if (b == '{' || b == '[')
            {
                if (++depth > most)
                {
                    most = depth;
                }
            }
            else if (b == '}' || b == ']')
            {
                depth--;
            }
            i++;
        }
        return most;
    }
}
