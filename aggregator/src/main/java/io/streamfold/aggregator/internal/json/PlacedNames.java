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
        if (n >= 0 && n <= 16)
        {
            heads[place] = NameTable.head(key, 0, n);
            tails[place] = n > 8 ? NameTable.word(key, n - 8) : 0;
        }
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
    }

    private static int[] unknown(final int n)
    {
        final int[] lengths = new int[n];
        Arrays.fill(lengths, -1);
        return lengths;
    }
}
