package io.streamfold.aggregator.internal.fold;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.streamfold.aggregator.internal.json.JsonBytes;
import io.streamfold.parser.internal.Bytes;

/**
 * The learnt event of an {@link EventTemplate} as literal segments and the varying pieces between them: the slots
 * read and every run of whitespace between tokens (Anthropic pads its events with a run of spaces of random
 * length), each with where it starts and ends in {@link #bytes}; segment k ends where piece k starts. Also where
 * each object slot's brackets lie, as a segment and an offset in it, so that a match knows where the object is.
 */
final class TemplatePieces
{
    /** Piece marker: a run of whitespace between tokens, any length (none included) in a matching event. */
    static final int WHITESPACE = -1;
    /** More varying pieces than this (pretty-printed events) and the event is not learnt. */
    private static final int MAX_PIECES = 512;

    /** Runs up to this many bytes are compared by {@link #sameShort}. */
    static final int SHORT = 16;
    /** Longer runs than this are compared by the vectorized {@link Arrays#equals}. */
    private static final int WORDS = 256;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    byte[] bytes = new byte[256];
    int length;
    int count;
    int[] pieceStart = new int[8];
    int[] pieceEnd = new int[8];
    /** Slot number of each piece, or {@link #WHITESPACE}; and how the piece is scanned. */
    int[] pieceSlot = new int[8];
    int[] pieceKind = new int[8];
    /** Per match: where literal segment k starts in the input. */
    int[] segmentAt = new int[9];
    /**
     * For a whitespace piece, the first piece after it that is a slot (or {@link #count}): the learnt bytes up to
     * there can be compared at once when the event is spaced as learnt.
     */
    int[] spanEnd = new int[8];
    /** What any matching event has at least. */
    int literalBytes;
    /** Object slots, and the segment and offset in it of each one's first and last byte. */
    int objects;
    int[] objectSlot = new int[2];
    private int[] firstSegment = new int[2];
    private int[] firstOffset = new int[2];
    private int[] lastSegment = new int[2];
    private int[] lastOffset = new int[2];

    /**
     * Copies the event and lists the slots read ({@code read} of them, in byte order) and the whitespace runs
     * outside strings, slots and {@link EventShape#LITERAL} values, in byte order.
     *
     * @return false when there are too many.
     */
    boolean find(final byte[] src, final int offset, final int size, final int[] order, final int read, final int[] type,
        final int[] start, final int[] end)
    {
        if (bytes.length < size)
        {
            bytes = new byte[Math.max(size, bytes.length * 2)];
        }
        System.arraycopy(src, offset, bytes, 0, size);
        length = size;
        count = 0;
        objects = 0;
        literalBytes = length;
        int next = 0;
        // Where the next slot read starts: the bytes before it are walked token by token, a string crossed whole (a
        // slot starts at a value's first byte, never inside a string).
        int stop = read > 0 ? start[order[0]] - offset : length;
        int i = 0;
        while (i < length)
        {
            if (i == stop)
            {
                final int s = order[next++];
                stop = next < read ? start[order[next]] - offset : length;
                if (type[s] != EventShape.LITERAL && type[s] != EventShape.COUNTER)
                {
                    if (!add(i, end[s] - offset, s))
                    {
                        return false;
                    }
                    literalBytes -= end[s] - start[s];
                }
                // A literal's bytes are literal all through, its whitespace too (a counter's digits are counted up in
                // place).
                i = end[s] - offset;
                continue;
            }
            final byte b = bytes[i];
            if (b == '"')
            {
                final int after = JsonBytes.quotedEnd(bytes, i, length);
                if (after < 0 || after > stop)
                {
                    return false;
                }
                i = after;
            }
            else if (JsonBytes.isWhitespace(b))
            {
                final int runEnd = JsonBytes.skipWhitespace(bytes, i, length);
                if (!add(i, runEnd, WHITESPACE))
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
        if (segmentAt.length <= count)
        {
            segmentAt = new int[count + 1];
        }
        if (spanEnd.length < count)
        {
            spanEnd = new int[pieceStart.length];
        }
        for (int k = count - 1, j = count; k >= 0; k--)
        {
            j = pieceSlot[k] == WHITESPACE ? j : k;
            spanEnd[k] = j;
        }
        return next == read;
    }

    private boolean add(final int from, final int to, final int slot)
    {
        if (count == MAX_PIECES)
        {
            return false;
        }
        if (count == pieceStart.length)
        {
            pieceStart = Arrays.copyOf(pieceStart, count * 2);
            pieceEnd = Arrays.copyOf(pieceEnd, count * 2);
            pieceSlot = Arrays.copyOf(pieceSlot, count * 2);
            pieceKind = Arrays.copyOf(pieceKind, count * 2);
        }
        pieceStart[count] = from;
        pieceEnd[count] = to;
        pieceSlot[count] = slot;
        count++;
        return true;
    }

    /**
     * Inserts {@code b} into the learnt bytes at {@code at}, inside a literal segment: the pieces after it move by one
     * (a counter's value that needs one digit more, see {@link EventShape#COUNTER}).
     *
     * @return false, nothing changed, when an object slot is placed (its brackets' offsets are not moved).
     */
    boolean insertLiteral(final int at, final byte b)
    {
        if (objects > 0)
        {
            return false;
        }
        if (bytes.length == length)
        {
            bytes = Arrays.copyOf(bytes, length * 2);
        }
        System.arraycopy(bytes, at, bytes, at + 1, length - at);
        bytes[at] = b;
        length++;
        literalBytes++;
        for (int k = 0; k < count; k++)
        {
            if (pieceStart[k] >= at)
            {
                pieceStart[k]++;
                pieceEnd[k]++;
            }
        }
        return true;
    }

    /**
     * Places object slot {@code slot}, learnt from {@code first} to {@code last} inclusive (offsets in {@link #bytes}).
     *
     * @return false when a bracket lies in a piece.
     */
    boolean placeObject(final int slot, final int first, final int last)
    {
        if (objects == objectSlot.length)
        {
            objectSlot = Arrays.copyOf(objectSlot, objects * 2);
            firstSegment = Arrays.copyOf(firstSegment, objects * 2);
            firstOffset = Arrays.copyOf(firstOffset, objects * 2);
            lastSegment = Arrays.copyOf(lastSegment, objects * 2);
            lastOffset = Arrays.copyOf(lastOffset, objects * 2);
        }
        final int firstIn = segmentOf(first);
        final int lastIn = segmentOf(last);
        if (firstIn < 0 || lastIn < 0)
        {
            return false;
        }
        firstSegment[objects] = firstIn;
        lastSegment[objects] = lastIn;
        firstOffset[objects] = first - segmentStart(firstIn);
        lastOffset[objects] = last - segmentStart(lastIn);
        objectSlot[objects++] = slot;
        return true;
    }

    /** @return where the {@code j}-th object slot starts in the event just matched. */
    int objectStart(final int j)
    {
        return segmentAt[firstSegment[j]] + firstOffset[j];
    }

    /** @return the index just past the {@code j}-th object slot in the event just matched. */
    int objectEnd(final int j)
    {
        return segmentAt[lastSegment[j]] + lastOffset[j] + 1;
    }

    /** @return the literal segment holding learnt byte {@code at}, or -1 when it lies in a piece. */
    private int segmentOf(final int at)
    {
        for (int k = 0; k <= count; k++)
        {
            if (at >= segmentStart(k) && at < (k == count ? length : pieceStart[k]))
            {
                return k;
            }
        }
        return -1;
    }

    private int segmentStart(final int k)
    {
        return k == 0 ? 0 : pieceEnd[k - 1];
    }

    /**
     * Whether {@code n} bytes of {@code a} and {@code b} are equal, for {@code n} above {@link #SHORT}: word by word,
     * the last word overlapping, up to {@link #WORDS}. The segments of an event up to its next slot are mostly a few
     * dozen bytes, where {@link Arrays#equals} pays its range checks and a call to its vectorized compare each time.
     */
    static boolean sameWords(final byte[] a, final int aFrom, final byte[] b, final int bFrom, final int n)
    {
        return n > WORDS ? Arrays.equals(a, aFrom, aFrom + n, b, bFrom, bFrom + n) : Bytes.sameWords(a, aFrom, b, bFrom, n);
    }

    /**
     * Whether {@code n} bytes of {@code a} and {@code b} are equal, for {@code n} up to {@link #SHORT}. The literal
     * segments between slots are mostly a few bytes long ({@code ","logprob":}): compared as one or two words that
     * may overlap, where {@link Arrays#equals} would pay its set-up. Callers test the length themselves and call
     * {@link #sameWords} for longer runs: a helper that did both would not inline where events are matched.
     */
    static boolean sameShort(final byte[] a, final int aFrom, final byte[] b, final int bFrom, final int n)
    {
        if (n >= 8)
        {
            final int last = n - 8;
            return (long)LONGS.get(a, aFrom) == (long)LONGS.get(b, bFrom) &&
                (long)LONGS.get(a, aFrom + last) == (long)LONGS.get(b, bFrom + last);
        }
        if (n >= 4)
        {
            final int last = n - 4;
            return (int)INTS.get(a, aFrom) == (int)INTS.get(b, bFrom) && (int)INTS.get(a, aFrom + last) == (int)INTS.get(b, bFrom + last);
        }
        // One to three bytes ("}, a closing brace after a padding run): two pairs that may overlap, or one byte; no loop
        // whose exit depends on the length.
        if (n >= 2)
        {
            final int last = n - 2;
            return (short)SHORTS.get(a, aFrom) == (short)SHORTS.get(b, bFrom) &&
                (short)SHORTS.get(a, aFrom + last) == (short)SHORTS.get(b, bFrom + last);
        }
        return n == 0 || a[aFrom] == b[bFrom];
    }

    /**
     * A whitespace run on one line: as {@link JsonBytes#skipWhitespace} but only over spaces and tabs, so that it stops
     * at a CR or LF (a line end there is the line's end, not part of the run).
     *
     * @return index of the first byte from {@code from} that is neither a space nor a tab, or {@code limit}.
     */
    static int skipBlanks(final byte[] src, final int from, final int limit)
    {
        int i = from;
        // Runs of spaces are common (Anthropic pads every event before its closing brace): eight at a time.
        while (i + 8 <= limit)
        {
            final long notSpace = (long)LONGS.get(src, i) ^ 0x2020202020202020L;
            if (notSpace != 0)
            {
                i += Long.numberOfTrailingZeros(notSpace) >>> 3;
                break;
            }
            i += 8;
        }
        while (i < limit && (src[i] == ' ' || src[i] == '\t'))
        {
            i++;
        }
        return i;
    }
}
