package io.streamfold.aggregator.internal.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.aggregator.AggregationLimits;
import io.streamfold.aggregator.internal.fold.MutableRawJson;
import io.streamfold.parser.internal.Buffers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The member scan stands in for the parser on whole events: what {@link JsonMembers#checkObject} accepts Jackson
 * accepts too, with the same names and the same values kept; the unchecked re-read finds the same boundaries; the
 * eight-bytes-at-a-time runs find exactly the byte a plain loop finds.
 */
class JsonMembersTest
{
    private static final JsonFactory JACKSON = new JsonFactory();
    private static final String[] NAMES = { "type", "delta", "é", "数据", "a\\u0062", "response", "item", "" };
    private static final String[] STRINGS = {
        "", "plain", "a fairly long plain ASCII run, longer than eight bytes", "\\n\\t\\\"\\\\\\/", "\\u00e9\\ud83d\\ude42",
        "\\ud800 lone", "é数🙂", "x\\u0000y",
    };

    @Property(tries = 3000)
    void acceptsOnlyWhatJacksonAcceptsAndKeepsWhatItReads(@ForAll final Random random) throws IOException
    {
        final String text = object(random, 0);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(3) == 0)
        {
            bytes = mutate(bytes, random);
        }
        final JsonMembers m = new JsonMembers();
        final boolean accepted = m.checkObject(bytes, 0, bytes.length, 6, 1 << 20);
        // Locating an inner object's members in the same pass changes no verdict, and finds what a re-read finds.
        final String innerName = NAMES[random.nextInt(NAMES.length)];
        final JsonMembers withInner = new JsonMembers();
        final JsonMembers inner = new JsonMembers();
        assertEquals(accepted, withInner.checkObject(bytes, 0, bytes.length, 6, 1 << 20, MemberPath.object(inner, innerName)), text);
        if (!accepted)
        {
            return;
        }
        for (int i = 0; i < withInner.count(); i++)
        {
            if (withInner.name(i).equals(innerName) && withInner.first(i) == '{' && !innerName.contains("\\"))
            {
                final JsonMembers reread = new JsonMembers();
                reread.readObject(bytes, withInner.valueStart(i), withInner.valueEnd(i));
                assertEquals(reread.count(), inner.count());
                assertEquals(withInner.valueStart(i), inner.start());
                assertEquals(withInner.valueEnd(i), inner.end());
                for (int k = 0; k < inner.count(); k++)
                {
                    assertEquals(reread.name(k), inner.name(k));
                    assertEquals(reread.valueStart(k), inner.valueStart(k));
                    assertEquals(reread.valueEnd(k), inner.valueEnd(k));
                }
                break;
            }
        }
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        try (JsonParser p = JACKSON.createParser(bytes))
        {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME)
            {
                names.add(p.currentName());
                final JsonToken t = p.nextToken();
                values.add(t == JsonToken.VALUE_STRING ? "s:" + p.getText() : t.isScalarValue() ? "v:" + p.getText() : "structure");
                p.skipChildren();
            }
            assertEquals(null, p.nextToken(), "nothing after the object");
        }
        catch (final IOException e)
        {
            throw new AssertionError("accepted what Jackson refuses: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
        assertEquals(names.size(), m.count());
        final JsonMembers again = new JsonMembers();
        assertTrue(again.readObject(bytes, 0, bytes.length));
        assertEquals(m.count(), again.count());
        final MutableRawJson kept = new MutableRawJson();
        for (int i = 0; i < m.count(); i++)
        {
            assertEquals(names.get(i), m.name(i));
            assertSame(m.name(i), again.name(i), "canonical names");
            assertEquals(m.valueStart(i), again.valueStart(i));
            assertEquals(m.valueEnd(i), again.valueEnd(i));
            m.capture(i, kept, Integer.MAX_VALUE);
            final String expected = values.get(i);
            if (expected.startsWith("s:"))
            {
                assertEquals(MutableRawJson.Type.STRING, kept.type());
                assertEquals(expected.substring(2), kept.text().toString());
            }
            else if (expected.startsWith("v:"))
            {
                assertEquals(expected.substring(2), kept.type() == MutableRawJson.Type.STRUCTURED ? "" : kept.json());
            }
            else
            {
                assertEquals(MutableRawJson.Type.STRUCTURED, kept.type());
                assertEquals(new String(bytes, m.valueStart(i), m.valueEnd(i) - m.valueStart(i), StandardCharsets.UTF_8),
                    new String(kept.structuredBytes(), 0, kept.structuredLength(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void capturesAsTheTokenReaderCaptures() throws JsonReader.BadPayload
    {
        final String json = "{\"s\":\"a\\u00e9\\ud83d\\ude42\",\"n\":-1.5e+3,\"i\":0,\"t\":true,\"f\":false,\"z\":null," +
            "\"o\":{\"k\":[1,{\"x\":\"}]\"}]},\"a\":[ ]}";
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        final JsonMembers m = new JsonMembers();
        assertTrue(m.checkObject(bytes, 0, bytes.length, 8, 100));
        final JsonReader reader = new JsonReader(AggregationLimits.DEFAULT);
        reader.beginObject(Buffers.wrap(bytes), 0, bytes.length);
        final MutableRawJson byScan = new MutableRawJson();
        final MutableRawJson byTokens = new MutableRawJson();
        for (int i = 0; i < m.count(); i++)
        {
            assertEquals(JsonToken.FIELD_NAME, reader.next());
            assertEquals(reader.name(), m.name(i));
            reader.next();
            reader.capture(byTokens);
            m.capture(i, byScan, Integer.MAX_VALUE);
            assertEquals(byTokens.type(), byScan.type(), m.name(i));
            assertEquals(byTokens.json(), byScan.json(), m.name(i));
        }
        assertEquals(JsonToken.END_OBJECT, reader.next());
        assertEquals(0, m.index(2));
        assertEquals(-1, m.index(1));
        assertTrue(m.isInteger(2));
        assertFalse(m.isInteger(1));
        assertTrue(m.isNullOrEmpty(5));
    }

    @Test
    void refusesWhatTheFullReaderMustDecide()
    {
        final JsonMembers m = new JsonMembers();
        for (final String json : new String[] {
            "{\"a\\u0062\":1}", "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":01}", "{\"a\":\"\t\"}", "{\"a\":[[[[1]]]]}", "{\"a\":1",
            "[1]", "{\"a\":\"" + "x".repeat(101) + "\"}", "{\"" + "k".repeat(101) + "\":1}", "{\"a\":1,}", "{'a':1}",
        })
        {
            final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertFalse(m.checkObject(bytes, 0, bytes.length, 4, 100), json);
        }
        final byte[] overlong = { '{', '"', 'a', '"', ':', '"', (byte)0xC0, (byte)0x80, '"', '}' };
        assertFalse(m.checkObject(overlong, 0, overlong.length, 4, 100));
        final byte[] ok = " {\"a\" : [ {} ] , \"b\":\"é\" }\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(m.checkObject(ok, 0, ok.length, 4, 100));
        assertEquals(2, m.count());
    }

    @Test
    void namesPastTheTableAreStillRead()
    {
        // More names than the table keeps, and names longer than it keeps: read right, the table stays bounded.
        final JsonMembers m = new JsonMembers();
        for (int n = 0; n < 3000; n++)
        {
            final String name = (n % 3 == 0 ? "long".repeat(30) : "k") + n;
            final byte[] bytes = ("{\"" + name + "\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            assertTrue(m.checkObject(bytes, 0, bytes.length, 4, 1000));
            assertEquals(name, m.name(0));
            assertEquals(n, m.index(0));
        }
    }

    @Test
    void namesAtTheSamePlaceAreReadAgainRight()
    {
        // Objects one after another whose names at one place are the same, of the same length but other bytes (in the
        // first or last word, or past 16 bytes only in the middle), kept or too long for the table, or array elements
        // without names.
        final String[][] objects = {
            { "type", "sequence_number", "delta" }, { "type", "sequence_number", "delta" }, { "typo", "sequence_numbes", "delta" },
            { "completion_tokens_details", "completion_tokens" }, { "completion_tokens_details", "completion_tokens" },
            { "completion_tokenX_details", "completioN_tokens" }, { "completion_tokens_details", "completion_tokens" },
            { "type", "sequence_numbea", "x".repeat(70) }, { "type", "sequence_numbea", "x".repeat(70) },
            { "type", "sequence_numbea", "x".repeat(69) + "y" }, { "a\\u0062", "b" }, { "ab", "b" },
        };
        final JsonMembers m = new JsonMembers();
        for (int round = 0; round < 2; round++)
        {
            for (final String[] names : objects)
            {
                final StringBuilder sb = new StringBuilder("{");
                for (int k = 0; k < names.length; k++)
                {
                    sb.append(k > 0 ? "," : "").append('"').append(names[k]).append("\":").append(k);
                }
                final byte[] bytes = sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
                // Escaped names only on a re-read (the check leaves them to the full parser).
                assertTrue(m.readObject(bytes, 0, bytes.length));
                assertEquals(names.length, m.count());
                for (int k = 0; k < names.length; k++)
                {
                    assertEquals(names[k].replace("\\u0062", "b"), m.name(k), sb.toString());
                }
                final byte[] array = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
                assertTrue(m.readArray(array, 0, array.length));
                assertEquals(null, m.name(0));
            }
        }
    }

    /**
     * A reader reused from object to object (an event stream's scan reader) judges and locates each exactly as a new
     * reader does, whatever it read before: mostly the same names at the same places (the repeated shape it answers a
     * repeated name for), a name kept at a place then changed by one byte, cut or lengthened, bytes mutated anywhere, and
     * re-reads of bytes Jackson accepted, which leave escaped and multi-byte names at places that a check must still
     * scan (it refuses an escaped name).
     */
    @Property(tries = 1500)
    void aReusedReaderReadsEachObjectAsANewOne(@ForAll final Random random)
    {
        final JsonMembers reused = new JsonMembers();
        final List<String> names = new ArrayList<>();
        for (int k = 0, n = random.nextInt(6); k < n; k++)
        {
            names.add(NAMES[random.nextInt(NAMES.length)]);
        }
        for (int round = 0; round < 12; round++)
        {
            if (random.nextInt(4) == 0 && !names.isEmpty())
            {
                final int k = random.nextInt(names.size());
                final String name = names.get(k);
                final String[] variants = {
                    NAMES[random.nextInt(NAMES.length)], name + "x", name.isEmpty() ? "" : name.substring(1),
                    name.isEmpty() ? "q" : name.substring(0, name.length() - 1) + "q", name + "\u0062", "\\" + name,
                };
                names.set(k, variants[random.nextInt(variants.length)]);
            }
            final StringBuilder sb = new StringBuilder().append(space(random)).append('{');
            for (int k = 0; k < names.size(); k++)
            {
                sb.append(k > 0 ? "," : "").append(space(random)).append('"').append(names.get(k)).append('"').append(space(random))
                    .append(':').append(space(random)).append(value(random, 2)).append(space(random));
            }
            final String text = sb.append('}').toString();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(4) == 0)
            {
                bytes = mutate(bytes, random);
            }
            final JsonMembers fresh = new JsonMembers();
            final boolean reread = random.nextInt(3) == 0 && jacksonAccepts(bytes);
            final boolean accepted = reread ? reused.readObject(bytes, 0, bytes.length) : reused.checkObject(bytes, 0, bytes.length, 6, 1 << 20);
            assertEquals(reread ? fresh.readObject(bytes, 0, bytes.length) : fresh.checkObject(bytes, 0, bytes.length, 6, 1 << 20),
                accepted, new String(bytes, StandardCharsets.UTF_8));
            if (!accepted)
            {
                continue;
            }
            assertEquals(fresh.count(), reused.count());
            for (int k = 0; k < fresh.count(); k++)
            {
                assertEquals(fresh.name(k), reused.name(k), new String(bytes, StandardCharsets.UTF_8));
                assertEquals(fresh.valueStart(k), reused.valueStart(k));
                assertEquals(fresh.valueEnd(k), reused.valueEnd(k));
            }
        }
    }

    private static boolean jacksonAccepts(final byte[] bytes)
    {
        try (JsonParser p = JACKSON.createParser(bytes))
        {
            while (p.nextToken() != null)
            {
                // Tokenized to the end: accepted whole.
            }
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    @Property(tries = 2000)
    void runsEndWhereAPlainLoopEnds(@ForAll final Random random)
    {
        // Short runs, and long ones with rare matches (crossed four words a test).
        final boolean longRuns = random.nextBoolean();
        final byte[] bytes = new byte[random.nextInt(longRuns ? 300 : 40)];
        for (int i = 0; i < bytes.length; i++)
        {
            final int pick = random.nextInt(longRuns ? 400 : 12);
            bytes[i] = pick == 0 ? (byte)'"' : pick == 1 ? (byte)'\\' : pick == 2 ? (byte)random.nextInt(0x20) :
                pick == 3 ? (byte)(0x80 + random.nextInt(0x80)) : (byte)(0x20 + random.nextInt(0x60));
        }
        final int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        int quote = from;
        while (quote < bytes.length && bytes[quote] != '"' && bytes[quote] != '\\')
        {
            quote++;
        }
        int plain = from;
        while (plain < bytes.length && bytes[plain] >= 0x20 && bytes[plain] != '"' && bytes[plain] != '\\')
        {
            plain++;
        }
        assertEquals(quote, ByteRuns.quoteOrBackslash(bytes, from, bytes.length));
        assertEquals(plain, ByteRuns.plainAsciiEnd(bytes, from, bytes.length));
    }

    private static String object(final Random random, final int depth)
    {
        final StringBuilder sb = new StringBuilder().append(space(random)).append('{');
        final int n = random.nextInt(5);
        for (int i = 0; i < n; i++)
        {
            sb.append(i > 0 ? "," : "").append(space(random)).append('"').append(NAMES[random.nextInt(NAMES.length)]).append('"')
                .append(space(random)).append(':').append(space(random)).append(value(random, depth)).append(space(random));
        }
        return sb.append('}').append(space(random)).toString();
    }

    private static String value(final Random random, final int depth)
    {
        switch (random.nextInt(depth > 4 ? 4 : 7))
        {
            case 0:
                return "\"" + STRINGS[random.nextInt(STRINGS.length)] + "\"";
            case 1:
                return new String[] { "0", "-0", "12", "-1.5e+3", "1E9", "9223372036854775808", "0.25" }[random.nextInt(7)];
            case 2:
                return new String[] { "true", "false", "null" }[random.nextInt(3)];
            case 3:
                // Short strings, and long ones around the length from which a kept string stays undecoded.
                return "\"" + "abcdefgh".repeat(random.nextBoolean() ? random.nextInt(6) : 30 + random.nextInt(4)) +
                    STRINGS[random.nextInt(STRINGS.length)] + "\"";
            case 4:
                return object(random, depth + 1);
            default:
            {
                final StringBuilder sb = new StringBuilder("[");
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++)
                {
                    sb.append(i > 0 ? "," : "").append(space(random)).append(value(random, depth + 1));
                }
                return sb.append(space(random)).append(']').toString();
            }
        }
    }

    private static String space(final Random random)
    {
        return random.nextInt(4) == 0 ? new String[] { " ", "\t", "\n ", "\r\n" }[random.nextInt(4)] : "";
    }

    private static byte[] mutate(final byte[] bytes, final Random random)
    {
        final byte[] out = bytes.clone();
        if (out.length > 0)
        {
            final byte[] noise = { '"', '\\', '{', '}', '[', ']', ',', ':', 'x', '0', (byte)0xC0, (byte)0x80, (byte)0xED, 0x01 };
            out[random.nextInt(out.length)] = noise[random.nextInt(noise.length)];
        }
        return out;
    }
}
