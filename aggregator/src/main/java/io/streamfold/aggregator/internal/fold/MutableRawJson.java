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
    private final MutableTextBuffer text = new MutableTextBuffer();
    private byte[] bytes = NO_BYTES;
    private int byteLength;

    public MutableRawJson()
    {
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

    public boolean setScalar(final Type scalarType, final char[] chars, final int offset, final int length, final int limit)
    {
        type = scalarType;
        byteLength = 0;
        return text.set(chars, offset, length, limit);
    }

    public void setLiteral(final Type literal)
    {
        type = literal;
        text.clear();
        byteLength = 0;
    }

    public boolean setStructured(final byte[] src, final int offset, final int length, final int limit)
    {
        text.clear();
        byteLength = 0;
        if (length > limit)
        {
            type = Type.NULL;
            return false;
        }
        if (bytes.length < length)
        {
            bytes = new byte[Math.max(length, Math.min(limit, bytes.length * 2))];
        }
        System.arraycopy(src, offset, bytes, 0, length);
        byteLength = length;
        type = Type.STRUCTURED;
        return true;
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
