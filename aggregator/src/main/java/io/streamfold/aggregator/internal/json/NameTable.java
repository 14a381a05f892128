package io.streamfold.aggregator.internal.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.streamfold.parser.internal.Bytes;

/**
 * Member names as canonical strings, for {@link JsonMembers}: a name is turned into a string once, the first time it is
 * seen (as Jackson's symbol table does), and found again by its bytes, so reading an event's names allocates nothing
 * in the steady state. One per {@link JsonMembers}.
 */
final class NameTable
{
    /**
     * Names kept canonical, and the longest kept: beyond them a name is a new string each time (correct, not
     * cached), so a hostile stream of ever new or huge names cannot grow the table past 64 KiB of keys.
     */
    private static final int MAX_NAMES = 1024;
    private static final int MAX_NAME_BYTES = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 2^64 / golden ratio: a multiply by it spreads a word's bits into the high half the hash keeps. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private byte[][] tableKeys = new byte[64][];
    private String[] tableNames = new String[64];
    private int tableSize;
    private byte[] lastKey;
    /** Decodes an escaped name (a re-read of bytes the full parser accepted); shared with the owner's captures. */
    private final StringDecoder decoder;

    NameTable(final StringDecoder decoder)
    {
        this.decoder = decoder;
    }

    /** The one string for a name's bytes, made the first time the name is seen. */
    String canonical(final byte[] bytes, final int from, final int to)
    {
        if (to - from > MAX_NAME_BYTES)
        {
            lastKey = null;
            return decodeName(bytes, from, to, false);
        }
        final int mask = tableKeys.length - 1;
        int slot = nameHash(bytes, from, to) & mask;
        byte[] key;
        while ((key = tableKeys[slot]) != null)
        {
            if (sameBytes(key, bytes, from, to))
            {
                lastKey = key;
                return tableNames[slot];
            }
            slot = (slot + 1) & mask;
        }
        lastKey = null;
        final String name = decodeName(bytes, from, to, tableSize < MAX_NAMES);
        if (tableSize < MAX_NAMES)
        {
            lastKey = Arrays.copyOfRange(bytes, from, to);
            tableKeys[slot] = lastKey;
            tableNames[slot] = name;
            if (++tableSize * 2 > tableKeys.length)
            {
                grow();
            }
        }
        return name;
    }

    /**
     * A name's hash from at most two words: its first and last eight bytes (they overlap below sixteen) and its
     * length; a shorter name's bytes in one. A byte-by-byte hash is a chain of multiplies as long as the name, paid
     * for every member of every event scanned. Names that share both ends and the length only share a slot chain.
     */
    private static int nameHash(final byte[] bytes, final int from, final int to)
    {
        final int n = to - from;
        long h;
        if (n >= 8)
        {
            h = ((long)LONGS.get(bytes, from) * GOLDEN) ^ (long)LONGS.get(bytes, to - 8);
        }
        else
        {
            h = 0;
            for (int k = from; k < to; k++)
            {
                h = (h << 8) | (bytes[k] & 0xFF);
            }
        }
        h = (h + n) * GOLDEN;
        return (int)(h >>> 32);
    }

    /**
     * @return the bytes of the name the last {@link #canonical} call answered for, as the table keeps them (the same
     *         array while the name is kept), or null when that name is not kept: its string is then new each time.
     */
    byte[] lastKey()
    {
        return lastKey;
    }

    /** @return the eight bytes at {@code src[at]} as a little-endian word. */
    static long word(final byte[] src, final int at)
    {
        return (long)LONGS.get(src, at);
    }

    /** @return the bytes of {@code n} (0 to 8) ones in a little-endian word's low bytes. */
    static long mask(final int n)
    {
        return n == 8 ? -1L : (1L << (8 * n)) - 1;
    }

    /** @return the first {@code min(n, 8)} bytes at {@code src[from]} as a little-endian word, the rest zero. */
    static long head(final byte[] src, final int from, final int n)
    {
        if (n >= 8)
        {
            return word(src, from);
        }
        long w = 0;
        for (int k = n - 1; k >= 0; k--)
        {
            w = (w << 8) | (src[from + k] & 0xFF);
        }
        return w;
    }

    /** Word by word (names are short, where a general array comparison costs more to call than to run). */
    static boolean sameBytes(final byte[] key, final byte[] bytes, final int from, final int to)
    {
        final int n = key.length;
        if (n != to - from)
        {
            return false;
        }
        if (n < 8)
        {
            for (int k = 0; k < n; k++)
            {
                if (key[k] != bytes[from + k])
                {
                    return false;
                }
            }
            return true;
        }
        return Bytes.sameWords(key, 0, bytes, from, n);
    }

    /** @param intern true for a name kept in the table (a bounded number of them). */
    private String decodeName(final byte[] bytes, final int from, final int to, final boolean intern)
    {
        final String name;
        if (!hasEscape(bytes, from, to))
        {
            name = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        }
        else
        {
            // Only in bytes the full parser accepted (a re-read): it decodes the escapes the same way.
            decoder.decode(bytes, from, to + 1);
            name = new String(decoder.chars(), 0, decoder.length());
        }
        return intern ? name.intern() : name;
    }

    private void grow()
    {
        final byte[][] keys = tableKeys;
        final String[] values = tableNames;
        tableKeys = new byte[keys.length * 2][];
        tableNames = new String[keys.length * 2];
        final int mask = tableKeys.length - 1;
        for (int k = 0; k < keys.length; k++)
        {
            if (keys[k] != null)
            {
                int slot = nameHash(keys[k], 0, keys[k].length) & mask;
                while (tableKeys[slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                tableKeys[slot] = keys[k];
                tableNames[slot] = values[k];
            }
        }
    }

    private static boolean hasEscape(final byte[] bytes, final int from, final int to)
    {
        for (int k = from; k < to; k++)
        {
            if (bytes[k] == '\\')
            {
                return true;
            }
        }
        return false;
    }
}
