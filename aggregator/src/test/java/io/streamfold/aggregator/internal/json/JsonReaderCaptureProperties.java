package io.streamfold.aggregator.internal.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
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
        // half a pair, which Jackson's non-blocking parser (whose verdict the reader gives) refuses.
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

    /** Whether Jackson's non-blocking parser, the reader's, reads every token (it refuses names escaping half a pair). */
    private static boolean jacksonReadsAll(final byte[] bytes)
    {
        try (JsonParser parser = FACTORY.createNonBlockingByteArrayParser())
        {
            final ByteArrayFeeder feeder = (ByteArrayFeeder)parser.getNonBlockingInputFeeder();
            feeder.feedInput(bytes, 0, bytes.length);
            feeder.endOfInput();
            JsonToken token;
            while ((token = parser.nextToken()) != null)
            {
                if (token == JsonToken.NOT_AVAILABLE)
                {
                    return false;
                }
            }
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /**
     * A checked event read token by token, skipping some values, gives Jackson's tokens and texts, with long value
     * strings among them (which the reader does not feed its parser, and reads in the bytes): each string token also
     * starts where its quote is. Half the time the reader starts past a first member a decoder would know
     * ({@code beginObject(..., skip)}).
     */
    @Property(tries = 1000)
    void tokensAroundLongStringsAreJacksons(@ForAll final Random random) throws Exception
    {
        final boolean skipFirst = random.nextBoolean();
        final String first = "{\"known\":\"" + "k".repeat(300) + "\",";
        final StringBuilder text = new StringBuilder(skipFirst ? first : "{");
        final int members = 1 + random.nextInt(6);
        for (int m = 0; m < members; m++)
        {
            text.append(m > 0 ? "," : "").append(random.nextBoolean() ? " " : "").append("\"m").append(m).append("\":");
            switch (random.nextInt(4))
            {
                case 0:
                    JsonSyntaxCheckProperties.value(random, text, 1);
                    break;
                case 1:
                    text.append("[");
                    JsonSyntaxCheckProperties.longString(random, text);
                    text.append(",{\"x\":");
                    JsonSyntaxCheckProperties.longString(random, text);
                    text.append("},");
                    JsonSyntaxCheckProperties.value(random, text, 2);
                    text.append("]");
                    break;
                default:
                    JsonSyntaxCheckProperties.longString(random, text);
            }
        }
        final String event = text.append('}').toString();
        final byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        Assume.that(event.equals(new String(bytes, StandardCharsets.UTF_8)) && jacksonReadsAll(bytes));
        final JsonParser jackson = FACTORY.createParser(bytes);
        final int padding = random.nextInt(3);
        final byte[] padded = new byte[bytes.length + 2 * padding];
        System.arraycopy(bytes, 0, padded, padding, bytes.length);
        assertEquals(JsonToken.START_OBJECT, jackson.nextToken());
        if (skipFirst)
        {
            reader.beginObject(Buffers.wrap(padded), padding, bytes.length, first.length());
            assertEquals(JsonToken.FIELD_NAME, jackson.nextToken());
            assertEquals(JsonToken.VALUE_STRING, jackson.nextToken());
        }
        else
        {
            reader.beginObject(Buffers.wrap(padded), padding, bytes.length);
        }
        int depth = 1;
        while (depth > 0)
        {
            final JsonToken expected = jackson.nextToken();
            final JsonToken token = reader.next();
            assertEquals(expected, token, event);
            if (token == JsonToken.FIELD_NAME)
            {
                assertEquals(jackson.currentName(), reader.name(), event);
                continue;
            }
            if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY)
            {
                depth--;
                continue;
            }
            if (random.nextInt(4) == 0)
            {
                jackson.skipChildren();
                reader.skip();
                assertEquals(jackson.currentToken(), reader.token(), event);
                continue;
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
            {
                depth++;
            }
            else if (token == JsonToken.VALUE_STRING)
            {
                assertEquals(jackson.getText(), reader.text().toString(), event);
                final int open = reader.stringStartOffset();
                assertEquals('"', padded[open], event);
                assertEquals(jackson.getText().length(),
                    StringDecoder.decodedLength(padded, open + 1, JsonBytes.quotedEnd(padded, open, padded.length) - 1), event);
            }
            else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT)
            {
                // By value: the non-blocking parser's text of -0 is 0.
                assertEquals(jackson.getDoubleValue(), reader.doubleValue(), event);
            }
        }
        reader.finish();
        assertEquals(null, jackson.nextToken());
    }
}
