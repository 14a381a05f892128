package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.internal.json.StringDecoder;
import io.streamfold.aggregator.model.RawJson;

/**
 * One JSON value kept as the provider sent it, for fields streamfold does not interpret and for
 * values that must stay exact (a {@code seed} above 2^63). Numbers and short strings keep their characters,
 * objects and arrays their bytes. A string of {@link #LONG_STRING_BYTES} bytes or more as sent (an encrypted
 * reasoning blob, a signature, a page of search results) is kept as those bytes, checked but not decoded: it is
 * decoded when it is read ({@link #text()}, {@link #json()}, {@link #write}), into a new string each time, since
 * what an opaque value is kept for is mostly to be written back once. A fast path that replaces a short string on
 * every event nobody reads (Ollama's {@code created_at}) keeps it as its bytes too ({@link #setCheckedString}).
 * Reused in place: capturing into an existing value allocates nothing once its buffers are large enough.
 */
public final class MutableRawJson implements RawJson
{
    /**
     * Strings this long as sent (bytes between the quotes) or longer are kept as their bytes; shorter ones, which
     * decoders read back (ids, types, names), are decoded when kept. One rule for every reader, token or byte scan,
     * so a value is kept, charged and read the same way whichever path read it.
     */
    public static final int LONG_STRING_BYTES = 256;

    private static final byte[] NO_BYTES = new byte[0];
    private static final char[] NO_CHARS = new char[0];

    private Type type = Type.ABSENT;
    private final MutableTextBuffer text;
    /** An object's or array's bytes; or, when {@link #undecoded}, a long string with its quotes, as sent. */
    private byte[] bytes = NO_BYTES;
    private int byteLength;
    /** True for a STRING kept as its bytes, not yet (and never stored) decoded. */
    private boolean undecoded;
    /**
     * When {@link #undecoded}: 0 for a long string (in {@link #bytes}), else the length of a short one kept by
     * {@link #setCheckedString} in {@link #shortBytes}, quotes included.
     */
    private int shortLength;
    /**
     * A short string's bytes, kept apart from {@link #bytes} and not charged: the result is charged for the
     * characters' room instead, as if the string were decoded (so limits fall where the full decoder's do), and
     * {@link #bytes}' charged capacity stays the full decoder's. At most {@link #LONG_STRING_BYTES} + 1 bytes.
     */
    private byte[] shortBytes = NO_BYTES;
    /** Charged for growth when part of a result; null for a decoder's scratch and a snapshot's copies. */
    private final ResultBudget budget;
    /** True for the one slot a result with no room left hands out: it keeps nothing. */
    private final boolean discards;

    public MutableRawJson()
    {
        this(null, false);
    }

    MutableRawJson(final ResultBudget budget)
    {
        this(budget, false);
    }

    private MutableRawJson(final ResultBudget budget, final boolean discards)
    {
        this.budget = budget;
        this.discards = discards;
        this.text = new MutableTextBuffer(budget, false);
    }

    /** @return a value that keeps nothing set into it (stays ABSENT). */
    static MutableRawJson discarding()
    {
        return new MutableRawJson(null, true);
    }

    /** @return the JSON type, or {@link Type#ABSENT}. */
    public Type type()
    {
        return type;
    }

    /**
     * @return characters of a string, or digits of a number; empty for other types. A long string kept as its bytes
     * is decoded into a new string by each call.
     */
    public CharSequence text()
    {
        return undecoded ? decoded() : text;
    }

    /** @return true for a string of no characters (answered without decoding one kept as bytes, never empty). */
    public boolean isEmptyString()
    {
        return type == Type.STRING && !undecoded && text.length() == 0;
    }

    /**
     * @return true when the value's characters (a string's, a number's digits; not a string kept as its bytes) are the
     *         bytes {@code src[from, to)} read as ASCII, byte for character.
     */
    public boolean textEqualsAscii(final byte[] src, final int from, final int to)
    {
        return !undecoded && text.contentEqualsAscii(src, from, to);
    }

    /** @return true when the value is a string kept as its bytes (see {@link #LONG_STRING_BYTES}). */
    public boolean isUndecoded()
    {
        return undecoded;
    }

    /**
     * Sets {@code into} to {@link #text()}, decoding a string kept as bytes with {@code scratch} rather than into a new
     * string.
     *
     * @return as {@link MutableTextBuffer#set(char[], int, int, int)}.
     */
    public boolean textInto(final MutableTextBuffer into, final int limit, final StringDecoder scratch)
    {
        if (!undecoded)
        {
            return into.set(text.array(), 0, text.length(), limit);
        }
        scratch.decode(undecodedBytes(), 1, undecodedLength());
        return into.set(scratch.chars(), 0, scratch.length(), limit);
    }

    private String decoded()
    {
        final StringDecoder decoder = decodedString();
        return new String(decoder.chars(), 0, decoder.length());
    }

    /** @return a new decoder holding the characters of a string kept as its bytes. */
    private StringDecoder decodedString()
    {
        final int length = undecodedLength();
        final StringDecoder decoder = new StringDecoder(length);
        decoder.decode(undecodedBytes(), 1, length);
        return decoder;
    }

    private byte[] undecodedBytes()
    {
        return shortLength > 0 ? shortBytes : bytes;
    }

    private int undecodedLength()
    {
        return shortLength > 0 ? shortLength : byteLength;
    }

    /**
     * Puts an object's or array's JSON text, {@link #json()}, into {@code into} without making a String, when its bytes
     * are all ASCII (one character each; a function call's arguments mostly are).
     *
     * @return false, {@code into} untouched, when the value is not an object or array or holds a byte beyond ASCII.
     */
    public boolean asciiJsonInto(final MutableTextBuffer into)
    {
        return type == Type.STRUCTURED && asciiPrefix(byteLength) == byteLength &&
            into.setAscii(bytes, 0, byteLength, Integer.MAX_VALUE);
    }

    /** @return how many of a structured value's first {@code n} bytes are ASCII before the first that is not. */
    private int asciiPrefix(final int n)
    {
        int k = 0;
        while (k < n && bytes[k] >= 0)
        {
            k++;
        }
        return k;
    }

    /** @return the value as JSON text (allocates). */
    public String json()
    {
        switch (type)
        {
            case STRING:
                return quote(text());
            case NUMBER:
                return text.toString();
            case TRUE:
                return "true";
            case FALSE:
                return "false";
            case NULL:
            case ABSENT:
                return "null";
            default:
                return new String(bytes, 0, byteLength, StandardCharsets.UTF_8);
        }
    }

    /**
     * @return {@code prefix} then {@link #json()} cut to {@code maxChars} characters, with {@code "..."} when cut. An
     *         object or array whose first {@code maxChars} bytes are ASCII is cut from its bytes: an error summary made
     *         once per errored stream then costs one string of the summary's length, not the whole value's text twice.
     */
    public String summary(final String prefix, final int maxChars)
    {
        if (type == Type.STRUCTURED)
        {
            final int n = Math.min(byteLength, maxChars);
            if (asciiPrefix(n) == n)
            {
                // ASCII bytes are the text's first characters one for one; a longer value has more characters after.
                final String head = new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                return byteLength > maxChars ? prefix + head + "..." : prefix + head;
            }
        }
        final String json = json();
        return json.length() <= maxChars ? prefix + json : prefix + json.substring(0, maxChars) + "...";
    }

    /** @return the number as a long, or {@code fallback} when it is not an integer that fits. */
    public long longValue(final long fallback)
    {
        if (type != Type.NUMBER || text.length() == 0)
        {
            return fallback;
        }
        long value = 0;
        int i = 0;
        final boolean negative = text.charAt(0) == '-';
        if (negative)
        {
            i = 1;
        }
        if (i >= text.length())
        {
            return fallback;
        }
        for (; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10)
            {
                return fallback;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    /** @return true for ABSENT and NULL. */
    public boolean isNullish()
    {
        return type == Type.ABSENT || type == Type.NULL;
    }

    public void clear()
    {
        type = Type.ABSENT;
        text.clear();
        byteLength = 0;
        undecoded = false;
    }

    /**
     * @return false when the value passes {@code limit} (kept as null). The result's budget refusing it is not a
     * false: the budget reports that once, and the old value stays.
     */
    public boolean setScalar(final Type scalarType, final char[] chars, final int offset, final int length, final int limit)
    {
        if (discards || (length <= limit && !text.ensure(length)))
        {
            return true;
        }
        type = scalarType;
        byteLength = 0;
        undecoded = false;
        return text.set(chars, offset, length, limit);
    }

    /**
     * Keeps the string that {@code src[open, close]} holds, quotes included, as it was sent: bytes that a reader
     * has checked as a JSON string (well-formed UTF-8, valid escapes). A long string (see
     * {@link #LONG_STRING_BYTES}) keeps those bytes; a shorter one its characters, decoded with {@code decoder}.
     *
     * @param open  index of the opening quote.
     * @param close index of the closing quote.
     * @param limit longest string kept, in characters, as for {@link #setScalar}.
     * @return as {@link #setScalar}.
     */
    public boolean setString(final byte[] src, final int open, final int close, final int limit, final StringDecoder decoder)
    {
        if (close - open - 1 < LONG_STRING_BYTES)
        {
            decoder.decode(src, open + 1, close + 1);
            return setScalar(Type.STRING, decoder.chars(), 0, decoder.length(), limit);
        }
        return setLongString(src, open, close, limit);
    }

    /**
     * As {@link #setString}, but a short string is kept as its bytes too, not decoded: for a fast path that replaces
     * a value on every event and nobody reads it until the end. Kept, refused and charged exactly as
     * {@link #setString} would keep it: a string over {@code limit} characters is kept empty with a false, and the
     * result is charged for the room its characters would take (the bytes themselves are not charged).
     *
     * @param open  index of the opening quote of a string the caller has checked (as {@code JsonBytes.stringEnd} does).
     * @param close index of its closing quote.
     */
    public boolean setCheckedString(final byte[] src, final int open, final int close, final int limit)
    {
        final int n = close - open - 1;
        if (n >= LONG_STRING_BYTES)
        {
            return setLongString(src, open, close, limit);
        }
        if (discards || n == 0)
        {
            return setScalar(Type.STRING, NO_CHARS, 0, 0, limit);
        }
        // A string never has more characters than bytes: the exact count is needed only when the bytes would not fit.
        final int chars = n > limit || n > text.capacity() ? StringDecoder.decodedLength(src, open + 1, close) : n;
        if (chars > limit)
        {
            tooLong();
            return false;
        }
        if (!text.ensure(chars))
        {
            return true;
        }
        growShortBytes(n + 2);
        System.arraycopy(src, open, shortBytes, 0, n + 2);
        shortLength = n + 2;
        type = Type.STRING;
        byteLength = 0;
        undecoded = true;
        text.clear();
        return true;
    }

    /** Makes room for a short string's bytes, once: counted in the pool (a reset may drop it), not charged. */
    private void growShortBytes(final int length)
    {
        if (shortBytes.length < length)
        {
            if (budget != null)
            {
                budget.grewContent(LONG_STRING_BYTES + 1);
            }
            shortBytes = new byte[LONG_STRING_BYTES + 1];
        }
    }

    /** {@link #setString} for a string of {@link #LONG_STRING_BYTES} or more. */
    private boolean setLongString(final byte[] src, final int open, final int close, final int limit)
    {
        if (discards)
        {
            return true;
        }
        if (close - open - 1 > limit && StringDecoder.decodedLength(src, open + 1, close) > limit)
        {
            tooLong();
            return false;
        }
        if (!keepBytes(src, open, close + 1 - open, "a kept string"))
        {
            return true;
        }
        type = Type.STRING;
        undecoded = true;
        shortLength = 0;
        text.clear();
        return true;
    }

    /** As setScalar keeps a string over its limit: no characters (the caller reports the false). */
    private void tooLong()
    {
        type = Type.STRING;
        byteLength = 0;
        undecoded = false;
        text.set(NO_CHARS, 0, 0, 0);
    }

    public void setLiteral(final Type literal)
    {
        if (discards)
        {
            return;
        }
        type = literal;
        text.clear();
        byteLength = 0;
        undecoded = false;
    }

    /** @return as {@link #setScalar}. */
    public boolean setStructured(final byte[] src, final int offset, final int length, final int limit)
    {
        if (discards)
        {
            return true;
        }
        if (length > limit)
        {
            text.clear();
            byteLength = 0;
            undecoded = false;
            type = Type.NULL;
            return false;
        }
        if (!keepBytes(src, offset, length, "a kept raw JSON value"))
        {
            return true;
        }
        text.clear();
        undecoded = false;
        type = Type.STRUCTURED;
        return true;
    }

    /**
     * Copies {@code length} bytes into {@link #bytes}, grown (and the growth charged) as needed.
     *
     * @return false, changing nothing, when the result's budget refuses the growth (it reports that).
     */
    private boolean keepBytes(final byte[] src, final int offset, final int length, final String what)
    {
        if (length > bytes.length)
        {
            final int grown = Math.max(length, (int)Math.min(Integer.MAX_VALUE - 8, bytes.length * 2L));
            if (budget != null && !budget.grow(grown - bytes.length, what))
            {
                return false;
            }
            bytes = new byte[grown];
        }
        System.arraycopy(src, offset, bytes, 0, length);
        byteLength = length;
        return true;
    }

    /** Drops the value's capacity (a reset that does not pool it). */
    void release()
    {
        clear();
        text.release();
        bytes = NO_BYTES;
        shortBytes = NO_BYTES;
    }

    /**
     * Copies another kept value (a string kept as bytes stays undecoded). Growth is charged as when capturing; a
     * copy the result's budget refuses leaves this value as it was.
     */
    public void copyFrom(final MutableRawJson other)
    {
        if (discards)
        {
            return;
        }
        if (other.undecoded && other.shortLength > 0)
        {
            copyShortString(other);
            return;
        }
        if (other.byteLength > 0 && !keepBytes(other.bytes, 0, other.byteLength, "a kept raw JSON value"))
        {
            return;
        }
        byteLength = other.byteLength;
        type = other.type;
        undecoded = other.undecoded;
        text.set(other.text, Integer.MAX_VALUE);
        if (!other.text.isPresent())
        {
            text.clear();
        }
    }

    /**
     * Copies a short string kept as its bytes, charged as copying its decoded characters would be; refused, it leaves
     * what that copy leaves (the type set, the old characters).
     */
    private void copyShortString(final MutableRawJson other)
    {
        byteLength = 0;
        type = Type.STRING;
        undecoded = false;
        if (!text.ensure(StringDecoder.decodedLength(other.shortBytes, 1, other.shortLength - 1)))
        {
            return;
        }
        growShortBytes(other.shortLength);
        System.arraycopy(other.shortBytes, 0, shortBytes, 0, other.shortLength);
        shortLength = other.shortLength;
        undecoded = true;
        text.clear();
    }

    /** @return the bytes of an object or array (valid up to {@link #structuredLength()}). */
    public byte[] structuredBytes()
    {
        return bytes;
    }

    /** @return the length of an object's or array's bytes; 0 for every other type. */
    public int structuredLength()
    {
        return type == Type.STRUCTURED ? byteLength : 0;
    }

    /** Writes the value as the next JSON value of {@code generator}. */
    public void write(final JsonGenerator generator) throws IOException
    {
        switch (type)
        {
            case STRING:
                if (undecoded)
                {
                    final StringDecoder decoder = decodedString();
                    generator.writeString(decoder.chars(), 0, decoder.length());
                }
                else
                {
                    generator.writeString(text.array(), 0, text.length());
                }
                break;
            case NUMBER:
                generator.writeNumber(text.array(), 0, text.length());
                break;
            case TRUE:
                generator.writeBoolean(true);
                break;
            case FALSE:
                generator.writeBoolean(false);
                break;
            case STRUCTURED:
                generator.writeRawValue(new String(bytes, 0, byteLength, StandardCharsets.UTF_8));
                break;
            default:
                generator.writeNull();
        }
    }

    public static String quote(final CharSequence s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public String toString()
    {
        return json();
    }
}
