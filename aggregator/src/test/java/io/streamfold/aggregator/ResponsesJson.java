package io.streamfold.aggregator;

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
 * A tiny JSON tree for tests (maps, lists, strings, BigDecimal numbers, booleans, null), built with
 * Jackson Core only, so tests can compare JSON documents without caring about field order or spacing.
 */
final class ResponsesJson
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private ResponsesJson()
    {
    }

    static Object parse(final String json)
    {
        try (JsonParser p = FACTORY.createParser(json))
        {
            p.nextToken();
            final Object value = read(p);
            if (p.nextToken() != null)
            {
                throw new IllegalArgumentException("trailing content");
            }
            return value;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(final String json)
    {
        return (Map<String, Object>)parse(json);
    }

    private static Object read(final JsonParser p) throws IOException
    {
        final JsonToken t = p.currentToken();
        switch (t)
        {
            case START_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = p.currentName();
                    p.nextToken();
                    map.put(name, read(p));
                }
                return map;
            }
            case START_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new BigDecimal(p.getText()).stripTrailingZeros();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected " + t);
        }
    }

    static String write(final Object value)
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
}
