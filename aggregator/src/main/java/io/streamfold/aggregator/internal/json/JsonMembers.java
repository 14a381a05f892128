package io.streamfold.aggregator.internal.json;

import java.util.Arrays;

import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableTextBuffer;

/**
 * The members of one JSON object (or the elements of one array) located by a byte scan, without a token-by-token
 * parse: where each name and value lies, the names as canonical strings. For the large events that repeat what a
 * stream already gave (a terminal response with every output item again, a done item with its opaque encrypted
 * reasoning), a decoder reads the few values it needs and keeps the rest as raw bytes, which is what makes
 * those events cheap.
 *
 * <p>Two ways in. {@link #checkObject} is the scan-first entry for a whole event: it accepts an object only
 * when {@link JsonBytes} accepts every member (well-formed UTF-8, strict syntax, bounded depth, string and
 * number lengths), which is stricter than the full reader's checks, so an event it accepts is one the full
 * path accepts too; an event it refuses goes to the full path, which decides and reports. {@link #readObject}
 * and {@link #readArray} re-read bytes an earlier check already accepted (a value captured from a checked
 * event): they only find the boundaries.
 *
 * <p>One instance per nesting level a decoder reads at once; its tables grow to the largest object seen, and a
 * name is turned into a string once, the first time it is seen ({@link NameTable}), so the steady state allocates
 * nothing.
 */
public final class JsonMembers
{
    private byte[] src;
    private int count;
    private int start;
    private int end;
    private int innerAt = -1;
    private int[] nameStart = new int[16];
    private int[] nameEnd = new int[16];
    private int[] valueStart = new int[16];
    private int[] valueEnd = new int[16];

    private final StringDecoder decoder;
    private final NameTable nameTable;
    private final PlacedNames names;
    private char[] numberChars = new char[32];

    public JsonMembers()
    {
        decoder = new StringDecoder(64);
        nameTable = new NameTable(decoder);
        names = new PlacedNames(nameTable);
    }

    /**
     * A reader that shares {@code names}' table of names (and the scratch decoder it uses): readers of many objects of one
     * kind (an array's elements, each located at once) then hold one bounded table between them, not one each, and
     * name a member with the same instance.
     */
    public JsonMembers(final JsonMembers names)
    {
        decoder = names.decoder;
        nameTable = names.nameTable;
        this.names = new PlacedNames(nameTable);
    }

    /**
     * Checks that {@code src[from, limit)} is one JSON object (whitespace around it allowed) that {@link JsonBytes}
     * accepts member by member, and locates its members.
     *
     * @param maxDepth       nesting allowed, the object itself counting one.
     * @param maxStringBytes longest string (name or value) accepted, in bytes.
     * @return false when anything is refused: the caller reads the bytes with the full parser instead.
     */
    public boolean checkObject(final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes)
    {
        return checkObject(src, from, limit, maxDepth, maxStringBytes, null);
    }

    /**
     * Values a reader has met before in bytes a check accepted, which it recognises by their bytes: a check need not scan
     * them again (a terminal event repeats the items and fields a stream already sent). Any accepted value is accepted
     * again wherever the same nesting is allowed, so the bytes alone decide; a wrong answer can only be a refusal later
     * (the check still reads what follows the value), never an acceptance of bytes that were not checked.
     */
    public interface KnownValues
    {
        /**
         * @param member   the member's place in its object (0 for the first).
         * @param from     where the value starts.
         * @param maxDepth the nesting the value may take, itself counting one (as {@link JsonBytes#valueEnd}).
         * @return the index just past the value when {@code src[from, end)} is, byte for byte, a value {@link JsonBytes}
         *         accepted within {@code maxDepth} and the same string limit; else {@link JsonBytes#REFUSED}.
         */
        int knownEnd(int member, byte[] src, int from, int limit, int maxDepth);
    }

    /**
     * As {@link #checkObject(byte[], int, int, int, int)}, and in the same pass locates the objects {@code path} leads to
     * (an event's block or delta, its response or item, a chunk's first choice then its delta: what is read next), so
     * that they are not scanned again: each step's {@link #innerAt()} says which member it was located in, -1 when none
     * was (and then the steps below it are left undefined).
     *
     * @param path null to locate only this object's members.
     */
    public boolean checkObject(final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes,
        final MemberPath path)
    {
        final int i = JsonBytes.skipWhitespace(src, from, limit);
        final int end = checkMembers(src, i, -1, limit, maxDepth, maxStringBytes, null, path);
        return end >= 0 && JsonBytes.skipWhitespace(src, end, limit) == limit;
    }

    /**
     * As {@link #checkObject(byte[], int, int, int, int, MemberPath)} for an object whose opening brace is at {@code from} and
     * whose first members, up to {@code resume}, the caller has verified itself (each a valid member followed by its
     * comma, within these limits): they are neither checked again nor located, the members start at the one after them.
     */
    public boolean checkObjectAfter(final byte[] src, final int from, final int resume, final int limit, final int maxDepth,
        final int maxStringBytes, final MemberPath path)
    {
        final int end = checkMembers(src, from, resume, limit, maxDepth, maxStringBytes, null, path);
        return end >= 0 && JsonBytes.skipWhitespace(src, end, limit) == limit;
    }

    /**
     * Checks the object value at {@code src[from]} inside bytes being checked, locating its members: what it accepts,
     * {@link JsonBytes#valueEnd} accepts with the same end and limits (it refuses an escaped name, which that may accept:
     * the caller then asks it). For a caller that checks an array's elements itself and reads them next.
     *
     * @param maxDepth nesting allowed, the object itself counting one.
     * @return the index just past the object, or {@link JsonBytes#REFUSED}.
     */
    public int checkObjectAt(final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes)
    {
        return checkMembers(src, from, -1, limit, maxDepth, maxStringBytes, null, null);
    }

    /** @return the member whose object the last check located as the inner one, or -1 when none was. */
    public int innerAt()
    {
        return innerAt;
    }

    /** @return the index just past the checked object at {@code from}, or {@link JsonBytes#REFUSED}. */
    /** @param resume where the members to check start after members the caller verified, or -1 (all are checked). */
    private int checkMembers(final byte[] src, final int from, final int resume, final int limit, final int maxDepth,
        final int maxStringBytes, final KnownValues known, final MemberPath path)
    {
        this.src = src;
        count = 0;
        innerAt = -1;
        if (from >= limit || src[from] != '{' || maxDepth < 1)
        {
            return JsonBytes.REFUSED;
        }
        start = from;
        int i = JsonBytes.skipWhitespace(src, resume > from ? resume : from + 1, limit);
        // After a verified member's comma, a closing brace is refused with the names below.
        if (resume <= from && i < limit && src[i] == '}')
        {
            end = i + 1;
            return end;
        }
        boolean innerFound = path == null;
        while (true)
        {
            // An escaped name is refused too: the full parser decodes names its own way. The name this place held last
            // time, repeated, is one that check accepted.
            final int repeated = i < limit && src[i] == '"' ? names.repeatedClose(count, src, i + 1, limit) : -1;
            final int close = repeated >= 0 && repeated - i - 1 <= maxStringBytes ? repeated :
                JsonBytes.nameEnd(src, i, limit, maxStringBytes);
            if (close < 0)
            {
                return JsonBytes.REFUSED;
            }
            final int colon = JsonBytes.skipWhitespace(src, close + 1, limit);
            if (colon >= limit || src[colon] != ':')
            {
                return JsonBytes.REFUSED;
            }
            final int value = JsonBytes.skipWhitespace(src, colon + 1, limit);
            final int valueEnd;
            if (!innerFound && value < limit && src[value] == (path.element ? '[' : '{') && named(src, i + 1, close, path.names))
            {
                innerFound = true;
                valueEnd = path.element ? checkElements(src, value, limit, maxDepth - 1, maxStringBytes, path) :
                    path.into.checkMembers(src, value, -1, limit, maxDepth - 1, maxStringBytes, path.known, path.next);
                final int first = JsonBytes.skipWhitespace(src, value + 1, limit);
                innerAt = !path.element || (first < limit && src[first] == '{') ? count : -1;
            }
            else
            {
                final int knownEnd = known == null || value >= limit ? JsonBytes.REFUSED : known.knownEnd(count, src, value, limit, maxDepth - 1);
                valueEnd = knownEnd >= 0 ? knownEnd : JsonBytes.valueEnd(src, value, limit, maxDepth - 1, maxStringBytes);
            }
            if (valueEnd < 0)
            {
                return JsonBytes.REFUSED;
            }
            add(i + 1, close, value, valueEnd, close == repeated);
            i = JsonBytes.skipWhitespace(src, valueEnd, limit);
            if (i >= limit)
            {
                return JsonBytes.REFUSED;
            }
            if (src[i] == '}')
            {
                end = i + 1;
                return end;
            }
            if (src[i] != ',')
            {
                return JsonBytes.REFUSED;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
        }
    }

    /**
     * Checks the array at {@code from} as {@link JsonBytes#valueEnd} does (the same syntax and nesting), locating its
     * first element in {@code path}'s object when it is one.
     *
     * @param maxDepth nesting allowed, the array itself counting one.
     * @return the index just past the array, or {@link JsonBytes#REFUSED}.
     */
    private static int checkElements(final byte[] src, final int from, final int limit, final int maxDepth, final int maxStringBytes,
        final MemberPath path)
    {
        if (maxDepth < 1)
        {
            return JsonBytes.REFUSED;
        }
        int i = JsonBytes.skipWhitespace(src, from + 1, limit);
        if (i < limit && src[i] == ']')
        {
            return i + 1;
        }
        boolean first = true;
        while (true)
        {
            final int end = first && i < limit && src[i] == '{' ?
                path.into.checkMembers(src, i, -1, limit, maxDepth - 1, maxStringBytes, path.known, path.next) :
                JsonBytes.valueEnd(src, i, limit, maxDepth - 1, maxStringBytes);
            first = false;
            if (end < 0)
            {
                return JsonBytes.REFUSED;
            }
            i = JsonBytes.skipWhitespace(src, end, limit);
            if (i >= limit)
            {
                return JsonBytes.REFUSED;
            }
            if (src[i] == ']')
            {
                return i + 1;
            }
            if (src[i] != ',')
            {
                return JsonBytes.REFUSED;
            }
            i = JsonBytes.skipWhitespace(src, i + 1, limit);
        }
    }

    private static boolean named(final byte[] src, final int from, final int to, final byte[][] names)
    {
        for (final byte[] name : names)
        {
            if (Arrays.equals(src, from, to, name, 0, name.length))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Locates the members of the object at {@code from} (after whitespace), in bytes already checked.
     *
     * @return false when {@code src[from]} does not start an object (nothing else is verified).
     */
    public boolean readObject(final byte[] src, final int from, final int limit)
    {
        this.src = src;
        count = 0;
        int i = JsonBytes.skipWhitespace(src, from, limit);
        if (i >= limit || src[i] != '{')
        {
            return false;
        }
        start = i;
        i = JsonBytes.skipWhitespace(src, i + 1, limit);
        while (i < limit && src[i] == '"')
        {
            final int repeated = names.repeatedClose(count, src, i + 1, limit);
            final int close = repeated >= 0 ? repeated : JsonBytes.closingQuote(src, i + 1, limit);
            final int value = JsonBytes.skipWhitespace(src, JsonBytes.skipWhitespace(src, close + 1, limit) + 1, limit);
            final int end = skipValue(src, value, limit);
            add(i + 1, close, value, end, repeated >= 0);
            i = JsonBytes.skipWhitespace(src, end, limit);
            if (i < limit && src[i] == ',')
            {
                i = JsonBytes.skipWhitespace(src, i + 1, limit);
            }
        }
        this.end = Math.min(i + 1, limit);
        return true;
    }

    /**
     * Locates the elements of the array at {@code from} (after whitespace), in bytes already checked; each
     * element is a member without a name.
     *
     * @return false when {@code src[from]} does not start an array.
     */
    public boolean readArray(final byte[] src, final int from, final int limit)
    {
        this.src = src;
        count = 0;
        int i = JsonBytes.skipWhitespace(src, from, limit);
        if (i >= limit || src[i] != '[')
        {
            return false;
        }
        start = i;
        i = JsonBytes.skipWhitespace(src, i + 1, limit);
        while (i < limit && src[i] != ']')
        {
            final int end = skipValue(src, i, limit);
            add(-1, -1, i, end);
            i = JsonBytes.skipWhitespace(src, end, limit);
            if (i < limit && src[i] == ',')
            {
                i = JsonBytes.skipWhitespace(src, i + 1, limit);
            }
        }
        this.end = Math.min(i + 1, limit);
        return true;
    }

    /** @return the index of the bracket that opens the object or array last located (checked, read, or as an inner object). */
    public int start()
    {
        return start;
    }

    /** @return the index just past the object or array last located (checked, read, or as another one's inner object). */
    public int end()
    {
        return end;
    }

    /**
     * Walks an array of checked bytes element by element without locating them all first (each element is then
     * read once, by whoever reads it): {@code firstElement}, then {@code nextElement} after each.
     *
     * @param from the array's opening bracket.
     * @return the index of its first element, or of its closing bracket when it is empty.
     */
    public static int firstElement(final byte[] src, final int from, final int limit)
    {
        return JsonBytes.skipWhitespace(src, from + 1, limit);
    }

    /**
     * @param end the index just past the element before.
     * @return the index of the next element, or of the closing bracket.
     */
    public static int nextElement(final byte[] src, final int end, final int limit)
    {
        final int i = JsonBytes.skipWhitespace(src, end, limit);
        return i < limit && src[i] == ',' ? JsonBytes.skipWhitespace(src, i + 1, limit) : i;
    }

    /** @return the index just past the value at {@code from}, in checked bytes. */
    public static int skip(final byte[] src, final int from, final int limit)
    {
        return skipValue(src, from, limit);
    }

    /** Locates the members of a kept object (false when it is not one). */
    public boolean readObject(final MutableRawJson value)
    {
        return value.type() == MutableRawJson.Type.STRUCTURED && readObject(value.structuredBytes(), 0, value.structuredLength());
    }

    /** Locates the elements of a kept array (false when it is not one). */
    public boolean readArray(final MutableRawJson value)
    {
        return value.type() == MutableRawJson.Type.STRUCTURED && readArray(value.structuredBytes(), 0, value.structuredLength());
    }

    /** @return the bytes the members lie in. */
    public byte[] bytes()
    {
        return src;
    }

    public int count()
    {
        return count;
    }

    /** @return member {@code i}'s name, canonical (the same instance every time); null for an array element. */
    public String name(final int i)
    {
        return names.get(i);
    }

    /** @return where member {@code i}'s name starts, past its opening quote (its bytes as sent, escapes and all). */
    public int nameStart(final int i)
    {
        return nameStart[i];
    }

    /** @return where member {@code i}'s name ends: its closing quote. */
    public int nameEnd(final int i)
    {
        return nameEnd[i];
    }

    public int valueStart(final int i)
    {
        return valueStart[i];
    }

    public int valueEnd(final int i)
    {
        return valueEnd[i];
    }

    /** @return the first byte of member {@code i}'s value: {@code '"'}, {@code '{'}, {@code '['}, a digit, ... */
    public byte first(final int i)
    {
        return src[valueStart[i]];
    }

    public boolean isString(final int i)
    {
        return src[valueStart[i]] == '"';
    }

    public boolean isStructure(final int i)
    {
        final byte b = src[valueStart[i]];
        return b == '{' || b == '[';
    }

    /**
     * @return whether member {@code i} is the integer {@code -0}, which the token reader keeps as {@code 0} (its text of
     *         the number) where {@link #capture} keeps what was sent: a scan leaves such an event to the token reader.
     */
    public boolean isNegativeZero(final int i)
    {
        final int from = valueStart[i];
        return src[from] == '-' && valueEnd[i] - from == 2 && src[from + 1] == '0';
    }

    /** @return whether any member is the integer {@code -0} (see {@link #isNegativeZero}). */
    public boolean holdsNegativeZero()
    {
        for (int k = 0; k < count; k++)
        {
            if (isNegativeZero(k))
            {
                return true;
            }
        }
        return false;
    }

    /** @return true when member {@code i} is an integer as JSON writes one (no fraction, no exponent). */
    public boolean isInteger(final int i)
    {
        final byte b = src[valueStart[i]];
        if (b != '-' && (b < '0' || b > '9'))
        {
            return false;
        }
        for (int k = valueStart[i] + 1; k < valueEnd[i]; k++)
        {
            final byte c = src[k];
            if (c == '.' || c == 'e' || c == 'E')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return member {@code i}'s value as an index a token reader reads as a long: a plain non-negative integer of at
     *         most 18 digits; else -1 (the scan then leaves the event to the token reader, which reports the rest).
     */
    public long plainIndex(final int i)
    {
        return valueEnd[i] - valueStart[i] > 18 ? -1 : index(i);
    }

    /**
     * @return member {@code i}'s value as an integer of an optional minus and at most 18 digits ({@link
     *         JsonBytes#integerValue}), or {@link JsonBytes#NOT_AN_INTEGER}.
     */
    public long integerValue(final int i)
    {
        return JsonBytes.integerValue(src, valueStart[i], valueEnd[i]);
    }

    /** @return member {@code i} as a non-negative integer that fits a long, or -1 when it is anything else. */
    public long index(final int i)
    {
        final int from = valueStart[i];
        final int to = valueEnd[i];
        if (to - from > 19)
        {
            return -1;
        }
        long v = 0;
        for (int k = from; k < to; k++)
        {
            final byte c = src[k];
            if (c < '0' || c > '9')
            {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return to > from && v >= 0 ? v : -1;
    }

    /**
     * Decodes string member {@code i} into {@code into}, producing the characters Jackson produces.
     *
     * @return the decoded length, or -1 when the value is not a string.
     */
    public int decodeString(final int i, final StringDecoder into)
    {
        if (!isString(i) || into.decode(src, valueStart[i] + 1, valueEnd[i]) < 0)
        {
            return -1;
        }
        return into.length();
    }

    /**
     * Keeps string member {@code i} in {@code into} as its decoded characters: plain ASCII byte for character, anything
     * else decoded by {@code decoder} as {@link #decodeString} decodes it.
     *
     * @return false, {@code into} left as it was, when the member is not a string or decodes to more than {@code limit}
     *         characters.
     */
    public boolean textInto(final int i, final MutableTextBuffer into, final int limit, final StringDecoder decoder)
    {
        final int from = valueStart[i] + 1;
        final int to = valueEnd[i] - 1;
        if (isString(i) && JsonBytes.plainAsciiEnd(src, from, to) == to)
        {
            // Ids and most names are written as themselves: kept byte for character, not decoded first.
            return to - from <= limit && into.setAscii(src, from, to, limit);
        }
        final int length = decodeString(i, decoder);
        return length >= 0 && length <= limit && into.set(decoder.chars(), 0, length, limit);
    }

    /**
     * @return whether string member {@code i} decodes to at most {@code limit} characters: told by its length in bytes
     *         when that is within the limit (a string never has more characters than bytes), else counted, not decoded.
     */
    public boolean textWithin(final int i, final int limit)
    {
        final int from = valueStart[i] + 1;
        final int to = valueEnd[i] - 1;
        return to - from <= limit || StringDecoder.decodedLength(src, from, to) <= limit;
    }

    /**
     * Decodes string member {@code i} into {@code into}, as {@link #decodeString} does.
     *
     * @return {@code into}'s characters, valid up to its {@link StringDecoder#length()}.
     */
    public char[] stringChars(final int i, final StringDecoder into)
    {
        decodeString(i, into);
        return into.chars();
    }

    /**
     * Keeps member {@code i}'s value as {@link JsonReader#capture} keeps the token it is on: numbers and short strings
     * as their characters, long strings, objects and arrays as their bytes, literals by type.
     *
     * @return false when it was larger than {@code maxRawBytes} (it is then kept as null or cut).
     */
    public boolean capture(final int i, final MutableRawJson into, final int maxRawBytes)
    {
        final int from = valueStart[i];
        final int to = valueEnd[i];
        switch (src[from])
        {
            case '{':
            case '[':
                return into.setStructured(src, from, to - from, maxRawBytes);
            case '"':
                return into.setString(src, from, to - 1, maxRawBytes, decoder);
            case 't':
                into.setLiteral(MutableRawJson.Type.TRUE);
                return true;
            case 'f':
                into.setLiteral(MutableRawJson.Type.FALSE);
                return true;
            case 'n':
                into.setLiteral(MutableRawJson.Type.NULL);
                return true;
            default:
            {
                // A number, ASCII: its characters are its bytes.
                if (numberChars.length < to - from)
                {
                    numberChars = new char[to - from];
                }
                for (int k = from; k < to; k++)
                {
                    numberChars[k - from] = (char)src[k];
                }
                return into.setScalar(MutableRawJson.Type.NUMBER, numberChars, 0, to - from, maxRawBytes);
            }
        }
    }

    /** @return true when member {@code i} is null or the empty string (what never replaces a kept value). */
    public boolean isNullOrEmpty(final int i)
    {
        final byte b = src[valueStart[i]];
        return b == 'n' || (b == '"' && valueEnd[i] - valueStart[i] == 2);
    }

    private void add(final int nameFrom, final int nameTo, final int from, final int to)
    {
        add(nameFrom, nameTo, from, to, false);
    }

    /** @param repeatedName whether the name is known to be the one its place held ({@link PlacedNames#repeatedClose}). */
    private void add(final int nameFrom, final int nameTo, final int from, final int to, final boolean repeatedName)
    {
        if (count == valueStart.length)
        {
            final int n = count * 2;
            nameStart = Arrays.copyOf(nameStart, n);
            nameEnd = Arrays.copyOf(nameEnd, n);
            valueStart = Arrays.copyOf(valueStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
            names.grow(n);
        }
        nameStart[count] = nameFrom;
        nameEnd[count] = nameTo;
        valueStart[count] = from;
        valueEnd[count] = to;
        if (nameFrom < 0)
        {
            names.setNone(count);
        }
        else if (!repeatedName)
        {
            names.set(count, src, nameFrom, nameTo);
        }
        count++;
    }

    /** @return the index just past the checked value at {@code from}. */
    private static int skipValue(final byte[] bytes, final int from, final int limit)
    {
        final byte first = bytes[from];
        if (first == '"')
        {
            return JsonBytes.closingQuote(bytes, from + 1, limit) + 1;
        }
        if (first != '{' && first != '[')
        {
            int i = from + 1;
            while (i < limit)
            {
                final byte b = bytes[i];
                if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t')
                {
                    break;
                }
                i++;
            }
            return i;
        }
        int depth = 0;
        int i = from;
        while (i < limit)
        {
            final byte b = bytes[i];
            if (b == '"')
            {
                i = JsonBytes.closingQuote(bytes, i + 1, limit) + 1;
                continue;
            }
            if (b == '{' || b == '[')
            {
                depth++;
            }
            else if (b == '}' || b == ']')
            {
                if (--depth == 0)
                {
                    return i + 1;
                }
            }
            i++;
        }
        return limit;
    }
}
