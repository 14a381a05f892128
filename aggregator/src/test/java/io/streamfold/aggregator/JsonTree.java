package io.streamfold.aggregator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Test-only JSON to plain Java values: Map (ordered), List, String, BigDecimal (exact), Boolean, null. */
public final class JsonTree
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree()
    {
    }

    public static Object parse(final String json)
    {
        try (JsonParser p = FACTORY.createParser(json))
        {
            p.nextToken();
            final Object v = read(p);
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

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(final String json)
    {
        return (Map<String, Object>)parse(json);
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

    private static Object read(final JsonParser p) throws IOException
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
                    if (map.put(name, read(p)) != null)
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
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return new BigDecimal(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                return new BigDecimal(p.getText());
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
}
