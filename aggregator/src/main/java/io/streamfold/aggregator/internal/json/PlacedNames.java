package io.streamfold.aggregator.internal.json;

import java.util.Arrays;

/**
 * The canonical name of each member place of an object as {@link JsonMembers} last located it. Events of one kind
 * repeat their names in one order, so the name at a place is mostly the one there last time: a name the table keeps
 * is remembered as its length and, up to 16 bytes, its first and last eight bytes as words (one masked word below
 * eight bytes), which two word compares confirm; a longer one ({@code completion_tokens_details}) by its kept bytes,
 * compared a word at a time. Only another name is looked up in the {@link NameTable}.
 */
final class PlacedNames
{
    private final NameTable table;
    private String[] names = new String[16];
    /** Length of the name at each place when it can be confirmed by words, else -1. */
    private int[] lengths = unknown(16);
    private long[] heads = new long[16];
    private long[] tails = new long[16];
    /** The table's bytes of a name longer than 16 bytes at each place (null for a shorter one). */
    private byte[][] keys = new byte[16][];
    /**
     * Whether the name at each place is plain ASCII as {@link JsonBytes#plainAsciiEnd} means it (no quote, backslash,
     * control byte or byte of a multi-byte character): one that any check accepts, so
     * that {@link #repeatedClose} may answer for it (a name located in bytes the token reader accepted may hold an
     * escape, which the strict check refuses).
     */
    private boolean[] plain = new boolean[16];

    PlacedNames(final NameTable table)
    {
        this.table = table;
    }

    /** @return the name at {@code place}, canonical; null for an array element. */
    String get(final int place)
    {
        return names[place];
    }

    /** Place {@code place} holds an array element, which has no name. */
    void setNone(final int place)
    {
        names[place] = null;
        lengths[place] = -1;
        plain[place] = false;
    }

    /** Place {@code place} holds the member named {@code src[from, to)} (its bytes as sent, without quotes). */
    void set(final int place, final byte[] src, final int from, final int to)
    {
        if (same(place, src, from, to))
        {
            return;
        }
        names[place] = table.canonical(src, from, to);
        final byte[] key = table.lastKey();
        final int n = key == null ? -1 : key.length;
        lengths[place] = n;
        keys[place] = n > 16 ? key : null;
        plain[place] = n >= 0 && JsonBytes.plainAsciiEnd(key, 0, n) == n;
        if (n >= 0 && n <= 16)
        {
            heads[place] = NameTable.head(key, 0, n);
            tails[place] = n > 8 ? NameTable.word(key, n - 8) : 0;
        }
    }

    /**
     * Where a name that repeats the one kept at {@code place} closes: events of one kind send their names in one order,
     * so the bytes just past a name's opening quote mostly are the name kept there, then its closing quote. Confirmed by
     * the same word compares as {@link #set}, that answer spares the scan for the name's end (a loop whose exit
     * mispredicts on every name, the lengths differing) and the compares {@link #set} would make again.
     *
     * @param from index just past the name's opening quote.
     * @return the index of its closing quote, or -1 when the bytes there are not the kept name then a quote (the name
     *         is then scanned as any other; a name kept is one that scan accepted, so any name it answers for is).
     */
    int repeatedClose(final int place, final byte[] src, final int from, final int limit)
    {
        if (place >= lengths.length || !plain[place])
        {
            return -1;
        }
        final int close = from + lengths[place];
        return close >= from && close < limit && src[close] == '"' && same(place, src, from, close) ? close : -1;
    }

    private boolean same(final int place, final byte[] src, final int from, final int to)
    {
        final int n = to - from;
        if (n != lengths[place])
        {
            return false;
        }
        if (n > 16)
        {
            return NameTable.sameBytes(keys[place], src, from, to);
        }
        if (n > 8)
        {
            return NameTable.word(src, from) == heads[place] && NameTable.word(src, to - 8) == tails[place];
        }
        // A short name is followed by its closing quote and more: the word read past it mostly lies in the array.
        return (from + 8 <= src.length ? NameTable.word(src, from) & NameTable.mask(n) : NameTable.head(src, from, n)) == heads[place];
    }

    /** Room for {@code n} places (16 at first, as the member arrays of {@link JsonMembers}, which grow it with theirs). */
    void grow(final int n)
    {
        final int old = names.length;
        names = Arrays.copyOf(names, n);
        lengths = Arrays.copyOf(lengths, n);
        Arrays.fill(lengths, old, n, -1);
        heads = Arrays.copyOf(heads, n);
        tails = Arrays.copyOf(tails, n);
        keys = Arrays.copyOf(keys, n);
        plain = Arrays.copyOf(plain, n);
    }

    private static int[] unknown(final int n)
    {
        final int[] lengths = new int[n];
        Arrays.fill(lengths, -1);
        return lengths;
    }
}
