package io.streamfold.aggregator.internal.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.parser.internal.Buffers;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A structure the token reader keeps raw ({@link JsonReader#capture}) is exactly its bytes in the event, wherever it
 * ends: objects and arrays holding long strings with escaped quotes, backslashes and brackets, between other members.
 * (The reader finds its end in bytes its syntax check accepted, a word at a time across strings.)
 */
class JsonReaderCaptureProperties
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonReader reader = new JsonReader(AggregationLimits.DEFAULT);
    private final MutableRawJson kept = new MutableRawJson();

    @Property(tries = 2000)
    void keptStructureIsItsBytes(@ForAll final Random random) throws JsonReader.BadPayload
    {
        final boolean object = random.nextBoolean();
        final StringBuilder value = new StringBuilder(object ? "{\"s\":" : "[");
        JsonSyntaxCheckProperties.longString(random, value);
        value.append(random.nextBoolean() ? "," : ", ").append(object ? "\"n\":" : "");
        JsonSyntaxCheckProperties.value(random, value, 1);
        if (random.nextBoolean())
        {
            // A member, or an element, whose name and text are closing and opening brackets, quotes and a backslash.
            value.append(object ? ",\"]}\\\"[{\":\"{[\\\\\"" : ",\"]}\\\"[{\"");
        }
        value.append(object ? '}' : ']');
        final String event = "{\"a\":\"x\",\"v\":" + value + ",\"z\":[\"}\"]}";
        final byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        // The generators may leave half a surrogate pair, which has no UTF-8, a raw tab in a string, or a name escaping
        // half a pair, which Jackson's byte parser (whose verdict the reader gives) refuses.
        Assume.that(event.equals(new String(bytes, StandardCharsets.UTF_8)) && jacksonReadsAll(bytes));
        reader.beginObject(Buffers.wrap(bytes), 0, bytes.length);
        String keptText = null;
        while (reader.next() == JsonToken.FIELD_NAME)
        {
            final String name = reader.name();
            reader.next();
            if ("v".equals(name))
            {
                reader.capture(kept);
                keptText = new String(kept.structuredBytes(), 0, kept.structuredLength(), StandardCharsets.UTF_8);
            }
            else
            {
                reader.skip();
            }
        }
        reader.finish();
        assertEquals(value.toString(), keptText, () -> event.replace("\n", "\\n").replace("\r", "\\r"));
    }

    private static boolean jacksonReadsAll(final byte[] bytes)
    {
        try (JsonParser parser = FACTORY.createParser(bytes))
        {
            while (parser.nextToken() != null)
            {
                parser.currentName();
            }
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }
}
