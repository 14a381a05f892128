package io.streamfold.parser.jsonarray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static io.streamfold.parser.FrameLog.assertSplitInvariant;
import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonArrayFramerTest
{
    private static final Function<FrameListener, Framer> DEFAULT = JsonArrayFramer::new;

    private static Function<FrameListener, Framer> with(final FramingLimits limits)
    {
        return listener -> new JsonArrayFramer(listener, limits);
    }

    @Test
    void deliversEachElementsExactBytesAndOffset()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("[{\"a\":1}\r\n,\r\n{\"b\":[1,{\"c\":2}]}\r\n]"));
        assertEquals(List.of("{\"a\":1}", "{\"b\":[1,{\"c\":2}]}"), log.payloadStrings());
        assertEquals(List.of(1L, 13L), log.offsets);
        assertEquals(List.of("", ""), log.types);
        assertTrue(log.errors.isEmpty());
    }

    @Test
    void deliversAnElementAsSoonAsItsClosingBracketArrives()
    {
        final FrameLog log = new FrameLog();
        final JsonArrayFramer framer = new JsonArrayFramer(log);
        final byte[] data = utf8("[{\"a\":1},{\"b\":2}");
        framer.feed(data, 0, 8);
        assertEquals(List.of("{\"a\":1}"), log.payloadStrings());
        framer.feed(data, 8, data.length - 8);
        assertEquals(2, log.payloads.size());
        assertTrue(log.errors.isEmpty(), "no error before end");
    }

    @Test
    void quotesBracketsAndEscapesInsideStringsDoNotConfuseIt()
    {
        final String a = "{\"t\":\"]}\\\"[{\"}";
        final String b = "\"a \\\\\"";
        final String c = "[\"\\\\\\\"]\",{\"k\":\"}\"}]";
        final String d = "{\"u\":\"\u00e9\u4e2d\ud83d\ude00\\u005d\"}";
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("[" + a + ", " + b + ",\n" + c + "," + d + "]"));
        assertEquals(List.of(a, b, c, d), log.payloadStrings());
        assertTrue(log.errors.isEmpty(), log.errors.toString());
    }

    @Test
    void scalarsEndAtTheFollowingDelimiter()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("[1, true ,null,-2.5e+3,\"s\",false]"));
        assertEquals(List.of("1", "true", "null", "-2.5e+3", "\"s\"", "false"), log.payloadStrings());
        assertEquals(List.of(1L, 4L, 10L, 15L, 23L, 27L), log.offsets);
        assertTrue(log.errors.isEmpty());
    }

    @Test
    void emptyArrayAndByteOrderMarkAndWhitespace()
    {
        final FrameLog empty = assertSplitInvariant(DEFAULT, utf8(" \r\n[ \t]\r\n "));
        assertTrue(empty.payloads.isEmpty());
        assertTrue(empty.errors.isEmpty());

        final byte[] withBom = {(byte)0xEF, (byte)0xBB, (byte)0xBF, '\n', '[', '{', '}', ']'};
        final FrameLog bom = assertSplitInvariant(DEFAULT, withBom);
        assertEquals(List.of("{}"), bom.payloadStrings());
        assertTrue(bom.errors.isEmpty());
    }

    @Test
    void notAnArrayIsMalformedAndStopsTheStream()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("  {\"error\":{}}"));
        assertTrue(log.payloads.isEmpty());
        assertEquals(1, log.errors.size());
        assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind());
        assertEquals(2, log.errors.get(0).byteOffset());

        final FrameLog badBom = assertSplitInvariant(DEFAULT, new byte[]{(byte)0xEF, (byte)0xBB, '[', ']'});
        assertEquals(ErrorKind.MALFORMED_FRAMING, badBom.errors.get(0).kind());
        assertEquals(1, badBom.errors.size());
    }

    @Test
    void junkBetweenElementsIsMalformedAndElementsBeforeItStayDelivered()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("[{\"a\":1} x {\"b\":2}]"));
        assertEquals(List.of("{\"a\":1}"), log.payloadStrings());
        assertEquals(1, log.errors.size());
        assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind());
        assertEquals(9, log.errors.get(0).byteOffset());
        assertEquals(1, log.errors.get(0).eventNumber());
    }

    @Test
    void missingOrTrailingElementsAreMalformed()
    {
        for (final String text : new String[]{"[,1]", "[1,]", "[1,,2]", "[:]"})
        {
            final FrameLog log = assertSplitInvariant(DEFAULT, utf8(text));
            assertEquals(1, log.errors.size(), text);
            assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind(), text);
        }
    }

    @Test
    void textAfterTheClosingBracketIsMalformedButWhitespaceIsFine()
    {
        final FrameLog log = assertSplitInvariant(DEFAULT, utf8("[{}]\r\n  [{}]"));
        assertEquals(List.of("{}"), log.payloadStrings());
        assertEquals(1, log.errors.size());
        assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind());
        assertEquals(8, log.errors.get(0).byteOffset());
    }

    @Test
    void endBeforeTheClosingBracketIsTruncated()
    {
        final FrameLog inElement = assertSplitInvariant(DEFAULT, utf8("[{\"a\":1},{\"b\":"));
        assertEquals(List.of("{\"a\":1}"), inElement.payloadStrings());
        assertEquals(1, inElement.errors.size());
        assertEquals(ErrorKind.TRUNCATED, inElement.errors.get(0).kind());
        assertEquals(9, inElement.errors.get(0).byteOffset());

        final FrameLog betweenElements = assertSplitInvariant(DEFAULT, utf8("[{\"a\":1},"));
        assertEquals(1, betweenElements.payloads.size());
        assertEquals(ErrorKind.TRUNCATED, betweenElements.errors.get(0).kind());
        assertEquals(9, betweenElements.errors.get(0).byteOffset());

        final FrameLog openScalar = assertSplitInvariant(DEFAULT, utf8("[12"));
        assertTrue(openScalar.payloads.isEmpty(), "a scalar may still grow, so it is not delivered");
        assertEquals(ErrorKind.TRUNCATED, openScalar.errors.get(0).kind());

        final FrameLog nothing = FrameLog.whole(DEFAULT, new byte[0]);
        assertEquals(ErrorKind.TRUNCATED, nothing.errors.get(0).kind());
    }

    @Test
    void tooDeepElementIsSkippedAndFramingGoesOn()
    {
        final FramingLimits limits = FramingLimits.builder().maxNestingDepth(2).build();
        final FrameLog log = assertSplitInvariant(with(limits),
            utf8("[{\"a\":{\"b\":1}}, {\"a\":{\"b\":[\"]]]\"]}}, [[[[[[]]]]]], {\"c\":\"{{{{\"}]"));
        assertEquals(List.of("{\"a\":{\"b\":1}}", "{\"c\":\"{{{{\"}"), log.payloadStrings());
        assertEquals(2, log.errors.size());
        assertEquals(ErrorKind.NESTING_TOO_DEEP, log.errors.get(0).kind());
        assertEquals(16, log.errors.get(0).byteOffset());
        assertEquals(1, log.errors.get(0).eventNumber());
        assertEquals(ErrorKind.NESTING_TOO_DEEP, log.errors.get(1).kind());
        assertEquals(37, log.errors.get(1).byteOffset());
    }

    @Test
    void tooLargeElementIsSkippedAndFramingGoesOn()
    {
        final FramingLimits limits = FramingLimits.builder().maxFrameBytes(8).build();
        final FrameLog log = assertSplitInvariant(with(limits),
            utf8("[{\"a\":12},{\"a\":123},12345678,123456789,\"123456\",\"1234567\",{\"\":\"]\"}]"));
        assertEquals(List.of("{\"a\":12}", "12345678", "\"123456\"", "{\"\":\"]\"}"), log.payloadStrings());
        assertEquals(3, log.errors.size());
        for (final StreamError error : log.errors)
        {
            assertEquals(ErrorKind.FRAME_TOO_LARGE, error.kind());
        }
        assertEquals(10, log.errors.get(0).byteOffset());
        assertEquals(29, log.errors.get(1).byteOffset());
        assertEquals(48, log.errors.get(2).byteOffset());
    }

    @Test
    void elementInsideOneSliceIsAViewOfTheCallersBytes()
    {
        final byte[] data = utf8("[{\"a\":1},{\"b\":2}]");
        assertEquals(List.of(true, true), FrameLog.whole(DEFAULT, data).viewsOfCaller);

        final FrameLog log = new FrameLog();
        log.callerArray = data;
        final JsonArrayFramer framer = new JsonArrayFramer(log);
        framer.feed(data, 0, 12);
        framer.feed(data, 12, data.length - 12);
        framer.end();
        assertEquals(List.of(true, false), log.viewsOfCaller);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), log.payloadStrings());
    }

    @Test
    void resetStartsANewArray()
    {
        final FrameLog log = new FrameLog();
        final JsonArrayFramer framer = new JsonArrayFramer(log);
        final byte[] first = utf8("[{\"a\":\"x\\");
        framer.feed(first, 0, first.length);
        framer.reset();
        final byte[] second = utf8("[\"\\\\\"]");
        framer.feed(second, 0, second.length);
        framer.end();
        assertEquals(List.of("\"\\\\\""), log.payloadStrings());
        assertEquals(List.of(1L), log.offsets);
        assertTrue(log.errors.isEmpty());
        assertEquals(1, framer.framesDelivered());

        framer.reset();
        final byte[] broken = utf8("x");
        framer.feed(broken, 0, 1);
        framer.reset();
        framer.feed(second, 0, second.length);
        framer.end();
        assertEquals(2, log.payloads.size(), "a failed stream recovers on reset");
    }

    @Test
    void geminiCorpusGivesEveryElementAtEverySplit() throws IOException
    {
        final List<Path> files = SharedFiles.corpus("gemini", ".json");
        assertFalse(files.isEmpty());
        final JsonFactory json = new JsonFactory();
        for (final Path file : files)
        {
            final byte[] data = SharedFiles.read(file);
            final FrameLog log = assertSplitInvariant(DEFAULT, data);
            assertTrue(log.errors.isEmpty(), file + ": " + log.errors);
            assertEquals(countElements(json, data), log.payloads.size(), file.toString());
            log.assertPayloadsAreWholeObjects(file.toString());
        }
    }

    private static int countElements(final JsonFactory json, final byte[] data) throws IOException
    {
        int count = 0;
        try (JsonParser parser = json.createParser(data))
        {
            assertEquals(JsonToken.START_ARRAY, parser.nextToken());
            while (parser.nextToken() != JsonToken.END_ARRAY)
            {
                parser.skipChildren();
                count++;
            }
        }
        return count;
    }
}
