package io.streamfold.aggregator.internal.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonToken;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.json.JsonReader;

/**
 * Values a cleared instance keeps for its next fields (a pooled aggregator's next stream) carry nothing over: a field
 * folded after a clear reads exactly as in a new instance, whatever kind its name had before.
 */
class MutableDeltaFieldsTest
{
    private static final AggregationLimits LIMITS = AggregationLimits.DEFAULT;

    @Test
    void aClearedInstanceFoldsAsANewOne() throws Exception
    {
        final String first = "{\"a\":\"long text that grows the buffer\",\"b\":[1,2,3],\"c\":{\"x\":\"deep\",\"y\":[4]},\"d\":7}";
        final String[] seconds = {
            "{\"a\":[9],\"b\":\"s\",\"c\":5,\"d\":{\"z\":\"t\"}}",
            "{\"d\":\"x\",\"c\":{\"x\":\"y\"},\"e\":true}",
            "{\"b\":[],\"a\":\"\"}",
            "{}",
        };
        for (final boolean deep : new boolean[] { false, true })
        {
            for (final String second : seconds)
            {
                final MutableDeltaFields pooled = new MutableDeltaFields(deep);
                fold(pooled, first);
                fold(pooled, first);
                pooled.clear();
                assertEquals(0, pooled.size());
                assertNull(pooled.json("a"));
                fold(pooled, second);
                fold(pooled, second);
                final MutableDeltaFields fresh = new MutableDeltaFields(deep);
                fold(fresh, second);
                fold(fresh, second);
                assertEquals(fresh.toString(), pooled.toString(), second);
                for (int i = 0; i < fresh.size(); i++)
                {
                    assertEquals(fresh.name(i), pooled.name(i));
                    assertEquals(fresh.json(i), pooled.json(i), second + " field " + fresh.name(i));
                }
            }
        }
    }

    @Test
    void aClearedStateIsReplacedNotJoined() throws Exception
    {
        final MutableDeltaFields fields = new MutableDeltaFields();
        final JsonReader reader = reader("{\"channel\":\"analysis\"}");
        reader.next();
        reader.next();
        fields.replace("channel", reader, LIMITS);
        fields.clear();
        final JsonReader next = reader("{\"channel\":\"final\"}");
        next.next();
        next.next();
        fields.replace("channel", next, LIMITS);
        assertEquals("\"final\"", fields.json("channel"));
        assertEquals(1, fields.size());
    }

    private static void fold(final MutableDeltaFields fields, final String json) throws Exception
    {
        final JsonReader reader = reader(json);
        while (reader.next() == JsonToken.FIELD_NAME)
        {
            final String name = reader.name();
            reader.next();
            fields.fold(name, reader, LIMITS);
        }
    }

    private static JsonReader reader(final String json) throws Exception
    {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final JsonReader reader = new JsonReader(LIMITS);
        reader.beginObject(new UnsafeBuffer(bytes), 0, bytes.length);
        return reader;
    }
}
