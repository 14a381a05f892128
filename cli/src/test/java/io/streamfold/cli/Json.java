package io.streamfold.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Reads test output into maps and lists with jackson-core alone (no databind anywhere in the build). */
final class Json
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json()
    {
    }

    static Object parse(final String json) throws IOException
    {
        try (JsonParser p = FACTORY.createParser(json))
        {
            p.nextToken();
            final Object value = read(p);
            if (p.nextToken() != null)
            {
                throw new IOException("trailing content after the JSON value");
            }
            return value;
        }
    }

    @SuppressWarnings("unchecked")
    static Object at(final Object root, final Object... path)
    {
        Object node = root;
        for (final Object step : path)
        {
            node = step instanceof Integer ? ((List<Object>)node).get((Integer)step) : ((Map<String, Object>)node).get(step);
        }
        return node;
    }

    private static Object read(final JsonParser p) throws IOException
    {
        final JsonToken token = p.currentToken();
        switch (token)
        {
            case START_OBJECT:
                final Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME)
                {
                    final String name = p.currentName();
                    p.nextToken();
                    map.put(name, read(p));
                }
                return map;
            case START_ARRAY:
                final List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY)
                {
                    list.add(read(p));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object)p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + token);
        }
    }
}
