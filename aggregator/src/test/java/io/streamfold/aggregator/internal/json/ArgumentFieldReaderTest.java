package io.streamfold.aggregator.internal.json;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgumentFieldReaderTest
{
    private final List<String> fields = new ArrayList<>();
    private final ArgumentFieldReader reader = new ArgumentFieldReader(64, 1 << 20);

    /** @return a handler adding {@code pointer=raw} to {@code out}. */
    static ArgumentFieldReader.FieldHandler into(final List<String> out)
    {
        return (pointer, pointerLength, text, offset, length) ->
            out.add(new String(pointer, 0, pointerLength) + "=" + new String(text, offset, length));
    }

    private static List<String> readWith(final ArgumentFieldReader r, final String... fragments)
    {
        final List<String> events = new ArrayList<>();
        r.reset(into(events));
        for (final String f : fragments)
        {
            r.feed(f);
        }
        r.end();
        return events;
    }

    private void start()
    {
        fields.clear();
        reader.reset(ArgumentFieldReaderTest.into(fields));
    }

    private List<String> read(final String... fragments)
    {
        start();
        for (final String f : fragments)
        {
            reader.feed(f);
        }
        reader.end();
        return new ArrayList<>(fields);
    }

    /** The same events whole, one character at a time, and split at every point, through both feed methods. */
    private List<String> readEverySplit(final String json)
    {
        final List<String> whole = read(json);
        final String[] singles = new String[json.length()];
        for (int i = 0; i < json.length(); i++)
        {
            singles[i] = json.substring(i, i + 1);
        }
        assertEquals(whole, read(singles), "one character at a time");
        for (int cut = 0; cut <= json.length(); cut++)
        {
            start();
            final char[] chars = json.toCharArray();
            reader.feed(chars, 0, cut);
            reader.feed(chars, cut, chars.length - cut);
            reader.end();
            assertEquals(whole, fields, "split at " + cut);
        }
        return whole;
    }

    @Test
    void flatObjectReportsEachFieldWithItsRawText()
    {
        assertEquals(List.of("/path=\"/tmp/x\"", "/n=12", "/ok=true", "/none=null", "/f=false"),
            readEverySplit("{\"path\":\"/tmp/x\", \"n\" : 12,\"ok\":true,\"none\":null,\"f\":false}"));
        assertTrue(reader.isComplete());
        assertNull(reader.failure());
    }

    @Test
    void nestedValuesReportInnerFieldsFirstThenThemselves()
    {
        assertEquals(List.of(
            "/a/b=1",
            "/a/c/0=2",
            "/a/c/1/d=\"x\"",
            "/a/c/1={\"d\":\"x\"}",
            "/a/c/2=[]",
            "/a/c=[2, {\"d\":\"x\"}, []]",
            "/a={\"b\":1,\"c\":[2, {\"d\":\"x\"}, []]}",
            "/e={}"),
            readEverySplit("{\"a\":{\"b\":1,\"c\":[2, {\"d\":\"x\"}, []]},\"e\":{}}"));
    }

    @Test
    void rootArrayElementsAreFields()
    {
        assertEquals(List.of("/0=1", "/1/0=\"a\"", "/1=[\"a\"]"), readEverySplit("[1,[\"a\"]]"));
    }

    @Test
    void numbersKeepTheirTextExactly()
    {
        assertEquals(List.of("/a=-0.5e-10", "/b=12345678901234567890123456789012345678901234567890",
            "/c=1E+300", "/d=0", "/e/0=3.25", "/e/1=-7", "/e=[3.25,-7]"),
            readEverySplit("{\"a\":-0.5e-10,\"b\":12345678901234567890123456789012345678901234567890," +
                "\"c\":1E+300,\"d\":0,\"e\":[3.25,-7]}"));
    }

    @Test
    void unicodeAndEscapesStayAsStreamed()
    {
        final String json = "{\"emoji\":\"a\uD83D\uDE00b\",\"esc\":\"q\\\"\\\\\\u00e9\\uD83D\\uDE00\\n\"," +
            "\"caf\u00e9\":\"\u4e2d\u6587\",\"after\":1}";
        assertEquals(List.of("/emoji=\"a\uD83D\uDE00b\"", "/esc=\"q\\\"\\\\\\u00e9\\uD83D\\uDE00\\n\"",
            "/caf\u00e9=\"\u4e2d\u6587\"", "/after=1"), readEverySplit(json));
    }

    @Test
    void surrogatePairSplitAcrossFragments()
    {
        assertEquals(List.of("/s=\"\uD83D\uDE00\"", "/t=2"), read("{\"s\":\"\uD83D", "\uDE00\",\"t\":2}"));
        assertTrue(reader.isComplete());
    }

    @Test
    void pointerSegmentsAreEscaped()
    {
        assertEquals(List.of("/a~1b=1", "/m~0n=2", "/~01=3", "/=4", "/x y/0=5", "/x y=[5]"),
            readEverySplit("{\"a/b\":1,\"m~n\":2,\"~1\":3,\"\":4,\"x y\":[5]}"));
    }

    @Test
    void escapedFieldNamesAreDecodedBeforeThePointerEscaping()
    {
        assertEquals(List.of("/\uD83D\uDE00k=1", "/a~1b=2", "/q\"\n\t=3", "/\u00e9=4", "/\uD800=5", "/d\uD55C=6"),
            readEverySplit("{\"\\uD83D\\uDE00k\":1,\"a\\u002fb\":2,\"q\\\"\\n\\t\":3,\"\\u00E9\":4," +
                "\"\\ud800\":5,\"d\\uD55C\":6}"));
        assertTrue(reader.isComplete());
    }

    @Test
    void escapedSurrogatesInValuesStayAsStreamed()
    {
        assertEquals(List.of("/s=\"\\ud83d\\ude00\"", "/lone=\"\\uDC00x\""),
            readEverySplit("{\"s\":\"\\ud83d\\ude00\",\"lone\":\"\\uDC00x\"}"));
    }

    @Test
    void arrayIndexesPastNine()
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 12; i++)
        {
            json.append(i == 0 ? "" : ",").append(i * 10);
        }
        final List<String> events = read(json.append(']').toString());
        assertEquals(12, events.size());
        assertEquals("/11=110", events.get(11));
        assertEquals("/10=100", events.get(10));
    }

    @Test
    void fieldIsReportedAsSoonAsItsValueCloses()
    {
        start();
        reader.feed("{\"path\":\"/etc/pass");
        assertEquals(List.of(), fields);
        reader.feed("wd\",\"mode\":");
        assertEquals(List.of("/path=\"/etc/passwd\""), fields);
        reader.feed("\"r\"");
        assertEquals(List.of("/path=\"/etc/passwd\"", "/mode=\"r\""), fields);
        reader.feed(",\"n\":4");
        assertEquals(2, fields.size(), "a number may go on until a delimiter arrives");
        reader.feed("2}");
        assertEquals("/n=42", fields.get(2));
        assertTrue(reader.isComplete());
    }

    @Test
    void malformedInputStopsReportingAndIsRemembered()
    {
        assertEquals(List.of("/a=1"), read("{\"a\":1,", "\"b\":tru", "x}"));
        assertFalse(reader.isComplete());
        assertNotNull(reader.failure());
        reader.feed("{\"c\":1}");
        assertEquals(List.of("/a=1"), fields, "nothing more after an error");
    }

    @Test
    void contentAfterTheRootIsAnError()
    {
        assertEquals(List.of("/a=1"), read("{\"a\":1}", " {\"b\":2}"));
        assertFalse(reader.isComplete());
        assertTrue(reader.failure().contains("after"), reader.failure());
    }

    @Test
    void truncatedArgumentsAreIncomplete()
    {
        assertEquals(List.of("/a=1"), read("{\"a\":1,\"b\":[2"));
        assertEquals(List.of("/a=1"), fields);
        assertFalse(reader.isComplete());
        assertTrue(reader.failure().contains("inside"), reader.failure());
    }

    @Test
    void emptyArgumentsAreIncomplete()
    {
        assertEquals(List.of(), read());
        assertFalse(reader.isComplete());
        assertEquals(List.of(), read("{}"));
        assertTrue(reader.isComplete());
    }

    @Test
    void depthLimit()
    {
        final ArgumentFieldReader shallow = new ArgumentFieldReader(2, 1000);
        assertEquals(List.of("/a/b=1", "/a={\"b\":1}"), readWith(shallow, "{\"a\":{\"b\":1},\"c\":{\"d\":{\"e\":1}}}"));
        assertTrue(shallow.failure().contains("deeper"), shallow.failure());
    }

    @Test
    void sizeLimit()
    {
        final ArgumentFieldReader small = new ArgumentFieldReader(8, 10);
        assertEquals(List.of("/a=1"), readWith(small, "{\"a\":1,", "\"bb\":2}"));
        assertTrue(small.failure().contains("longer than 10"), small.failure());
    }

    @Test
    void largeValuesSpanningManyFragmentsAndReuseAcrossCalls()
    {
        final StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            big.append((char)('a' + i % 26));
        }
        for (int round = 0; round < 2; round++)
        {
            start();
            reader.feed("{\"k\":{\"s\":\"");
            for (int i = 0; i < big.length(); i += 7)
            {
                reader.feed(big.subSequence(i, Math.min(big.length(), i + 7)));
            }
            reader.feed("\"},\"z\":[true]}");
            reader.end();
            assertEquals(List.of("/k/s=\"" + big + "\"", "/k={\"s\":\"" + big + "\"}", "/z/0=true", "/z=[true]"), fields);
        }
    }

    @Test
    void loneSurrogateIsCarriedThroughInTheRawText()
    {
        assertEquals(List.of("/s=\"a\uD800b\"", "/t=1"), readEverySplit("{\"s\":\"a\uD800b\",\"t\":1}"));
    }
}
