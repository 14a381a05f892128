package io.streamfold.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Test-only JSON to plain Java values and back: Map (ordered), List, String, BigDecimal, Boolean, null.
 * Read independently of the code under test (only Jackson's streaming parser).
 *
 * <p>Two readings of numbers: {@link #parse} keeps them exact as written (integers at scale 0, so a seed
 * above 2^63 compares equal to {@code new BigDecimal("9314001608812126000")}) and rejects duplicate
 * fields; {@link #parseByValue} strips trailing zeros so that {@code 1.50} and {@code 1.5} compare equal,
 * and lets a repeated field's last value win.
 */
public final class JsonTree
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree()
    {
    }

    /** @return the one JSON value in {@code json}, numbers exact; duplicate fields are an error. */
    public static Object parse(final String json)
    {
        return parse(json, false);
    }

    /** @return the one JSON value in {@code json}, numbers compared by value; the last of repeated fields wins. */
    public static Object parseByValue(final String json)
    {
        return parse(json, true);
    }

    private static Object parse(final String json, final boolean byValue)
    {
        try (JsonParser p = FACTORY.createParser(json))
        {
            p.nextToken();
            final Object v = read(p, byValue);
            if (p.nextToken() != null)
            {
                throw new IllegalArgumentException("more than one JSON value");
            }
            return v;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@link #parse} of a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String json)
    {
        return (Map<String, Object>)parse(json);
    }

    /** @return {@link #parseByValue} of a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> objectByValue(final String json)
    {
        return (Map<String, Object>)parseByValue(json);
    }

    /** @return the value at a path of field names and list indexes, or null when absent. */
    @SuppressWarnings("unchecked")
    public static Object at(final Object root, final Object... path)
    {
        Object v = root;
        for (final Object step : path)
        {
            if (v instanceof Map && step instanceof String)
            {
                v = ((Map<String, Object>)v).get(step);
            }
            else if (v instanceof List && step instanceof Integer)
            {
                final List<Object> list = (List<Object>)v;
                final int i = (Integer)step;
                v = i < list.size() ? list.get(i) : null;
            }
            else
            {
                return null;
            }
        }
        return v;
    }

    private static Object read(final JsonParser p, final boolean byValue) throws IOException
    {
        switch (p.currentToken())
        {
            case START_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = p.currentName();
                    p.nextToken();
                    if (map.put(name, read(p, byValue)) != null && !byValue)
                    {
                        throw new IllegalArgumentException("duplicate field " + name);
                    }
                }
                return map;
            }
            case START_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(read(p, byValue));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return byValue ? new BigDecimal(p.getText()).stripTrailingZeros() : new BigDecimal(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return byValue ? new BigDecimal(p.getText()).stripTrailingZeros() : new BigDecimal(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected " + p.currentToken());
        }
    }

    /** @return {@code value} (as {@link #parse} returns them) written as compact JSON. */
    public static String write(final Object value)
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out))
        {
            write(g, value);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(final JsonGenerator g, final Object value) throws IOException
    {
        if (value == null)
        {
            g.writeNull();
        }
        else if (value instanceof Map)
        {
            g.writeStartObject();
            for (final Map.Entry<String, Object> e : ((Map<String, Object>)value).entrySet())
            {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        }
        else if (value instanceof List)
        {
            g.writeStartArray();
            for (final Object o : (List<Object>)value)
            {
                write(g, o);
            }
            g.writeEndArray();
        }
        else if (value instanceof String)
        {
            g.writeString((String)value);
        }
        else if (value instanceof BigDecimal)
        {
            // Whole numbers as written on the wire (90, not the stripped 9E+1): usage counts are checked as integers.
            final BigDecimal d = (BigDecimal)value;
            if (d.signum() == 0 || d.scale() <= 0)
            {
                g.writeNumber(d.toBigInteger());
            }
            else
            {
                g.writeNumber(d);
            }
        }
        else if (value instanceof Boolean)
        {
            g.writeBoolean((Boolean)value);
        }
        else
        {
            throw new IllegalArgumentException("not JSON: " + value.getClass());
        }
    }

    /** @return {@code s} as a JSON string literal, escaping what JSON requires. */
    public static String quote(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
