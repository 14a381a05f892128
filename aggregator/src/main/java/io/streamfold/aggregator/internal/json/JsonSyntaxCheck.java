package io.streamfold.aggregator.internal.json;

/**
 * A validating pass over one event's JSON object, before any of it is folded. The payload parser finds syntax
 * errors only as it reaches them, after the fields before them have been folded; checking first is what lets
 * a malformed or over-deep event be skipped whole. The grammar is RFC 8259's, which is what the parser accepts
 * with its default features: no comments, no single quotes, no unescaped control characters, no leading
 * zeros, no NaN. UTF-8 is checked separately ({@link Utf8Check}).
 *
 * <p>The same pass tells whether a tool call's joined input is one JSON value ({@link #isOneValue}) without a
 * parser per call. One instance per reader or dialect: it keeps its bracket stack and byte copy between uses.
 */
public final class JsonSyntaxCheck
{
    private static final int VALUE = 0;
    private static final int VALUE_OR_CLOSE = 1;
    private static final int NAME = 2;
    private static final int NAME_OR_CLOSE = 3;
    private static final int COLON = 4;
    private static final int COMMA_OR_CLOSE = 5;

    /** Bit (depth % 64) of word (depth / 64): whether the structure at that depth is an object. */
    private long[] objects = new long[4];
    /** Characters as bytes for {@link #isOneValue(char[], int, int, int)}; grows to the longest text. */
    private byte[] ascii = new byte[0];
    private String problem;
    private int objectEnd = -1;
    private int problemAt;
    /** Content bytes from which a value string is listed in {@link #longStrings}; never when MAX_VALUE. */
    private int longStringBytes = Integer.MAX_VALUE;
    /** Opening and closing quote of each long value string the last check accepted, in byte order. */
    private int[] longStrings = new int[16];
    private int longStringCount;

    /**
     * Checks that {@code bytes[offset, offset + length)} starts (after whitespace) with one whole, well-formed
     * JSON object nested at most {@code maxDepth} deep. What follows the object is not looked at.
     *
     * @return true when it does; otherwise {@link #problem()} and {@link #problemAt()} say what and where.
     */
    public boolean check(final byte[] bytes, final int offset, final int length, final int maxDepth)
    {
        return check(bytes, offset, length, maxDepth, Integer.MAX_VALUE);
    }

    /**
     * As {@link #check(byte[], int, int, int)}, refusing also a string value of more than {@code maxStringChars}
     * characters. The parser's own string limit is only enforced when its text buffer happens to grow, so a reused
     * parser that has seen long strings lets the next one through: checked here, the limit holds whatever came before.
     * The bytes must be well-formed UTF-8 (checked first).
     */
    public boolean check(final byte[] bytes, final int offset, final int length, final int maxDepth, final int maxStringChars)
    {
        final int limit = offset + length;
        final int i = skipSpace(bytes, offset, limit);
        if (i >= limit || bytes[i] != '{')
        {
            return fail("event data is not a JSON object", i - offset);
        }
        objectEnd = valueEnd(bytes, i, offset, limit, maxDepth, maxStringChars, 0, VALUE);
        return objectEnd >= 0;
    }

    /**
     * @return the index just past the object the last {@link #check} or {@link #checkFrom} accepted (what follows it
     *         is the caller's to judge).
     */
    public int objectEnd()
    {
        return objectEnd;
    }

    /**
     * As {@link #check(byte[], int, int, int, int)} for an object whose members before {@code from} are already known to
     * be whole and well-formed, each followed by its comma (a reader that recognised them): the check goes on from
     * {@code from} as the whole check would there, expecting a member name, and finds the same problem at the same
     * place.
     *
     * @param from index of the first member not known, after the comma that ends the last known one.
     */
    public boolean checkFrom(final byte[] bytes, final int offset, final int from, final int length, final int maxDepth,
        final int maxStringChars)
    {
        if (maxDepth < 1)
        {
            return check(bytes, offset, length, maxDepth, maxStringChars);
        }
        setObject(0, true);
        objectEnd = valueEnd(bytes, from, offset, offset + length, maxDepth, maxStringChars, 1, NAME);
        return objectEnd >= 0;
    }

    /**
     * Checks that {@code bytes[offset, offset + length)} is exactly one JSON value of any kind nested at most
     * {@code maxDepth} deep, with nothing but whitespace around it: the verdict Jackson's parser gives with its
     * default features (numbers of any length aside, which Jackson refuses past 1000 digits).
     */
    public boolean isOneValue(final byte[] bytes, final int offset, final int length, final int maxDepth)
    {
        final int limit = offset + length;
        final int start = skipSpace(bytes, offset, limit);
        if (start >= limit)
        {
            return fail("no JSON value", length);
        }
        final int end = valueEnd(bytes, start, offset, limit, maxDepth, Integer.MAX_VALUE, 0, VALUE);
        if (end < 0)
        {
            return false;
        }
        final int after = skipSpace(bytes, end, limit);
        return after == limit || fail("more after the JSON value", after - offset);
    }

    /**
     * As {@link #isOneValue(byte[], int, int, int)} over characters, which are copied into a reused byte array:
     * every character from U+0080 up becomes byte 0x80, accepted inside strings and refused outside them, as the
     * character itself would be. No allocation once the array has grown to the longest text.
     */
    public boolean isOneValue(final char[] chars, final int offset, final int length, final int maxDepth)
    {
        if (ascii.length < length)
        {
            ascii = new byte[Math.max(length, ascii.length * 2)];
        }
        final byte[] b = ascii;
        for (int k = 0; k < length; k++)
        {
            final char c = chars[offset + k];
            b[k] = c < 0x80 ? (byte)c : (byte)0x80;
        }
        return isOneValue(b, 0, length, maxDepth);
    }

    /**
     * Lists, from the next check on, every value string (not a member name) of at least {@code minBytes} content
     * bytes: {@link #longStringCount()}, {@link #longStrings()}.
     */
    void listLongStrings(final int minBytes)
    {
        longStringBytes = minBytes;
    }

    /** @return how many long value strings the last check listed. */
    int longStringCount()
    {
        return longStringCount;
    }

    /** @return for each listed string k, its opening quote at [2k] and its closing quote at [2k + 1]. */
    int[] longStrings()
    {
        return longStrings;
    }

    private void listLongString(final int open, final int close)
    {
        if (2 * longStringCount + 2 > longStrings.length)
        {
            longStrings = java.util.Arrays.copyOf(longStrings, longStrings.length * 2);
        }
        longStrings[2 * longStringCount] = open;
        longStrings[2 * longStringCount + 1] = close;
        longStringCount++;
    }

    /**
     * @param startDepth structures open at {@code from} (their kinds already set), 0 at a value's start.
     * @param startState what is expected at {@code from}.
     * @return the index after the value starting at {@code from} (not whitespace), or -1 with the problem recorded.
     */
    private int valueEnd(final byte[] bytes, final int from, final int offset, final int limit, final int maxDepth,
        final int maxStringChars, final int startDepth, final int startState)
    {
        final int length = limit - offset;
        longStringCount = 0;
        int i = from;
        int depth = startDepth;
        int state = startState;
        while (true)
        {
            i = skipSpace(bytes, i, limit);
            if (i >= limit)
            {
                return failed("event data is not one complete JSON object (cut short)", length);
            }
            final byte c = bytes[i];
            if ((state == VALUE_OR_CLOSE && c == ']') || (state == NAME_OR_CLOSE && c == '}'))
            {
                depth--;
                i++;
                if (depth == 0)
                {
                    return i;
                }
                state = COMMA_OR_CLOSE;
                continue;
            }
            switch (state)
            {
                case VALUE:
                case VALUE_OR_CLOSE:
                    if (c == '{' || c == '[')
                    {
                        if (depth >= maxDepth)
                        {
                            return failed("JSON nesting deeper than " + maxDepth, i - offset);
                        }
                        setObject(depth, c == '{');
                        depth++;
                        state = c == '{' ? NAME_OR_CLOSE : VALUE_OR_CLOSE;
                        i++;
                    }
                    else
                    {
                        final int end = c == '"' ? string(bytes, i, limit) : scalar(bytes, i, limit);
                        if (end < 0)
                        {
                            return failed(c == '"' ? "malformed JSON string" : "malformed JSON value", i - offset);
                        }
                        if (c == '"' && end - i - 2 >= longStringBytes)
                        {
                            listLongString(i, end - 1);
                        }
                        if (c == '"' && end - i - 2 > maxStringChars)
                        {
                            final int chars = StringDecoder.decodedLength(bytes, i + 1, end - 1);
                            if (chars > maxStringChars)
                            {
                                return failed("string of " + chars + " characters, longer than the limit of " + maxStringChars,
                                    i - offset);
                            }
                        }
                        if (depth == 0)
                        {
                            return end;
                        }
                        i = end;
                        state = COMMA_OR_CLOSE;
                    }
                    break;
                case NAME:
                case NAME_OR_CLOSE:
                {
                    final int end = c == '"' ? string(bytes, i, limit) : -1;
                    if (end < 0)
                    {
                        return failed("expected a field name", i - offset);
                    }
                    i = end;
                    state = COLON;
                    break;
                }
                case COLON:
                    if (c != ':')
                    {
                        return failed("expected ':'", i - offset);
                    }
                    i++;
                    state = VALUE;
                    break;
                default:
                {
                    final boolean inObject = isObject(depth - 1);
                    if (c == ',')
                    {
                        i++;
                        state = inObject ? NAME : VALUE;
                    }
                    else if (c == (inObject ? '}' : ']'))
                    {
                        depth--;
                        i++;
                        if (depth == 0)
                        {
                            return i;
                        }
                    }
                    else
                    {
                        return failed(inObject ? "expected ',' or '}'" : "expected ',' or ']'", i - offset);
                    }
                }
            }
        }
    }

    /** @return what the last failed check found. */
    public String problem()
    {
        return problem;
    }

    /** @return where (bytes from the checked range's start) the last failed check found it. */
    public int problemAt()
    {
        return problemAt;
    }

    private boolean fail(final String problem, final int at)
    {
        this.problem = problem;
        this.problemAt = at;
        return false;
    }

    private int failed(final String problem, final int at)
    {
        fail(problem, at);
        return -1;
    }

    private void setObject(final int depth, final boolean object)
    {
        final int word = depth >>> 6;
        if (word >= objects.length)
        {
            objects = java.util.Arrays.copyOf(objects, Math.max(word + 1, objects.length * 2));
        }
        final long bit = 1L << (depth & 63);
        objects[word] = object ? objects[word] | bit : objects[word] & ~bit;
    }

    private boolean isObject(final int depth)
    {
        return (objects[depth >>> 6] & (1L << (depth & 63))) != 0;
    }

    private static int skipSpace(final byte[] bytes, final int from, final int limit)
    {
        int i = from;
        while (i < limit)
        {
            final byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                break;
            }
            i++;
        }
        return i;
    }

    /** @return the index after the string whose opening quote is at {@code from}, or -1. */
    private static int string(final byte[] bytes, final int from, final int limit)
    {
        int i = from + 1;
        // A byte loop for the first bytes (most strings end there) and after each byte of a multi-byte character (text
        // in another script is mostly such bytes); past that, runs of plain ASCII (a long signature, rendered HTML)
        // are crossed a word at a time.
        int byteLoopEnd = i + 16;
        while (i < limit)
        {
            if (i >= byteLoopEnd)
            {
                i = ByteRuns.plainAsciiEnd(bytes, i, limit);
                if (i >= limit)
                {
                    break;
                }
            }
            final byte b = bytes[i];
            if (b == '"')
            {
                return i + 1;
            }
            if (b == '\\')
            {
                if (i + 1 >= limit)
                {
                    return -1;
                }
                final byte e = bytes[i + 1];
                if (e == 'u')
                {
                    if (i + 6 > limit)
                    {
                        return -1;
                    }
                    for (int k = i + 2; k < i + 6; k++)
                    {
                        if (!isHex(bytes[k]))
                        {
                            return -1;
                        }
                    }
                    i += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                {
                    return -1;
                }
                i += 2;
                continue;
            }
            if (b >= 0 && b < 0x20)
            {
                return -1;
            }
            if (b < 0)
            {
                byteLoopEnd = i + 8;
            }
            i++;
        }
        return -1;
    }

    /** @return the index after the number or literal at {@code from}, or -1. */
    private static int scalar(final byte[] bytes, final int from, final int limit)
    {
        final byte c = bytes[from];
        if (c == 't')
        {
            return literal(bytes, from, limit, "true");
        }
        if (c == 'f')
        {
            return literal(bytes, from, limit, "false");
        }
        if (c == 'n')
        {
            return literal(bytes, from, limit, "null");
        }
        int i = from;
        if (bytes[i] == '-')
        {
            i++;
        }
        if (i >= limit)
        {
            return -1;
        }
        if (bytes[i] == '0')
        {
            i++;
        }
        else if (bytes[i] >= '1' && bytes[i] <= '9')
        {
            i = digits(bytes, i, limit);
        }
        else
        {
            return -1;
        }
        if (i < limit && bytes[i] == '.')
        {
            final int end = digits(bytes, i + 1, limit);
            if (end == i + 1)
            {
                return -1;
            }
            i = end;
        }
        if (i < limit && (bytes[i] == 'e' || bytes[i] == 'E'))
        {
            i++;
            if (i < limit && (bytes[i] == '+' || bytes[i] == '-'))
            {
                i++;
            }
            final int end = digits(bytes, i, limit);
            if (end == i)
            {
                return -1;
            }
            i = end;
        }
        return i < limit && !isDelimiter(bytes[i]) ? -1 : i;
    }

    private static int literal(final byte[] bytes, final int from, final int limit, final String word)
    {
        final int end = from + word.length();
        if (end > limit)
        {
            return -1;
        }
        for (int k = 0; k < word.length(); k++)
        {
            if (bytes[from + k] != word.charAt(k))
            {
                return -1;
            }
        }
        return end < limit && !isDelimiter(bytes[end]) ? -1 : end;
    }

    private static int digits(final byte[] bytes, final int from, final int limit)
    {
        int i = from;
        while (i < limit && bytes[i] >= '0' && bytes[i] <= '9')
        {
            i++;
        }
        return i;
    }

    private static boolean isDelimiter(final byte b)
    {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean isHex(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
