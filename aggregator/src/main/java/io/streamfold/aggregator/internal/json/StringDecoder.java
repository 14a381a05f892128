package io.streamfold.aggregator.internal.json;

/**
 * Decodes one JSON string body into a reused char array, accepting exactly what {@link JsonBytes#stringEnd}
 * accepts and producing the characters Jackson produces for it ({@code \}{@code uXXXX} as one UTF-16 unit
 * each, lone surrogates included; supplementary code points as a surrogate pair). Nothing is allocated once
 * the array has grown to the longest string seen.
 */
public final class StringDecoder
{
    private char[] chars;
    private int length;

    /** @param initialCapacity chars before the first growth. */
    public StringDecoder(final int initialCapacity)
    {
        chars = new char[Math.max(16, initialCapacity)];
    }

    /**
     * Copies the ASCII bytes {@code src[from, to)} into {@code out} from {@code at}, character for byte: a long plain run
     * of a string, or text kept from plain bytes ({@code MutableTextBuffer.setAscii}).
     */
    public static void widenAscii(final byte[] src, final int from, final int to, final char[] out, final int at)
    {
        // Masked, though ASCII needs no mask: C2 copies the masked loop several bytes a step, the signed cast a byte at a
        // time (a 5.8 KB run 2.24 -> 3.15 GB/s).
        for (int k = from; k < to; k++)
        {
            out[at + k - from] = (char)(src[k] & 0xFF);
        }
    }

    /** @return the decoded characters (valid up to {@link #length()}). */
    public char[] chars()
    {
        return chars;
    }

    /** @return how many characters the last successful {@link #decode} produced. */
    public int length()
    {
        return length;
    }

    /**
     * @param from index just past the opening quote.
     * @return the index of the closing quote, or {@link JsonBytes#REFUSED} (the decoded chars are then undefined).
     */
    public int decode(final byte[] src, final int from, final int limit)
    {
        // A string never decodes to more chars than it has bytes.
        if (chars.length < limit - from)
        {
            chars = new char[Math.max(limit - from, chars.length * 2)];
        }
        // Plain ASCII up to the closing quote is the common case, and a streamed token is a few bytes: its first two
        // words are each tested in one step and widened whole (chars past the run are overwritten next or lie past the
        // length; the array holds limit - from), kept small so that it inlines into the caller's scan. A byte at a time
        // cost three tests a byte (Z.ai's reasoning stream -5 %, generated Anthropic -8 %). A longer run continues in
        // decodeRest, an escape or a multi-byte character in decodeSlow.
        final char[] out = chars;
        int i = from;
        for (int w = 0; w < 2 && i + 8 <= limit; w++)
        {
            final int plain = ByteRuns.plainInWord(src, i);
            widenWord(src, i, out, i - from);
            i += plain;
            if (plain < 8)
            {
                if (src[i] == '"')
                {
                    length = i - from;
                    return i;
                }
                return decodeSlow(src, i, limit, i - from);
            }
        }
        return decodeRest(src, from, i, limit);
    }

    /**
     * Widens the eight bytes at {@code src[at]} into {@code out[to, to + 8)}, plain or not: the caller keeps only the
     * plain run it found in them (the rest is overwritten next or lies past the length), so one store of the whole word
     * replaces a test per byte.
     */
    private static void widenWord(final byte[] src, final int at, final char[] out, final int to)
    {
        for (int k = 0; k < 8; k++)
        {
            out[to + k] = (char)src[at + k];
        }
    }

    /**
     * {@link #decode} past its first two plain words (or near the limit). A streamed token that gets here is mostly a
     * few words more (chat's and reasoning tokens run 16-64 bytes): a word at a time still, as in {@link #decode}, where
     * the long-run search and the vectorized widening would each pay their set-up for a short run; a run longer than
     * that (a done event's whole text) is found eight bytes at a time, then widened.
     */
    private int decodeRest(final byte[] src, final int from, final int at, final int limit)
    {
        final char[] out = chars;
        int i = at;
        for (int w = 0; w < 6 && i + 8 <= limit; w++)
        {
            final int plain = ByteRuns.plainInWord(src, i);
            widenWord(src, i, out, i - from);
            i += plain;
            if (plain < 8)
            {
                // decodeSlow takes it from the byte that ended the run (the closing quote included).
                return decodeSlow(src, i, limit, i - from);
            }
        }
        final int plain = ByteRuns.plainAsciiEnd(src, i, limit);
        widenAscii(src, i, plain, out, i - from);
        // decodeSlow takes it from the byte that ended the run (the closing quote included).
        return decodeSlow(src, plain, limit, plain - from);
    }

    private int decodeSlow(final byte[] src, final int from, final int limit, final int decoded)
    {
        final char[] out = chars;
        int n = decoded;
        int i = from;
        while (i < limit)
        {
            final int b = src[i];
            if (b == '"')
            {
                length = n;
                return i;
            }
            if (b >= 0x20 && b != '\\')
            {
                // A run of plain ASCII between escapes or multi-byte characters: mostly a few bytes (a word between
                // accented letters or escapes), so two words are tested inline and widened whole (bytes past the run
                // are overwritten next, or lie past the length), and only a longer run goes to the long-run search.
                out[n++] = (char)b;
                i++;
                boolean open = true;
                for (int w = 0; w < 2 && open && i + 8 <= limit; w++)
                {
                    final int plain = ByteRuns.plainInWord(src, i);
                    widenWord(src, i, out, n);
                    i += plain;
                    n += plain;
                    open = plain == 8;
                }
                if (open && i + 8 <= limit)
                {
                    final int run = ByteRuns.plainAsciiEnd(src, i, limit);
                    widenAscii(src, i, run, out, n);
                    n += run - i;
                    i = run;
                }
            }
            else if (b == '\\')
            {
                final int end = JsonBytes.escapeEnd(src, i, limit);
                if (end < 0)
                {
                    return JsonBytes.REFUSED;
                }
                out[n++] = escaped(src, i + 1);
                i = end;
            }
            else if (b < 0)
            {
                final int cp = Utf8Scan.codePoint(src, i, limit);
                if (cp < 0)
                {
                    return JsonBytes.REFUSED;
                }
                if (cp < 0x10000)
                {
                    out[n++] = (char)cp;
                }
                else
                {
                    out[n++] = Character.highSurrogate(cp);
                    out[n++] = Character.lowSurrogate(cp);
                }
                i += Utf8Scan.length(cp);
            }
            else
            {
                return JsonBytes.REFUSED;
            }
        }
        return JsonBytes.REFUSED;
    }

    /**
     * Counts the characters a checked string body decodes to, without decoding it: a byte of ASCII or a multi-byte
     * sequence is one character (two for a four-byte one, a surrogate pair), an escape one.
     *
     * @param from index just past the opening quote.
     * @param to   index of the closing quote.
     */
    public static int decodedLength(final byte[] src, final int from, final int to)
    {
        int n = 0;
        int i = from;
        while (i < to)
        {
            final int b = src[i];
            if (b == '\\')
            {
                i += src[i + 1] == 'u' ? 6 : 2;
                n++;
            }
            else if (b >= 0)
            {
                i++;
                n++;
            }
            else
            {
                final int lead = b & 0xFF;
                final int length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
                i += length;
                n += length == 4 ? 2 : 1;
            }
        }
        return n;
    }

    /**
     * The one rule for what an escape stands for (shared with code that compares checked strings without decoding them).
     *
     * @param at the byte after the backslash, of an escape a check accepted ({@link JsonBytes#escapeEnd}).
     * @return the character it stands for.
     */
    public static char escaped(final byte[] src, final int at)
    {
        switch (src[at])
        {
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                return (char)((JsonBytes.hexValue(src[at + 1]) << 12) | (JsonBytes.hexValue(src[at + 2]) << 8) |
                    (JsonBytes.hexValue(src[at + 3]) << 4) | JsonBytes.hexValue(src[at + 4]));
            default:
                // '"', '\\' and '/' stand for themselves.
                return (char)src[at];
        }
    }
}
