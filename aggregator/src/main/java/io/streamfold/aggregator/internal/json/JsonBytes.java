package io.streamfold.aggregator.internal.json;

/**
 * Byte-level JSON scanning without a parser: where a value ends, checked strictly enough that a value this
 * class accepts is one Jackson accepts too and reads the same way. It is deliberately stricter than Jackson
 * (no overlong or otherwise unusual UTF-8, bounded string and number lengths, bounded depth): what it refuses,
 * the caller hands to the full parser, which then decides. A fast path may therefore trust a value accepted
 * here without running Jackson over it.
 */
public final class JsonBytes
{
    /** Returned by the scanners for input they do not accept. */
    public static final int REFUSED = -1;

    private static final byte[] TRUE = { 't', 'r', 'u', 'e' };
    private static final byte[] FALSE = { 'f', 'a', 'l', 's', 'e' };
    private static final byte[] NULL = { 'n', 'u', 'l', 'l' };

    /** Longest number accepted, in bytes (Jackson's own limit is configured at 4096). */
    public static final int MAX_NUMBER_BYTES = 1000;

    private JsonBytes()
    {
    }

    /** @return whether {@code b} is JSON whitespace (space, tab, line feed, carriage return). */
    public static boolean isWhitespace(final byte b)
    {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /**
     * @return whether every byte from {@code from} to {@code to} is JSON whitespace (true when there is none), as
     *         {@code skipWhitespace(src, from, to) == to} says.
     */
    public static boolean isWhitespaceRun(final byte[] src, final int from, final int to)
    {
        final int n = to - from;
        // A short run of spaces (Anthropic's padding before an event's closing brace, 0 to a dozen spaces, a count that
        // varies from event to event) is one masked word compare, or two overlapping words, where a byte loop
        // mispredicts its exit; anything else goes to the scan.
        if (n <= 0)
        {
            return n == 0;
        }
        if (n <= 8)
        {
            return to >= 8 && ByteRuns.spacesBefore(src, to, n) || skipWhitespace(src, from, to) == to;
        }
        return n <= 16 && ByteRuns.spacesBefore(src, from + 8, 8) && ByteRuns.spacesBefore(src, to, 8) ||
            skipWhitespace(src, from, to) == to;
    }

    /**
     * @return how many bytes of {@code src[from, to)} are not whitespace, in bytes accepted as JSON (where no other
     *         byte at or below the space may stand), eight at a time.
     */
    public static int countNonWhitespace(final byte[] src, final int from, final int to)
    {
        return ByteRuns.countAboveSpace(src, from, to);
    }

    /** @return the first index at or after {@code from} that is not JSON whitespace (or {@code limit}). */
    public static int skipWhitespace(final byte[] src, final int from, final int limit)
    {
        // Mostly there is none: one compare answers for any byte above the space (signed, so 0x80 and up fall through
        // to the full test, which refuses them). Kept that small, it inlines wherever it is called (a member is
        // checked around three of them); a run of whitespace is scanned a call away.
        return from >= limit || src[from] > ' ' ? from : whitespaceEnd(src, from, limit);
    }

    /** {@link #skipWhitespace} from a byte at or below the space. */
    private static int whitespaceEnd(final byte[] src, final int from, final int limit)
    {
        int i = from;
        // A run of spaces (Anthropic pads every event before its closing brace, with a count that varies from event to
        // event): eight at a time, where a byte loop would mispredict its exit; other whitespace goes to the byte loop.
        while (i + 8 <= limit)
        {
            final int spaces = ByteRuns.spacesInWord(src, i);
            i += spaces;
            if (spaces < 8)
            {
                break;
            }
        }
        while (i < limit && src[i] <= ' ' && isWhitespace(src[i]))
        {
            i++;
        }
        return i;
    }

    /**
     * Scans one JSON value starting exactly at {@code from} (no leading whitespace).
     *
     * @param maxDepth      how many more objects / arrays may nest, counting this value's own.
     * @param maxStringBytes longest string (name or value) accepted, in bytes.
     * @return the index just past the value, or {@link #REFUSED}.
     */
    public static int valueEnd(final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes)
    {
        if (from >= limit)
        {
            return REFUSED;
        }
        final byte b = src[from];
        switch (b)
        {
            case '"':
            {
                final int close = stringEnd(src, from + 1, limit);
                return close < 0 || close - from - 1 > maxStringBytes ? REFUSED : close + 1;
            }
            case '{':
                return maxDepth <= 0 ? REFUSED : structureEnd(src, from, limit, maxDepth, maxStringBytes);
            case '[':
            {
                if (maxDepth <= 0)
                {
                    return REFUSED;
                }
                final int end = integerArrayEnd(src, from, limit);
                return end >= 0 ? end : structureEnd(src, from, limit, maxDepth, maxStringBytes);
            }
            case 't':
                return literalEnd(src, from, limit, TRUE);
            case 'f':
                return literalEnd(src, from, limit, FALSE);
            case 'n':
                return literalEnd(src, from, limit, NULL);
            default:
                return numberEnd(src, from, limit);
        }
    }

    /**
     * @return the first index in {@code [from, limit)} holding anything but printable ASCII that a JSON string carries
     *         as itself (a quote, a backslash, a control byte, a byte of a multi-byte character), or {@code limit}; a
     *         word at a time.
     */
    public static int plainAsciiEnd(final byte[] src, final int from, final int limit)
    {
        return ByteRuns.plainAsciiEnd(src, from, limit);
    }

    /**
     * Scans a string body from just past its opening quote: no control bytes, only the standard escapes
     * ({@code \}{@code uXXXX} with four hex digits), and well-formed UTF-8 (no overlong forms, no encoded
     * surrogates, nothing past U+10FFFF).
     *
     * @return the index of the closing quote, or {@link #REFUSED}.
     */
    public static int stringEnd(final byte[] src, final int from, final int limit)
    {
        int i = from;
        while (i < limit)
        {
            // Most strings end within a word (a token, a type, an id): that word is tested inline, and only a longer
            // run is left to the long-run search.
            if (i + 8 <= limit)
            {
                final int plain = ByteRuns.plainInWord(src, i);
                i = plain == 8 ? ByteRuns.plainAsciiEnd(src, i + 8, limit) : i + plain;
                if (i >= limit)
                {
                    return REFUSED;
                }
            }
            final int b = src[i];
            if (b >= 0x20 && b != '"' && b != '\\')
            {
                i++;
            }
            else if (b == '"')
            {
                return i;
            }
            else if (b == '\\')
            {
                i = escapeEnd(src, i, limit);
                if (i < 0)
                {
                    return REFUSED;
                }
            }
            else if (b < 0)
            {
                i = Utf8Scan.sequenceEnd(src, i, limit);
                if (i < 0)
                {
                    return REFUSED;
                }
            }
            else
            {
                return REFUSED;
            }
        }
        return REFUSED;
    }

    /**
     * Delimits a string from its opening quote without checking it: escapes are only skipped. For a caller that
     * checks the string otherwise (an event template's copy of a string it checked elsewhere).
     *
     * @return the index just past the closing quote, or {@link #REFUSED} when it does not close.
     */
    public static int quotedEnd(final byte[] src, final int from, final int limit)
    {
        // A word at a time: a byte loop mispredicts its exit on every string (names and values of a few bytes each).
        final int close = closingQuote(src, from + 1, limit);
        return close < limit ? close + 1 : REFUSED;
    }

    /**
     * @return the index of the closing quote of the string whose body (or the rest of it, after a whole escape) starts
     *         at {@code from}, escapes only skipped; {@code limit} when it does not close before.
     */
    static int closingQuote(final byte[] bytes, final int from, final int limit)
    {
        int i = from;
        while (true)
        {
            // The first word inline (most strings end in it), a longer run by the long-run search.
            if (i + 8 <= limit)
            {
                final int plain = ByteRuns.quoteOrBackslashInWord(bytes, i);
                i = plain == 8 ? ByteRuns.quoteOrBackslash(bytes, i + 8, limit) : i + plain;
            }
            else
            {
                while (i < limit && bytes[i] != '"' && bytes[i] != '\\')
                {
                    i++;
                }
            }
            if (i >= limit || bytes[i] == '"')
            {
                return Math.min(i, limit);
            }
            // A backslash: the byte after it is escaped.
            i += 2;
        }
    }

    /** @return the index past the escape that starts with the backslash at {@code at}, or {@link #REFUSED}. */
    static int escapeEnd(final byte[] src, final int at, final int limit)
    {
        if (at + 1 >= limit)
        {
            return REFUSED;
        }
        switch (src[at + 1])
        {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return at + 2;
            case 'u':
                if (at + 6 > limit)
                {
                    return REFUSED;
                }
                for (int k = at + 2; k < at + 6; k++)
                {
                    if (hexValue(src[k]) < 0)
                    {
                        return REFUSED;
                    }
                }
                return at + 6;
            default:
                return REFUSED;
        }
    }

    /** What {@link #integerValue} answers for a value that is not an integer it reads. */
    public static final long NOT_AN_INTEGER = Long.MIN_VALUE;

    /**
     * @return the checked value {@code src[from, to)} as an integer of an optional minus and at most 18 digits (always
     *         within a long, read as Jackson reads it: {@code -0} is 0), or {@link #NOT_AN_INTEGER} for anything else
     *         (a fraction, an exponent, more digits, not a number).
     */
    public static long integerValue(final byte[] src, final int from, final int to)
    {
        final boolean negative = from < to && src[from] == '-';
        final int digits = negative ? from + 1 : from;
        if (to - digits < 1 || to - digits > 18)
        {
            return NOT_AN_INTEGER;
        }
        long v = 0;
        for (int k = digits; k < to; k++)
        {
            final byte c = src[k];
            if (c < '0' || c > '9')
            {
                return NOT_AN_INTEGER;
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    /**
     * Scans a JSON number: optional minus, no leading zero, optional fraction and exponent each with digits.
     *
     * @return the index just past it, or {@link #REFUSED}.
     */
    public static int numberEnd(final byte[] src, final int from, final int limit)
    {
        int i = from;
        if (i < limit && src[i] == '-')
        {
            i++;
        }
        final int intStart = i;
        i = digitsEnd(src, i, limit);
        if (i == intStart || (src[intStart] == '0' && i - intStart > 1))
        {
            return REFUSED;
        }
        if (i < limit && src[i] == '.')
        {
            final int fractionStart = ++i;
            i = digitsEnd(src, i, limit);
            if (i == fractionStart)
            {
                return REFUSED;
            }
        }
        if (i < limit && (src[i] == 'e' || src[i] == 'E'))
        {
            i++;
            if (i < limit && (src[i] == '+' || src[i] == '-'))
            {
                i++;
            }
            final int exponentStart = i;
            i = digitsEnd(src, i, limit);
            if (i == exponentStart)
            {
                return REFUSED;
            }
        }
        if (i - from > MAX_NUMBER_BYTES || (i < limit && isValueContinuation(src[i])))
        {
            return REFUSED;
        }
        return i;
    }

    /** @return the index past the run of ASCII digits at {@code from}. */
    public static int digitsEnd(final byte[] src, final int from, final int limit)
    {
        return ByteRuns.digitsEnd(src, from, limit);
    }

    /** @return how many bytes at the start of the word at {@code at} (its eight bytes lying in {@code src}) are ASCII digits: 8 when all are. */
    public static int digitsInWord(final byte[] src, final int at)
    {
        return ByteRuns.digitsInWord(src, at);
    }

    /** @return the value of the {@code n} (1 to 8) ASCII digits at {@code at}, whose word of eight bytes lies in {@code src}. */
    public static long digitsValue(final byte[] src, final int at, final int n)
    {
        return ByteRuns.digitsValue(src, at, n);
    }

    /** @return the value of a hex digit, or -1. */
    public static int hexValue(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        final int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f')
        {
            return lower - 'a' + 10;
        }
        return -1;
    }

    /** Bytes that would glue onto a number or literal ({@code 12abc}, {@code truex}): the token is not over. */
    private static final boolean[] CONTINUATION = new boolean[256];

    static
    {
        for (int b = 0; b < 256; b++)
        {
            CONTINUATION[b] = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '.' || b == '-' ||
                b == '+' || b == '_' || b >= 0x80;
        }
    }

    private static boolean isValueContinuation(final byte b)
    {
        return CONTINUATION[b & 0xFF];
    }

    private static int literalEnd(final byte[] src, final int from, final int limit, final byte[] literal)
    {
        final int end = from + literal.length;
        if (end > limit)
        {
            return REFUSED;
        }
        // The first byte chose the literal; the rest are compared one by one (three or four of them).
        for (int k = 1; k < literal.length; k++)
        {
            if (src[from + k] != literal[k])
            {
                return REFUSED;
            }
        }
        return end < limit && isValueContinuation(src[end]) ? REFUSED : end;
    }

    /**
     * A flat array of integers ({@code []}, {@code [32, -7,116]}): token ids, a token's bytes, the arrays raw values
     * hold most, in one tight pass. Anything else (a fraction, a long number, a nested value) is refused here and
     * left to {@link #structureEnd}.
     */
    private static int integerArrayEnd(final byte[] src, final int from, final int limit)
    {
        // Mostly written compactly (no spaces, no signs): checked eight bytes at a time.
        final int compact = ByteRuns.compactIntegersEnd(src, from, limit);
        if (compact >= 0)
        {
            return compact;
        }
        int i = skipWhitespace(src, from + 1, limit);
        if (i < limit && src[i] == ']')
        {
            return i + 1;
        }
        while (i < limit)
        {
            if (src[i] == '-')
            {
                i++;
            }
            final int digits = i;
            i = digitsEnd(src, i, limit);
            if (i == digits || i - digits > 18 || (src[digits] == '0' && i - digits > 1))
            {
                return REFUSED;
            }
            i = skipWhitespace(src, i, limit);
            if (i >= limit)
            {
                return REFUSED;
            }
            if (src[i] == ']')
            {
                return i + 1;
            }
            if (src[i] != ',')
            {
                return REFUSED;
            }
            i = skipWhitespace(src, i + 1, limit);
        }
        return REFUSED;
    }

    /**
     * A flat array of integers written without whitespace or signs ({@code [32,240,159,152,128]}), checked as
     * {@link #valueEnd} checks an array but refusing any other form (which may well be valid: the caller then scans
     * it otherwise). A value accepted here holds no whitespace, so no line end.
     *
     * @param from index of the opening bracket.
     * @return the index just past the closing bracket, or {@link #REFUSED}.
     */
    public static int compactIntegerArrayEnd(final byte[] src, final int from, final int limit)
    {
        return from < limit && src[from] == '[' ? ByteRuns.compactIntegersEnd(src, from, limit) : REFUSED;
    }

    /**
     * An object or array, iteratively: one small stack of open brackets as a bit set (objects set, arrays
     * clear), so depth costs no recursion; refused past {@code maxDepth} or 64 levels.
     */
    private static int structureEnd(
        final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes)
    {
        final int depthLimit = Math.min(maxDepth, 64);
        long objects = 0;
        int depth = 0;
        int i = from;
        while (true)
        {
            // At the start of a value.
            if (i >= limit)
            {
                return REFUSED;
            }
            final byte b = src[i];
            if (b == '{' || b == '[')
            {
                if (depth == depthLimit)
                {
                    return REFUSED;
                }
                final boolean object = b == '{';
                objects = object ? objects | (1L << depth) : objects & ~(1L << depth);
                depth++;
                i = skipWhitespace(src, i + 1, limit);
                if (i < limit && src[i] == (object ? '}' : ']'))
                {
                    i++;
                    depth--;
                }
                else if (object)
                {
                    i = memberNameEnd(src, i, limit, maxStringBytes);
                    if (i < 0)
                    {
                        return REFUSED;
                    }
                    continue;
                }
                else
                {
                    continue;
                }
            }
            else
            {
                i = valueEnd(src, i, limit, 0, maxStringBytes);
                if (i < 0)
                {
                    return REFUSED;
                }
            }
            // After a value: a comma goes on, a matching bracket closes, as many levels as close here.
            while (true)
            {
                if (depth == 0)
                {
                    return i;
                }
                i = skipWhitespace(src, i, limit);
                if (i >= limit)
                {
                    return REFUSED;
                }
                final boolean inObject = (objects & (1L << (depth - 1))) != 0;
                final byte c = src[i];
                if (c == ',')
                {
                    i = skipWhitespace(src, i + 1, limit);
                    if (inObject)
                    {
                        i = memberNameEnd(src, i, limit, maxStringBytes);
                        if (i < 0)
                        {
                            return REFUSED;
                        }
                    }
                    break;
                }
                if (c != (inObject ? '}' : ']'))
                {
                    return REFUSED;
                }
                i++;
                depth--;
            }
        }
    }

    /** From a member's opening quote to its value's first byte ({@code "name" : }), or {@link #REFUSED}. */
    private static int memberNameEnd(final byte[] src, final int from, final int limit, final int maxStringBytes)
    {
        final int close = nameEnd(src, from, limit, maxStringBytes);
        if (close < 0)
        {
            return REFUSED;
        }
        final int colon = skipWhitespace(src, close + 1, limit);
        if (colon >= limit || src[colon] != ':')
        {
            return REFUSED;
        }
        return skipWhitespace(src, colon + 1, limit);
    }

    /**
     * Scans a member name from its opening quote, as {@link #stringEnd} scans a string but refusing escapes:
     * Jackson decodes names its own way (a lone surrogate escape is refused there), so they are left to it.
     *
     * @return the index of the closing quote, or {@link #REFUSED}.
     */
    public static int nameEnd(final byte[] src, final int from, final int limit, final int maxStringBytes)
    {
        if (from >= limit || src[from] != '"')
        {
            return REFUSED;
        }
        int i = from + 1;
        while (true)
        {
            // Names are short: one word at a time, inline, where the long-run search would cost a call per name.
            if (i + 8 <= limit)
            {
                final int plain = ByteRuns.plainInWord(src, i);
                i += plain;
                if (plain == 8)
                {
                    continue;
                }
            }
            else
            {
                while (i < limit && src[i] >= 0x20 && src[i] != '"' && src[i] != '\\')
                {
                    i++;
                }
                if (i >= limit)
                {
                    return REFUSED;
                }
            }
            final int b = src[i];
            if (b == '"')
            {
                return i - from - 1 > maxStringBytes ? REFUSED : i;
            }
            if (b >= 0)
            {
                // A backslash or a control byte.
                return REFUSED;
            }
            i = Utf8Scan.sequenceEnd(src, i, limit);
            if (i < 0)
            {
                return REFUSED;
            }
        }
    }
}
