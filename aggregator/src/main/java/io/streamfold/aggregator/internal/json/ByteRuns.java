package io.streamfold.aggregator.internal.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the end of a run of ordinary string bytes eight at a time (SWAR: one long read, a few arithmetic tests),
 * for the scans that cross long strings byte by byte otherwise: opaque encrypted reasoning, tool results, a
 * repeated answer text. The tests are the classic "has a zero byte" / "has a byte less than n" ones; their lowest
 * set bit always marks a true match, so the first matching byte is found exactly.
 */
final class ByteRuns
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    private static final long HASHES = 0x2323232323232323L;
    private static final long ZEROS = 0x3030303030303030L;
    /** Added to a byte below 0x80, sets its high bit when the byte is above '9'. */
    private static final long ABOVE_NINE = 0x4646464646464646L;
    private static final long COMMAS = 0x2C2C2C2C2C2C2C2CL;
    private static final long LOWS = ~HIGHS;
    /** Added to a byte below 0x80, sets its high bit when the byte is above the space. */
    private static final long ABOVE_SPACE = 0x5F5F5F5F5F5F5F5FL;

    private ByteRuns()
    {
    }

    /**
     * @return how many bytes of {@code [from, to)} are above the space (a multi-byte character's bytes included): in
     *         bytes a check accepted as JSON, every byte but whitespace, which is the only byte at or below the space
     *         JSON allows anywhere.
     */
    static int countAboveSpace(final byte[] src, final int from, final int to)
    {
        int n = 0;
        int i = from;
        for (; i + 8 <= to; i += 8)
        {
            final long x = (long)LONGS.get(src, i);
            // A byte below 0x80 reaches the high bit when above the space; a byte from 0x80 has it already.
            n += Long.bitCount((((x & LOWS) + ABOVE_SPACE) | x) & HIGHS);
        }
        for (; i < to; i++)
        {
            n += (src[i] & 0xFF) > ' ' ? 1 : 0;
        }
        return n;
    }

    /** @return the first index in {@code [from, limit)} holding a quote or a backslash, or {@code limit}. */
    static int quoteOrBackslash(final byte[] src, final int from, final int limit)
    {
        int i = from;
        // One word first (most strings end in it); then four words a test while none holds a match (long opaque
        // values), and the word with one found again by itself.
        if (i + 8 <= limit)
        {
            final long found = quoteOrBackslash((long)LONGS.get(src, i));
            if (found != 0)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
            while (i + 32 <= limit && (quoteOrBackslash((long)LONGS.get(src, i)) | quoteOrBackslash((long)LONGS.get(src, i + 8)) |
                quoteOrBackslash((long)LONGS.get(src, i + 16)) | quoteOrBackslash((long)LONGS.get(src, i + 24))) == 0)
            {
                i += 32;
            }
        }
        while (i + 8 <= limit)
        {
            final long found = quoteOrBackslash((long)LONGS.get(src, i));
            if (found != 0)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < limit && src[i] != '"' && src[i] != '\\')
        {
            i++;
        }
        return i;
    }

    /**
     * @return the first index in {@code [from, limit)} that is not an ASCII digit, or {@code limit}. A number's
     * digits are a short run whose length varies from value to value: one word answers for eight bytes, where a
     * byte loop would mispredict its exit.
     */
    static int digitsEnd(final byte[] src, final int from, final int limit)
    {
        int i = from;
        while (i + 8 <= limit)
        {
            final long x = (long)LONGS.get(src, i);
            // Per byte, no carry between bytes: below '0', above '9', or not ASCII.
            final long found = (~((x | HIGHS) - ZEROS) | ((x & ~HIGHS) + ABOVE_NINE) | x) & HIGHS;
            if (found != 0)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < limit && src[i] >= '0' && src[i] <= '9')
        {
            i++;
        }
        return i;
    }

    /** @return how many bytes at the start of the word at {@code at} (lying whole in {@code src}) are ASCII digits: 8 when all are. */
    static int digitsInWord(final byte[] src, final int at)
    {
        final long x = (long)LONGS.get(src, at);
        return Long.numberOfTrailingZeros((~((x | HIGHS) - ZEROS) | ((x & LOWS) + ABOVE_NINE) | x) & HIGHS) >>> 3;
    }

    /**
     * The value of {@code n} (1 to 8) ASCII digits at {@code at}, whose word lies whole in {@code src}: the digits moved to
     * the top of the word (zero bytes below them stand for leading zeros), then pairs, quads and the two halves combined by
     * three multiplications, where a loop would multiply by ten once per digit, each waiting for the last.
     */
    static long digitsValue(final byte[] src, final int at, final int n)
    {
        long w = (long)LONGS.get(src, at) << (64 - 8 * n);
        w = (w & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;
        w = (w & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;
        return (w & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;
    }

    /**
     * A flat array of integers written without whitespace or signs ({@code [32,240,159,152,128]}: a logprob entry's
     * {@code bytes}, sent on every token), eight bytes a test: each word's digits and commas marked exactly (no carry
     * between bytes), a comma must follow a digit, a number starting with {@code 0} must end there, and the first byte
     * that is neither must be the closing bracket, after a digit (or straight after the opening one). A word of eight
     * digits is refused, so every number accepted has at most 14 digits (a longer run covers a whole word). Whatever
     * this refuses (a sign, a space, a long number, anything else) may still be valid: the caller scans it otherwise.
     *
     * @param from index of the opening bracket.
     * @return the index just past the closing bracket, or -1.
     */
    static int compactIntegersEnd(final byte[] src, final int from, final int limit)
    {
        int i = from + 1;
        // Carried from the byte before i: whether it is a digit, and whether it is a 0 that starts a number.
        long digitBefore = 0;
        long zeroStartBefore = 0;
        while (i + 8 <= limit)
        {
            final long x = (long)LONGS.get(src, i);
            final long nonDigit = (~((x | HIGHS) - ZEROS) | ((x & LOWS) + ABOVE_NINE) | x) & HIGHS;
            final long c = x ^ COMMAS;
            final long comma = ~(((c & LOWS) + LOWS) | c | LOWS);
            final long other = nonDigit & ~comma;
            // Bytes before the first other one (all of the word when there is none).
            final long upTo = other == 0 ? -1L : (other & -other) - 1;
            final long digit = ~nonDigit & HIGHS & upTo;
            if (digit == HIGHS)
            {
                return -1;
            }
            // Per byte, the high bit set when the byte before it is a digit.
            final long afterDigit = digit << 8 | digitBefore << 7;
            final long z = x ^ ZEROS;
            final long zeroStart = ~(((z & LOWS) + LOWS) | z | LOWS) & digit & ~afterDigit;
            if ((comma & upTo & ~afterDigit) != 0 || ((zeroStart << 8 | zeroStartBefore << 7) & digit) != 0)
            {
                return -1;
            }
            if (other != 0)
            {
                final int at = i + (Long.numberOfTrailingZeros(other) >>> 3);
                final boolean lastIsDigit = at == i ? digitBefore != 0 : src[at - 1] != ',';
                return src[at] == ']' && (lastIsDigit || at == from + 1) ? at + 1 : -1;
            }
            digitBefore = digit >>> 63;
            zeroStartBefore = zeroStart >>> 63;
            i += 8;
        }
        boolean digitLast = digitBefore != 0;
        boolean zeroStartLast = zeroStartBefore != 0;
        for (; i < limit; i++)
        {
            final byte b = src[i];
            if (b >= '0' && b <= '9')
            {
                if (zeroStartLast)
                {
                    return -1;
                }
                zeroStartLast = !digitLast && b == '0';
                digitLast = true;
            }
            else if (b == ',' && digitLast)
            {
                digitLast = false;
                zeroStartLast = false;
            }
            else
            {
                return b == ']' && (digitLast || i == from + 1) ? i + 1 : -1;
            }
        }
        return -1;
    }

    /**
     * @return the first index in {@code [from, limit)} holding anything but printable ASCII that a JSON string
     *         carries as itself (a quote, a backslash, a control byte, a byte of a multi-byte character), or
     *         {@code limit}.
     */
    static int plainAsciiEnd(final byte[] src, final int from, final int limit)
    {
        int i = from;
        // Four words one at a time, then four a test, then word by word: the strings a template checks on every event
        // (a timestamp, an id) end within four words, where a four-word test that fails would only be repeated word
        // by word.
        for (final int shortEnd = Math.min(limit, from + 32); i + 8 <= shortEnd; i += 8)
        {
            final long found = special((long)LONGS.get(src, i));
            if (found != 0)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        // An opaque value (base64, an id, a URL) holds no byte below '#': four words a test by a cheaper test that also
        // takes a space or '!' for special (five operations a word, not eight: base64 crossed ~1.6 times as fast). Text
        // fails it at its first space, and goes on by the exact test below: one four-word test lost per string.
        while (i + 32 <= limit && ((opaqueBits((long)LONGS.get(src, i)) | opaqueBits((long)LONGS.get(src, i + 8)) |
            opaqueBits((long)LONGS.get(src, i + 16)) | opaqueBits((long)LONGS.get(src, i + 24))) & HIGHS) == 0)
        {
            i += 32;
        }
        // The high-bit mask taken once for the four words (an opaque value: base64 crossed at ~7.4 GB/s rather than ~7.1).
        while (i + 32 <= limit && ((specialBits((long)LONGS.get(src, i)) | specialBits((long)LONGS.get(src, i + 8)) |
            specialBits((long)LONGS.get(src, i + 16)) | specialBits((long)LONGS.get(src, i + 24))) & HIGHS) == 0)
        {
            i += 32;
        }
        while (i + 8 <= limit)
        {
            final long found = special((long)LONGS.get(src, i));
            if (found != 0)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (i < limit)
        {
            final int b = src[i];
            if (b < 0x20 || b == '"' || b == '\\')
            {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * @return how many bytes at the start of the word at {@code at} (which must lie whole in {@code src}) are plain ASCII
     *         as {@link #plainAsciiEnd} means it: 8 when all are.
     */
    static int plainInWord(final byte[] src, final int at)
    {
        return Long.numberOfTrailingZeros(special((long)LONGS.get(src, at))) >>> 3;
    }

    /**
     * @return whether the {@code n} bytes (1 to 8) just before {@code to} are all spaces, read as the one word that ends
     *         there ({@code to} at least 8: the bytes before the run are read and masked off).
     */
    static boolean spacesBefore(final byte[] src, final int to, final int n)
    {
        // Little-endian: the run is the word's high n bytes.
        return (((long)LONGS.get(src, to - 8) ^ SPACES) & (-1L << (64 - 8 * n))) == 0;
    }

    /** @return how many bytes at the start of the word at {@code at} (lying whole in {@code src}) are spaces: 8 when all are. */
    static int spacesInWord(final byte[] src, final int at)
    {
        // The first byte that differs from a space is the lowest nonzero byte of the xor.
        return Long.numberOfTrailingZeros((long)LONGS.get(src, at) ^ SPACES) >>> 3;
    }

    /**
     * @return how many bytes at the start of the word at {@code at} (lying whole in {@code src}) are neither a quote nor
     *         a backslash: 8 when none is.
     */
    static int quoteOrBackslashInWord(final byte[] src, final int at)
    {
        return Long.numberOfTrailingZeros(quoteOrBackslash((long)LONGS.get(src, at))) >>> 3;
    }

    /** @return the high bit of the first quote or backslash byte of {@code x} (and maybe of later bytes); 0 when none. */
    private static long quoteOrBackslash(final long x)
    {
        final long q = x ^ QUOTES;
        final long s = x ^ BACKSLASHES;
        return (((q - ONES) & ~q) | ((s - ONES) & ~s)) & HIGHS;
    }

    /**
     * @return the high bit of the first byte of {@code x} that is not plain ASCII (and maybe of later bytes); 0 when
     *         none. A byte of 0x80 or more is a match by its own high bit; below it, a borrow out of byte - c (c = 1
     *         after the quote or backslash test's xor, 0x20 for control bytes) sets the high bit exactly for a match, or
     *         above a lower match. So no "& ~x" terms are needed: nine operations a word.
     */
    private static long special(final long x)
    {
        return specialBits(x) & HIGHS;
    }

    /**
     * The high bit of every byte of {@code x} below '#' (a quote, a control byte, also a space and '!'), a backslash or of
     * 0x80 and up, and maybe of bytes above one of those, once masked with {@link #HIGHS}: a zero answer means plain ASCII
     * as {@link #special} means it; a nonzero one may be a space, which the exact test then decides. A backslash after the
     * xor is a zero byte, which the borrow of "- 1" marks; a byte below '#' borrows in "- '#'"; either borrow may only add
     * marks above it.
     */
    private static long opaqueBits(final long x)
    {
        return ((x ^ BACKSLASHES) - ONES) | (x - HASHES) | x;
    }

    /** {@link #special} before its high bits are taken: words may be or-ed first, then masked once. */
    private static long specialBits(final long x)
    {
        return ((x ^ QUOTES) - ONES) | ((x ^ BACKSLASHES) - ONES) | (x - SPACES) | x;
    }
}
