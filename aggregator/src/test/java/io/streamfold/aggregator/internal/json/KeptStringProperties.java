package io.streamfold.aggregator.internal.json;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.aggregator.internal.fold.MutableRawList;
import io.streamfold.parser.internal.Buffers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A string kept raw reads back as exactly the characters Jackson decodes, whichever reader kept it (the token
 * reader or the byte scan) and whichever way it is kept (decoded, or as its bytes from
 * {@link MutableRawJson#LONG_STRING_BYTES} on): the same type, characters, JSON text, written output and limit
 * verdict; copies and lists keep it the same way.
 */
class KeptStringProperties
{
    private static final JsonFactory JACKSON = new JsonFactory();
    /** Pieces of a string as sent: plain ASCII, escapes (lone surrogates too), two-, three- and four-byte UTF-8. */
    private static final String[] PIECES = {
        "a", "plain text ", "0123456789", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u0000", "\\ud83d\\ude42",
        "\\ud800", "\\udfff", "é", "数据", "🙂", "\\b\\f\\r",
    };

    @Property(tries = 3000)
    void bothReadersKeepWhatJacksonReads(@ForAll final Random random) throws Exception
    {
        final String body = body(random);
        final int limit = random.nextInt(4) == 0 ? 1 + random.nextInt(400) : AggregationLimits.DEFAULT.maxRawBytes();
        final byte[] bytes = ("{\"s\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        final String expected = jacksonText(bytes);

        final JsonMembers m = new JsonMembers();
        assertTrue(m.checkObject(bytes, 0, bytes.length, 4, 1 << 20));
        final MutableRawJson byScan = new MutableRawJson();
        final boolean scanKept = m.capture(0, byScan, limit);

        final JsonReader reader = new JsonReader(AggregationLimits.builder().maxRawBytes(limit).build());
        reader.beginObject(Buffers.wrap(bytes), 0, bytes.length);
        reader.next();
        reader.next();
        final MutableRawJson byTokens = new MutableRawJson();
        final boolean tokensKept = reader.capture(byTokens);

        final boolean fits = expected.length() <= limit;
        final int sent = bytes.length - 8;
        for (final MutableRawJson kept : new MutableRawJson[] { byScan, byTokens, copy(byScan), copy(byTokens) })
        {
            assertEquals(MutableRawJson.Type.STRING, kept.type());
            assertEquals(fits && sent >= MutableRawJson.LONG_STRING_BYTES, kept.isUndecoded(), body);
            assertEquals(fits ? expected : "", kept.text().toString(), body);
            assertEquals(fits && expected.isEmpty() || !fits, kept.isEmptyString());
            assertEquals(MutableRawJson.quote(fits ? expected : ""), kept.json());
            assertEquals(written(fits ? expected : ""), written(kept));
            assertEquals(0, kept.structuredLength());
        }
        assertEquals(fits, scanKept);
        assertEquals(fits, tokensKept);
        final MutableRawList list = new MutableRawList();
        list.add(byScan, Integer.MAX_VALUE);
        // A list holds UTF-8: an unpaired surrogate has no encoding there (one replacement byte, as always).
        final byte[] element = MutableRawJson.quote(fits ? expected : "").getBytes(StandardCharsets.UTF_8);
        assertEquals("[" + new String(element, StandardCharsets.UTF_8) + "]", list.json());
    }

    @Test
    void aLongStringKeptAsBytesIsCountedAndReadWithoutDecodingOnTheHotPath() throws Exception
    {
        final String body = "\\u00e9é🙂" + "x".repeat(300);
        final byte[] bytes = ("{\"s\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8);
        final JsonMembers m = new JsonMembers();
        assertTrue(m.checkObject(bytes, 0, bytes.length, 4, 1 << 20));
        final MutableRawJson kept = new MutableRawJson();
        assertTrue(m.capture(0, kept, 304));
        assertTrue(kept.isUndecoded());
        assertFalse(kept.isEmptyString());
        assertEquals(jacksonText(bytes), kept.text().toString());
        final io.streamfold.aggregator.internal.fold.MutableTextBuffer into = new io.streamfold.aggregator.internal.fold.MutableTextBuffer();
        assertTrue(kept.textInto(into, 1000, new StringDecoder(16)));
        assertEquals(jacksonText(bytes), into.toString());
        // 304 characters (the emoji two of them) in 311 bytes: one character fewer is over the limit.
        assertFalse(m.capture(0, kept, 303));
        assertEquals("", kept.text().toString());
        assertEquals(304, StringDecoder.decodedLength(bytes, 6, bytes.length - 2));
    }

    private static MutableRawJson copy(final MutableRawJson value)
    {
        final MutableRawJson copy = new MutableRawJson();
        copy.setLiteral(MutableRawJson.Type.TRUE);
        copy.copyFrom(value);
        return copy;
    }

    private static String body(final Random random)
    {
        final StringBuilder sb = new StringBuilder();
        // Around the length from which a string is kept as its bytes, and well past it.
        final int target = new int[] { 0, 40, 250, 256, 262, 700 }[random.nextInt(6)] + random.nextInt(8);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < target)
        {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    private static String jacksonText(final byte[] bytes) throws IOException
    {
        try (JsonParser p = JACKSON.createParser(bytes))
        {
            p.nextToken();
            p.nextToken();
            assertEquals(JsonToken.VALUE_STRING, p.nextToken());
            return p.getText();
        }
    }

    private static String written(final Object value) throws IOException
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(out))
        {
            if (value instanceof MutableRawJson)
            {
                ((MutableRawJson)value).write(g);
            }
            else
            {
                g.writeString((String)value);
            }
        }
        return out.toString();
    }
}
