package io.streamfold.aggregator.internal.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the argument field events of a complete JSON text must be, from Jackson's tree model: every field and
 * array element, inner ones before their container, each as {@code pointer=value} with the value written back
 * canonically, so that the raw text of an event and the tree compare whatever the spacing or escapes.
 */
public final class ArgumentFieldOracle
{
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ArgumentFieldOracle()
    {
    }

    /** @return the expected events of {@code json}, or null when it is not one complete JSON value. */
    public static List<String> expected(final String json)
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(json);
        }
        catch (final JsonProcessingException e)
        {
            return null;
        }
        if (root == null || root.isMissingNode())
        {
            return null;
        }
        final List<String> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    /** @return one event as the oracle writes it: the raw value parsed and written back canonically. */
    public static String canonical(final CharSequence pointer, final CharSequence rawValue)
    {
        try
        {
            return pointer + "=" + MAPPER.readTree(rawValue.toString());
        }
        catch (final JsonProcessingException e)
        {
            return pointer + "=<not JSON: " + rawValue + ">";
        }
    }

    private static void walk(final JsonNode node, final String pointer, final List<String> out)
    {
        if (node.isObject())
        {
            final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext())
            {
                final Map.Entry<String, JsonNode> f = fields.next();
                final String child = pointer + "/" + f.getKey().replace("~", "~0").replace("/", "~1");
                walk(f.getValue(), child, out);
                out.add(child + "=" + f.getValue());
            }
        }
        else if (node.isArray())
        {
            for (int i = 0; i < node.size(); i++)
            {
                final String child = pointer + "/" + i;
                walk(node.get(i), child, out);
                out.add(child + "=" + node.get(i));
            }
        }
    }
}
