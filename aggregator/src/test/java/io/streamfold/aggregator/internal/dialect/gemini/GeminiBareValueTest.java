package io.streamfold.aggregator.internal.dialect.gemini;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.GeminiTesting;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.aggregator.model.Part;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;
import io.streamfold.parser.composite.SniffingFramer;
import io.streamfold.parser.sse.SseThenJsonFramer;
import io.streamfold.testkit.SharedFiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bare JSON values written into a Gemini SSE body (Vertex's mid-stream error), at framer and aggregate level. */
class GeminiBareValueTest
{
    private static final String TEXT_EVENT =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"so far\"}]},\"finishReason\":\"STOP\",\"index\":0}]}";
    private static final String ERROR_OBJECT =
        "{\n  \"error\": {\n    \"code\": 499,\n    \"message\": \"cancelled {x}\",\n    \"status\": \"CANCELLED\"\n  }\n}";

    /** Frames (payload, index, offset) and errors, in order, as text. */
    private static final class Log implements FrameListener
    {
        final List<String> events = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        final List<StreamError> errors = new ArrayList<>();

        @Override
        public void onFrame(final Frame frame)
        {
            payloads.add(frame.payloadAsString());
            offsets.add(frame.streamOffset());
            events.add("frame #" + frame.index() + " @" + frame.streamOffset() + " " + frame.payloadAsString());
        }

        @Override
        public void onError(final StreamError error)
        {
            errors.add(error);
            events.add("error " + error);
        }
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds {@code data} cut at {@code cuts} (ascending) and ends. */
    private static Log frame(final byte[] data, final int... cuts)
    {
        final Log log = new Log();
        final SniffingFramer framer = GeminiDialect.framer(log, FramingLimits.DEFAULT);
        int at = 0;
        for (final int cut : cuts)
        {
            framer.feed(data, at, cut - at);
            at = cut;
        }
        framer.feed(data, at, data.length - at);
        framer.end();
        assertEquals(data.length, framer.bytesFed());
        assertEquals(log.payloads.size(), framer.framesDelivered());
        return log;
    }

    /** Same frames and errors for the whole body, every two-way split, byte by byte and random slicings. */
    private static Log frameAnyHow(final byte[] data)
    {
        final Log whole = frame(data);
        for (int cut = 1; cut < data.length; cut++)
        {
            assertEquals(whole.events, frame(data, cut).events, "cut at " + cut);
        }
        final int[] each = new int[data.length - 1];
        for (int i = 0; i < each.length; i++)
        {
            each[i] = i + 1;
        }
        assertEquals(whole.events, frame(data, each).events, "byte by byte");
        final Random random = new Random(7);
        for (int round = 0; round < 50; round++)
        {
            final int[] cuts = random.ints(4, 1, data.length).sorted().distinct().toArray();
            assertEquals(whole.events, frame(data, cuts).events, "cuts " + java.util.Arrays.toString(cuts));
        }
        return whole;
    }

    @Test
    void bareObjectAfterEventsIsOneFrameAtItsOffset()
    {
        for (final String eol : new String[] { "\n", "\r\n", "\r" })
        {
            final String head = TEXT_EVENT + eol + eol;
            final String body = head + ERROR_OBJECT.replace("\n", eol) + eol;
            final Log log = frameAnyHow(utf8(body));
            assertTrue(log.errors.isEmpty(), log.errors.toString());
            assertEquals(List.of(TEXT_EVENT.substring(6), ERROR_OBJECT.replace("\n", eol)), log.payloads);
            assertEquals(List.of(0L, (long)head.length()), log.offsets);
            assertTrue(log.events.get(1).startsWith("frame #1 @"), log.events.toString());
        }
    }

    @Test
    void braceInsideOrAfterADataLineLeavesSseAlone()
    {
        // '{' after "data:", after a leading space, and in a second data line: all ordinary SSE.
        final String sseOnly = "data: {\"a\":1}\n\n {\"ignored\":1}\n\ndata:{\"b\":\ndata: {\"c\":2}}\n\n";
        final Log log = frameAnyHow(utf8(sseOnly));
        assertEquals(List.of("{\"a\":1}", "{\"b\":\n{\"c\":2}}"), log.payloads);
        assertTrue(log.errors.isEmpty(), log.errors.toString());
        final Log plain = frame(utf8("data: {\"a\":{\"b\":{}}}\r\n\r\ndata: {}\r\n\r\n"));
        assertEquals(List.of("{\"a\":{\"b\":{}}}", "{}"), plain.payloads);
        final SniffingFramer framer = GeminiDialect.framer(new Log(), FramingLimits.DEFAULT);
        final byte[] bytes = utf8(sseOnly);
        framer.feed(bytes, 0, bytes.length);
        assertFalse(readingBareValues(framer));
    }

    @Test
    void eventStillOpenIsDispatchedBeforeTheBareValue()
    {
        // No blank line between the last data line and the bare object, and its CR in a slice of its own.
        final byte[] data = utf8(TEXT_EVENT + "\r" + ERROR_OBJECT);
        final Log log = frameAnyHow(data);
        assertEquals(List.of(TEXT_EVENT.substring(6), ERROR_OBJECT), log.payloads);
        assertEquals(List.of(0L, (long)TEXT_EVENT.length() + 1), log.offsets);
        assertTrue(log.errors.isEmpty(), log.errors.toString());
    }

    @Test
    void bodyThatIsOnlyABareObjectEvenAfterAByteOrderMark()
    {
        final byte[] plain = utf8(ERROR_OBJECT);
        assertEquals(List.of(ERROR_OBJECT), frameAnyHow(plain).payloads);
        final byte[] bom = new byte[plain.length + 3];
        bom[0] = (byte)0xEF;
        bom[1] = (byte)0xBB;
        bom[2] = (byte)0xBF;
        System.arraycopy(plain, 0, bom, 3, plain.length);
        final Log log = frameAnyHow(bom);
        assertEquals(List.of(ERROR_OBJECT), log.payloads);
        assertEquals(List.of(3L), log.offsets);
    }

    @Test
    void sseAfterTheBareValueIsMalformedFramingAndIgnored()
    {
        final String head = TEXT_EVENT + "\n\n" + ERROR_OBJECT + "\n\n";
        final Log log = frameAnyHow(utf8(head + TEXT_EVENT + "\n\n"));
        assertEquals(2, log.payloads.size());
        assertEquals(1, log.errors.size(), log.errors.toString());
        assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind());
        assertEquals(head.length(), log.errors.get(0).byteOffset());
    }

    @Test
    void unterminatedBareValueIsTruncatedAtItsStart()
    {
        final String head = TEXT_EVENT + "\n\n";
        final String cut = ERROR_OBJECT.substring(0, ERROR_OBJECT.indexOf("\"cancelled") + 5);
        final Log log = frameAnyHow(utf8(head + cut));
        assertEquals(List.of(TEXT_EVENT.substring(6)), log.payloads);
        assertEquals(1, log.errors.size(), log.errors.toString());
        assertEquals(ErrorKind.TRUNCATED, log.errors.get(0).kind());
        assertEquals(head.length(), log.errors.get(0).byteOffset());

        final Aggregate a = GeminiTesting.whole(Format.GEMINI, utf8(head + cut)).result();
        assertEquals(Outcome.TRUNCATED, a.outcome());
        assertEquals("so far", a.choice(0).joined(Part.Kind.TEXT));
        assertEquals(List.of(ErrorKind.TRUNCATED), kinds(a));
        assertTrue(a.providerError().isNullish());
    }

    @Test
    void resetReadsTheNextStreamAsSseAgain()
    {
        final Log log = new Log();
        final SniffingFramer framer = GeminiDialect.framer(log, FramingLimits.DEFAULT);
        final byte[] first = utf8(TEXT_EVENT + "\n\n" + ERROR_OBJECT);
        framer.feed(first, 0, first.length);
        assertTrue(readingBareValues(framer));
        framer.end();
        framer.reset();
        log.events.clear();
        final byte[] second = utf8(TEXT_EVENT + "\n\n");
        framer.feed(second, 0, second.length);
        framer.end();
        assertFalse(readingBareValues(framer));
        assertEquals(List.of("frame #0 @0 " + TEXT_EVENT.substring(6)), log.events);
        assertEquals(second.length, framer.bytesFed());
    }

    @Test
    void errorObjectEndsTheAggregateWithErrorKeepingTheTextBefore()
    {
        final byte[] body = utf8(TEXT_EVENT + "\n\n" + ERROR_OBJECT + "\n");
        for (final Format format : new Format[] { Format.GEMINI, Format.AUTO })
        {
            final Aggregate a = GeminiTesting.whole(format, body).result();
            assertEquals(Outcome.ERROR, a.outcome());
            assertEquals("so far", a.choice(0).joined(Part.Kind.TEXT));
            assertTrue(a.providerError().json().contains("\"code\": 499"), a.providerError().json());
        }
    }

    @Test
    void vertexCorpusErrorMidStream()
    {
        final byte[] bytes = SharedFiles.read(SharedFiles.require().resolve("corpus/gemini").resolve(GeminiCorpusTest.ERROR_MID_STREAM));
        final StreamAggregator whole = GeminiTesting.whole(Format.AUTO, bytes);
        final Aggregate a = whole.result();
        assertEquals(Format.GEMINI, whole.format());
        assertEquals(Outcome.ERROR, a.outcome());
        assertEquals("First Second ", a.choice(0).joined(Part.Kind.TEXT));
        assertTrue(a.providerError().json().matches("(?s)\\{\\s*\"code\": 499,.*\"status\": \"CANCELLED\".*"), a.providerError().json());
        final StreamError error = a.errors().get(0);
        assertEquals(ErrorKind.PROVIDER_ERROR, error.kind());
        assertEquals(2, error.eventNumber());
        assertEquals(new String(bytes, StandardCharsets.UTF_8).indexOf("\n{\n") + 1, error.byteOffset());
        assertTrue(a.toNormalizedJson().contains("499"), a.toNormalizedJson());

        final String expected = GeminiTesting.render(whole) + a.errors();
        final StreamAggregator bytewise = GeminiTesting.byteByByte(Format.GEMINI, bytes);
        assertEquals(expected, GeminiTesting.render(bytewise) + bytewise.result().errors());
        for (long seed = 0; seed < 50; seed++)
        {
            final StreamAggregator sliced = GeminiTesting.randomSlices(Format.GEMINI, bytes, seed);
            assertEquals(expected, GeminiTesting.render(sliced) + sliced.result().errors(), "seed " + seed);
        }
    }

    private static List<ErrorKind> kinds(final Aggregate a)
    {
        final List<ErrorKind> kinds = new ArrayList<>();
        for (final StreamError e : a.errors())
        {
            kinds.add(e.kind());
        }
        return kinds;
    }

    private static boolean readingBareValues(final SniffingFramer framer)
    {
        return framer.chosen() instanceof SseThenJsonFramer && ((SseThenJsonFramer)framer.chosen()).readingJsonValues();
    }
}
