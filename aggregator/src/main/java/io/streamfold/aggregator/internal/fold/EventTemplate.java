package io.streamfold.aggregator.internal.fold;

import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.aggregator.internal.json.StringDecoder;
import org.agrona.DirectBuffer;

/**
 * The repeated-event fast path every dialect shares. Streams repeat the same bytes from event to event
 * around a few values that change (the text of a delta, a sequence number, random padding). Once the
 * dialect's full decoder has folded an event of a known {@link EventShape}, the event is learnt: literal byte
 * segments with typed slots between them, where the shape's paths lead. The next event is matched by
 * comparing the literal bytes and scanning each slot with a small typed scanner; at the first byte that
 * differs, or any value a scanner is not certain to read exactly as Jackson would, {@link #match} says no and
 * the dialect runs its full decoder, which learns again or {@link #forget}s. A matched event is one whose
 * every byte outside the slots equals the learnt event's, so its effect is the learnt effect with the new slot
 * values, which the dialect reads back by slot number.
 *
 * <p>Learning refuses what could make a match mean something else than it looks: a path name present twice
 * or written with escapes, a slot value the typed scanner does not accept. Scanned values keep the full
 * path's guarantees: strings are validated (escapes, strict UTF-8) and bounded by the string length the
 * parser allows, raw values are checked whole by {@link JsonBytes}.
 */
public final class EventTemplate
{
    /** Read once: {@code -Dstreamfold.eventTemplate=false} starts every template switched off (for comparisons). */
    public static final boolean ENABLED = !"false".equals(System.getProperty("streamfold.eventTemplate"));

    private static final int MAX_INTEGER_DIGITS = 18;
    /** Piece marker: a run of whitespace between tokens, any length (none included) in a matching event. */
    private static final int WHITESPACE = -1;
    /** More varying pieces than this (pretty-printed events) and the event is not learnt. */
    private static final int MAX_PIECES = 512;
    /** Jackson's default limit on field name length; raw values keep every string under it. */
    private static final int MAX_NAME_BYTES = 50_000;

    private final int maxNestingDepth;
    private final int maxStringChars;
    private boolean enabled = ENABLED;

    private EventShape shape;
    private byte[] bytes = new byte[256];
    private int length;
    /**
     * The varying pieces of the learnt event in byte order: the shape's slots and every run of whitespace
     * between tokens (Anthropic pads its events with a run of spaces of random length), each with where it
     * starts and ends in {@link #bytes}; everything between pieces is literal.
     */
    private int pieces;
    private int[] pieceStart = new int[8];
    private int[] pieceEnd = new int[8];
    /** Shape slot number of each piece, or {@link #WHITESPACE}. */
    private int[] pieceSlot = new int[8];
    /** For a whitespace piece: the first slot piece after it (or {@link #pieces}), what a span compared at once reaches. */
    private int[] spanEnd = new int[8];
    /** Shape slot number of the k-th slot in byte order. */
    private int[] order = new int[4];
    private int literalBytes;

    /** Per shape slot: the matched value. */
    private StringDecoder[] strings = new StringDecoder[0];
    private long[] integers = new long[4];
    private long[][] integerArrays = new long[4][];
    private int[] integerArrayCounts = new int[4];
    private int[] start = new int[4];
    private int[] end = new int[4];
    private byte[] input;
    private byte[] directCopy = new byte[0];

    private final PathLocator locator;
    private long matches;

    /**
     * @param maxNestingDepth the deepest nesting the full parser allows (raw slots are refused well before it).
     * @param maxStringChars  the longest string the full parser allows (longer strings go to it, to fail there).
     */
    public EventTemplate(final int maxNestingDepth, final int maxStringChars)
    {
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringChars = maxStringChars;
        this.locator = new PathLocator(maxNestingDepth, maxStringChars);
    }

    /** Turns the fast path on or off (tests compare both); off forgets the template. */
    public void enabled(final boolean on)
    {
        enabled = on;
        forget();
    }

    /** @return whether events are learnt and matched at all. */
    public boolean enabled()
    {
        return enabled;
    }

    /** Forgets the learnt event: the next one goes to the full decoder. */
    public void forget()
    {
        shape = null;
    }

    /** @return the shape learnt, or null. */
    public EventShape shape()
    {
        return shape;
    }

    /** @return events matched since this template was created (for tests). */
    public long matches()
    {
        return matches;
    }

    /**
     * Learns the event the full decoder has just folded, when {@code shape}'s slots are all found in it.
     *
     * @return whether it was learnt (otherwise the template is forgotten).
     */
    public boolean learn(final DirectBuffer buffer, final int offset, final int count, final EventShape shape)
    {
        forget();
        if (!enabled)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            return learn(array, (int)buffer.wrapAdjustment() + offset, count, shape);
        }
        final byte[] copy = copyOf(buffer, offset, count);
        return learn(copy, 0, count, shape);
    }

    /** As {@link #learn(DirectBuffer, int, int, EventShape)}, for bytes in an array. */
    public boolean learn(final byte[] src, final int offset, final int count, final EventShape shape)
    {
        forget();
        if (!enabled)
        {
            return false;
        }
        final int slots = shape.slotCount();
        ensureSlots(shape);
        final int limit = offset + count;
        for (int s = 0; s < slots; s++)
        {
            if (!locator.locate(src, offset, limit, shape.path(s)))
            {
                return false;
            }
            start[s] = locator.start();
            end[s] = locator.end();
        }
        // Byte order of the slots; distinct leaf paths never overlap, a path inside another is refused.
        for (int s = 0; s < slots; s++)
        {
            order[s] = s;
        }
        for (int a = 1; a < slots; a++)
        {
            final int s = order[a];
            int b = a - 1;
            while (b >= 0 && start[order[b]] > start[s])
            {
                order[b + 1] = order[b];
                b--;
            }
            order[b + 1] = s;
        }
        for (int k = 1; k < slots; k++)
        {
            if (start[order[k]] < end[order[k - 1]])
            {
                return false;
            }
        }
        // The learnt values must be ones the scanners accept, or no later event could match as they do.
        for (int s = 0; s < slots; s++)
        {
            if (scan(shape, s, src[start[s]], src, start[s], limit) != end[s])
            {
                return false;
            }
        }
        if (!sameStringsValid(shape, src, limit))
        {
            return false;
        }
        if (bytes.length < count)
        {
            bytes = new byte[Math.max(count, bytes.length * 2)];
        }
        System.arraycopy(src, offset, bytes, 0, count);
        length = count;
        if (!findPieces(shape, offset, slots))
        {
            return false;
        }
        spanEnd = spanEnd.length < pieces ? new int[pieceStart.length] : spanEnd;
        for (int k = pieces - 1, j = pieces; k >= 0; k--)
        {
            j = pieceSlot[k] == WHITESPACE ? j : k;
            spanEnd[k] = j;
        }
        this.shape = shape;
        return true;
    }

    /**
     * Lists the slots and the whitespace runs outside strings, slots and {@link EventShape#LITERAL} values, in byte
     * order, and counts the literal bytes (what any matching event has at least).
     */
    private boolean findPieces(final EventShape shape, final int offset, final int slots)
    {
        pieces = 0;
        literalBytes = length;
        int next = 0;
        boolean inString = false;
        int i = 0;
        while (i < length)
        {
            if (next < slots && i == start[order[next]] - offset)
            {
                final int s = order[next++];
                if (shape.type(s) == EventShape.LITERAL)
                {
                    // Literal bytes all through, its whitespace too.
                    i = end[s] - offset;
                    continue;
                }
                if (!addPiece(i, end[s] - offset, s))
                {
                    return false;
                }
                literalBytes -= end[s] - start[s];
                i = end[s] - offset;
                continue;
            }
            final byte b = bytes[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }
                i++;
            }
            else if (b == '"')
            {
                inString = true;
                i++;
            }
            else if (isWhitespace(b))
            {
                final int runEnd = JsonBytes.skipWhitespace(bytes, i, length);
                if (!addPiece(i, runEnd, WHITESPACE))
                {
                    return false;
                }
                literalBytes -= runEnd - i;
                i = runEnd;
            }
            else
            {
                i++;
            }
        }
        return next == slots;
    }

    private boolean addPiece(final int from, final int to, final int slot)
    {
        if (pieces == MAX_PIECES)
        {
            return false;
        }
        if (pieces == pieceStart.length)
        {
            pieceStart = Arrays.copyOf(pieceStart, pieces * 2);
            pieceEnd = Arrays.copyOf(pieceEnd, pieces * 2);
            pieceSlot = Arrays.copyOf(pieceSlot, pieces * 2);
        }
        pieceStart[pieces] = from;
        pieceEnd[pieces] = to;
        pieceSlot[pieces] = slot;
        pieces++;
        return true;
    }

    /**
     * Matches an event against the learnt one; on success the slot values are readable until the next call.
     *
     * @return false when nothing is learnt or any literal byte or slot value differs: the full decoder must read it.
     */
    public boolean match(final DirectBuffer buffer, final int offset, final int count)
    {
        if (shape == null || count < literalBytes)
        {
            return false;
        }
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            return match(array, (int)buffer.wrapAdjustment() + offset, count);
        }
        return match(copyOf(buffer, offset, count), 0, count);
    }

    /** As {@link #match(DirectBuffer, int, int)}, for bytes in an array. */
    public boolean match(final byte[] src, final int offset, final int count)
    {
        final EventShape shape = this.shape;
        if (shape == null || count < literalBytes)
        {
            return false;
        }
        final byte[] bytes = this.bytes;
        final int limit = offset + count;
        int at = offset;
        int literal = 0;
        for (int k = 0; k < pieces; k++)
        {
            if (pieceSlot[k] == WHITESPACE)
            {
                // Spaced as learnt (the usual case), the bytes up to the next slot compare at once, runs ending as learnt.
                final int j = spanEnd[k];
                final int to = j < pieces ? pieceStart[j] : length;
                final int end = at + to - literal;
                if ((j < pieces ? end < limit && !isWhitespace(src[end]) : end == limit) &&
                    Arrays.equals(bytes, literal, to, src, at, end))
                {
                    at = end;
                    literal = to;
                    k = j - 1;
                    continue;
                }
            }
            final int literalEnd = pieceStart[k];
            final int next = at + literalEnd - literal;
            if (next > limit || !Arrays.equals(bytes, literal, literalEnd, src, at, next))
            {
                return false;
            }
            final int s = pieceSlot[k];
            if (s == WHITESPACE)
            {
                at = JsonBytes.skipWhitespace(src, next, limit);
            }
            else
            {
                if (next == limit)
                {
                    return false;
                }
                final int valueEnd = scan(shape, s, bytes[literalEnd], src, next, limit);
                if (valueEnd < 0)
                {
                    return false;
                }
                start[s] = next;
                end[s] = valueEnd;
                at = valueEnd;
            }
            literal = pieceEnd[k];
        }
        if (limit - at != length - literal || !Arrays.equals(bytes, literal, length, src, at, limit) ||
            !sameStringsValid(shape, src, limit))
        {
            return false;
        }
        input = src;
        matches++;
        return true;
    }

    /**
     * Checks the {@link EventShape#SAME_STRING} slots, only delimited while matching: one that repeats its
     * original's bytes (quotes included) is the string that was checked there; another is checked on its own.
     */
    private boolean sameStringsValid(final EventShape shape, final byte[] src, final int limit)
    {
        for (final int s : shape.sameStrings())
        {
            final int o = shape.original(s);
            if (!Arrays.equals(src, start[s], end[s], src, start[o], end[o]) &&
                JsonBytes.valueEnd(src, start[s], limit, 0, Math.min(maxStringChars, MAX_NAME_BYTES)) != end[s])
            {
                return false;
            }
        }
        return true;
    }

    /** @return the shape slot number of the {@code k}-th slot in byte order (effects that must keep the event's order). */
    public int slotInByteOrder(final int k)
    {
        return order[k];
    }

    /** @return the decoded chars of string slot {@code slot} (valid up to {@link #stringLength}). */
    public char[] stringChars(final int slot)
    {
        return strings[slot].chars();
    }

    /** @return the decoded length of string slot {@code slot}. */
    public int stringLength(final int slot)
    {
        return strings[slot].length();
    }

    /** @return the value of integer slot {@code slot}. */
    public long integer(final int slot)
    {
        return integers[slot];
    }

    /** @return the values of integer-array slot {@code slot} (valid up to {@link #integerCount}). */
    public long[] integers(final int slot)
    {
        return integerArrays[slot];
    }

    /** @return how many integers array slot {@code slot} held. */
    public int integerCount(final int slot)
    {
        return integerArrayCounts[slot];
    }

    /** @return the array holding the matched event (for {@link #valueStart} / {@link #valueEnd}). */
    public byte[] input()
    {
        return input;
    }

    /** @return where slot {@code slot}'s value starts in {@link #input()}. */
    public int valueStart(final int slot)
    {
        return start[slot];
    }

    /** @return the index just past slot {@code slot}'s value in {@link #input()}. */
    public int valueEnd(final int slot)
    {
        return end[slot];
    }

    /**
     * Scans one slot value of the given type, which must start with the byte the learnt value started with.
     *
     * @return the index just past it, or {@link JsonBytes#REFUSED}.
     */
    private int scan(final EventShape shape, final int slot, final byte first, final byte[] src, final int from, final int limit)
    {
        if (!sameKind(first, src[from]))
        {
            return JsonBytes.REFUSED;
        }
        switch (shape.type(slot))
        {
            case EventShape.STRING:
            {
                if (first != '"')
                {
                    return JsonBytes.REFUSED;
                }
                final int close = strings[slot].decode(src, from + 1, limit);
                return close < 0 || close - from - 1 > maxStringChars ? JsonBytes.REFUSED : close + 1;
            }
            case EventShape.INTEGER:
                return integer(slot, src, from, limit);
            case EventShape.NUMBER:
                return JsonBytes.numberEnd(src, from, limit);
            case EventShape.INTEGER_ARRAY:
                return first == '[' ? integerArray(slot, src, from, limit) : JsonBytes.REFUSED;
            case EventShape.SAME_STRING:
                // Checked once every slot is scanned (sameStringsValid): the original may come later.
                return first == '"' ? JsonBytes.quotedEnd(src, from, limit) : JsonBytes.REFUSED;
            case EventShape.SCANNED:
                return shape.scanner(slot).valueEnd(src, from, limit, maxNestingDepth - shape.path(slot).length - 2,
                    Math.min(maxStringChars, MAX_NAME_BYTES));
            default:
                // Enclosing objects count towards the parser's depth: leave a margin rather than meet it exactly.
                return JsonBytes.valueEnd(src, from, limit, maxNestingDepth - shape.path(slot).length - 2,
                    Math.min(maxStringChars, MAX_NAME_BYTES));
        }
    }

    private static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** A value starts as the learnt one did: the same bracket, quote or literal, or a number for a number. */
    private static boolean sameKind(final byte learnt, final byte b)
    {
        return isNumberStart(learnt) ? isNumberStart(b) : b == learnt;
    }

    private static boolean isNumberStart(final byte b)
    {
        return b == '-' || (b >= '0' && b <= '9');
    }

    private int integer(final int slot, final byte[] src, final int from, final int limit)
    {
        int i = from;
        final boolean negative = src[i] == '-';
        if (negative)
        {
            i++;
        }
        final int digits = JsonBytes.digitsEnd(src, i, limit);
        final int n = digits - i;
        if (n == 0 || n > MAX_INTEGER_DIGITS || (src[i] == '0' && n > 1))
        {
            return JsonBytes.REFUSED;
        }
        if (digits < limit && (src[digits] == '.' || src[digits] == 'e' || src[digits] == 'E'))
        {
            return JsonBytes.REFUSED;
        }
        long v = 0;
        for (int k = i; k < digits; k++)
        {
            v = v * 10 + (src[k] - '0');
        }
        integers[slot] = negative ? -v : v;
        return digits;
    }

    private int integerArray(final int slot, final byte[] src, final int from, final int limit)
    {
        long[] values = integerArrays[slot];
        int count = 0;
        int i = JsonBytes.skipWhitespace(src, from + 1, limit);
        if (i < limit && src[i] == ']')
        {
            integerArrayCounts[slot] = 0;
            return i + 1;
        }
        while (i < limit)
        {
            final int next = integer(slot, src, i, limit);
            if (next < 0)
            {
                return JsonBytes.REFUSED;
            }
            if (count == values.length)
            {
                values = Arrays.copyOf(values, count * 2);
                integerArrays[slot] = values;
            }
            values[count++] = integers[slot];
            i = JsonBytes.skipWhitespace(src, next, limit);
            if (i >= limit)
            {
                break;
            }
            if (src[i] == ']')
            {
                integerArrayCounts[slot] = count;
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

    private void ensureSlots(final EventShape shape)
    {
        final int slots = shape.slotCount();
        if (strings.length < slots)
        {
            strings = Arrays.copyOf(strings, slots);
            integers = Arrays.copyOf(integers, Math.max(slots, integers.length));
            integerArrays = Arrays.copyOf(integerArrays, Math.max(slots, integerArrays.length));
            integerArrayCounts = Arrays.copyOf(integerArrayCounts, Math.max(slots, integerArrayCounts.length));
            start = Arrays.copyOf(start, Math.max(slots, start.length));
            end = Arrays.copyOf(end, Math.max(slots, end.length));
            order = Arrays.copyOf(order, Math.max(slots, order.length));
        }
        for (int s = 0; s < slots; s++)
        {
            if (shape.type(s) == EventShape.STRING && strings[s] == null)
            {
                strings[s] = new StringDecoder(256);
            }
            if (shape.type(s) == EventShape.INTEGER_ARRAY && integerArrays[s] == null)
            {
                integerArrays[s] = new long[8];
            }
        }
    }

    private byte[] copyOf(final DirectBuffer buffer, final int offset, final int count)
    {
        if (directCopy.length < count)
        {
            directCopy = new byte[Math.max(count, directCopy.length * 2)];
        }
        buffer.getBytes(offset, directCopy, 0, count);
        return directCopy;
    }
}
