package io.streamfold.aggregator.internal.fold;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import io.streamfold.aggregator.model.RawJson;

/**
 * One JSON value kept as the provider sent it, for fields streamfold does not interpret and for
 * values that must stay exact (a {@code seed} above 2^63). Scalars keep their characters, objects and
 * arrays their bytes. Reused in place: capturing into an existing value allocates nothing once its
 * buffers are large enough.
 */
public final class MutableRawJson implements RawJson
{

    private static final byte[] NO_BYTES = new byte[0];

    private Type type = Type.ABSENT;
    private final MutableTextBuffer text;
    private byte[] bytes = NO_BYTES;
    private int byteLength;
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

    /** @return characters of a string, or digits of a number; empty for other types. */
    public CharSequence text()
    {
        return text;
    }

    /** @return the value as JSON text (allocates). */
    public String json()
    {
        switch (type)
        {
            case STRING:
                return quote(text);
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
        return text.set(chars, offset, length, limit);
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
    }

    /** @return as {@link #setScalar}. */
    public boolean setStructured(final byte[] src, final int offset, final int length, final int limit)
    {
        if (discards)
        {
            return true;
        }
        final int grown = length <= bytes.length || length > limit ? bytes.length : Math.max(length, Math.min(limit, bytes.length * 2));
        if (budget != null && grown > bytes.length && !budget.grow(grown - bytes.length, "a kept raw JSON value"))
        {
            return true;
        }
        text.clear();
        byteLength = 0;
        if (length > limit)
        {
            type = Type.NULL;
            return false;
        }
        if (grown > bytes.length)
        {
            bytes = new byte[grown];
        }
        System.arraycopy(src, offset, bytes, 0, length);
        byteLength = length;
        type = Type.STRUCTURED;
        return true;
    }

    /** Drops the value's capacity (a reset that does not pool it). */
    void release()
    {
        clear();
        text.release();
        bytes = NO_BYTES;
    }

    /** Copies another kept value. */
    public void copyFrom(final MutableRawJson other)
    {
        type = other.type;
        text.set(other.text, Integer.MAX_VALUE);
        if (!other.text.isPresent())
        {
            text.clear();
        }
        if (bytes.length < other.byteLength)
        {
            bytes = new byte[other.byteLength];
        }
        System.arraycopy(other.bytes, 0, bytes, 0, other.byteLength);
        byteLength = other.byteLength;
    }

    public byte[] structuredBytes()
    {
        return bytes;
    }

    public int structuredLength()
    {
        return byteLength;
    }

    /** Writes the value as the next JSON value of {@code generator}. */
    public void write(final JsonGenerator generator) throws IOException
    {
        switch (type)
        {
            case STRING:
                generator.writeString(text.array(), 0, text.length());
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
