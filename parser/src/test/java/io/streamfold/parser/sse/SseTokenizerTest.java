package io.streamfold.parser.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;

class SseTokenizerTest
{
    private static final FramingLimits SMALL = FramingLimits.builder().maxLineBytes(32).maxFrameBytes(64).build();

    private final SseRecorder recorder = new SseRecorder();

    private static byte[] bytes(final String s)
    {
        return s.getBytes(UTF_8);
    }

    private static void feed(final SseTokenizer t, final String s)
    {
        final byte[] b = bytes(s);
        t.feed(b, 0, b.length);
    }

    private static SseRecorder.Event event(final String type, final String data, final String id, final long at)
    {
        return new SseRecorder.Event(type, data, id, at);
    }

    /**
     * A field line without a colon that fills the line buffer exactly when carried across slices ("event" at
     * maxLineBytes 5): its empty value starts at the line's end; it used to be read one byte past it, which threw
     * out of feed. Found by SseTokenizerProperties.anyHintWithinItsContractChangesNothing.
     */
    @Test
    void carriedFieldWithoutColonFillingTheLineBufferIsAnEmptyValue()
    {
        final SseTokenizer t = new SseTokenizer(recorder, FramingLimits.builder().maxLineBytes(5).maxFrameBytes(80).build());
        feed(t, "ev");
        feed(t, "ent\n\n");
        feed(t, "ev");
        feed(t, "ent\nid:7\n\n");
        t.end();
        assertEquals(0, recorder.errors.size());
        assertEquals(0, recorder.events.size());
        assertEquals("7", t.lastEventId());
    }

    @Test
    void eventInsideOneSliceIsAViewOfTheCallersArray()
    {
        final byte[] input = bytes("event: delta\nid: 7\ndata: {\"a\":1}\n\n");
        final List<Boolean> sameArray = new ArrayList<>();
        final SseTokenizer t = new SseTokenizer(frame ->
        {
            sameArray.add(frame.buffer().byteArray() == input);
            sameArray.add(frame.typeBuffer().byteArray() == input);
            assertTrue(frame.typeEquals("delta"));
            assertTrue(frame.payloadEquals("{\"a\":1}"));
            assertEquals("7", frame.id());
        });
        t.feed(input, 0, input.length);
        assertEquals(List.of(true, true), sameArray);
        assertEquals(1, t.framesDelivered());
    }

    @Test
    void eventSpanningSlicesIsCopiedAndComplete()
    {
        final byte[] input = bytes("data: hello world\n\n");
        final List<Boolean> sameArray = new ArrayList<>();
        final List<String> data = new ArrayList<>();
        final SseTokenizer t = new SseTokenizer(frame ->
        {
            sameArray.add(frame.buffer().byteArray() == input);
            data.add(frame.payloadAsString());
        });
        t.feed(input, 0, 10);
        t.feed(input, 10, input.length - 10);
        assertEquals(List.of(false), sameArray);
        assertEquals(List.of("hello world"), data);
    }

    @Test
    void multiLineDataIsJoinedWithLf()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        feed(t, "data: a\r\ndata:b\rdata\ndata:  c\n\n");
        assertEquals(List.of(event("message", "a\nb\n\n c", null, 0)), recorder.events);
    }

    @Test
    void dispatchesAtTheBlankLineNotLater()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        feed(t, "data: 1\n");
        assertEquals(0, recorder.events.size());
        feed(t, "\n");
        assertEquals(1, recorder.events.size(), "dispatched during the feed that completed the blank line");
        feed(t, "data: 2\r");
        feed(t, "\r");
        assertEquals(2, recorder.events.size(), "a CR ending the slice is already a complete line end");
        feed(t, "\ndata: 3\n\n");
        assertEquals(List.of("1", "2", "3"), recorder.events.stream().map(e -> e.data).toList());
    }

    @Test
    void eventFieldSpelledEveryWayAndBlankLinesOfEveryEnding()
    {
        // The "event:" and blank-line shortcuts must read what the general field and line rules read.
        final SseTokenizer t = new SseTokenizer(recorder);
        final String stream = "event:a\ndata: 1\r\n\r\nevent\ndata: 2\r\revent: \ndata: 3\n\n" +
            "events: x\nevent:  b\ndata: 4\n\nevent:c\revent\ndata:5\r\n\n";
        feed(t, stream);
        assertEquals(List.of(
            event("a", "1", null, 0), event("message", "2", null, stream.indexOf("event\n")),
            event("message", "3", null, stream.indexOf("event: \n")), event(" b", "4", null, stream.indexOf("events")),
            event("message", "5", null, stream.indexOf("event:c"))), recorder.events);
    }

    @Test
    void blankLineAtTheStartOfASliceWhateverItsEnding()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        for (final String piece : new String[] {"event: e\r\ndata: 1\r\n", "\r", "\n", "data: 2\n", "\n", "data: 3\r", "\r",
            "event: f\r", "\ndata: 4\r\n", "\r\n"})
        {
            feed(t, piece);
        }
        assertEquals(List.of("e:1", "message:2", "message:3", "f:4"),
            recorder.events.stream().map(e -> e.type + ":" + e.data).toList());
    }

    @Test
    void streamOffsetIsTheFirstLineOfTheBlockAfterTheBom()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        final byte[] input = bytes("\uFEFFdata: a\n\n\n: c\nevent: e\ndata: b\n\n");
        t.feed(input, 0, input.length);
        assertEquals(List.of(event("message", "a", null, 3), event("e", "b", null, 13)), recorder.events);
        assertEquals(List.of(" c"), recorder.comments);
    }

    @Test
    void idCarriesOverAndIsCopiedEvenWithoutDispatch()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        assertNull(t.lastEventId());
        feed(t, "id: 1\ndata: a\n\nid: 2\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\nid: 9\n");
        assertEquals(List.of(event("message", "a", "1", 0), event("message", "b", "2", 22),
            event("message", "c", "2", 31), event("message", "d", "", 48)), recorder.events);
        assertEquals("", t.lastEventId(), "the unterminated block's id is not yet the last event id string");
        t.end();
        assertEquals("", t.lastEventId());
    }

    @Test
    void retryOnlyForAsciiDigitsAndSaturates()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        assertEquals(-1, t.reconnectionTime());
        feed(t, "retry: 1000\nretry:\nretry: -1\nretry: 1 \nretry: 0x10\nretry: 0042\n" +
            "retry: 99999999999999999999999999\n\n");
        assertEquals(List.of(1000L, 42L, Long.MAX_VALUE), recorder.retries);
        assertEquals(Long.MAX_VALUE, t.reconnectionTime());
        assertEquals(0, recorder.events.size());
    }

    @Test
    void plainFrameListenerGetsEventsOnly()
    {
        final List<String> data = new ArrayList<>();
        final SseTokenizer t = new SseTokenizer(frame -> data.add(frame.payloadAsString()));
        feed(t, ": ping\nretry: 5\ndata: x\n\n");
        assertEquals(List.of("x"), data);
        assertEquals(5, t.reconnectionTime());
    }

    @Test
    void commentSpanningSlicesIsDeliveredWhole()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        feed(t, ": keep");
        feed(t, "-alive");
        feed(t, "\r");
        assertEquals(List.of(" keep-alive"), recorder.comments);
    }

    @Test
    void lineTooLongReportsSkipsTheEventAndGoesOn()
    {
        final SseTokenizer t = new SseTokenizer(recorder, SMALL);
        final String longLine = "data: " + "x".repeat(40);
        feed(t, "data: ok\n\nid: 5\ndata: first\n" + longLine + "\ndata: after\n\ndata: next\n\n");
        assertEquals(List.of(event("message", "ok", null, 0), event("message", "next", "5", 10 + 6 + 12 + 47 + 12 + 1)),
            recorder.events);
        assertEquals(1, recorder.errors.size());
        final StreamError error = recorder.errors.get(0);
        assertEquals(ErrorKind.LINE_TOO_LONG, error.kind());
        assertEquals(10 + 6 + 12, error.byteOffset(), "offset of the long line");
        assertEquals(1, error.eventNumber());
    }

    @Test
    void lineTooLongAcrossSlicesIsNotBuffered()
    {
        final SseTokenizer t = new SseTokenizer(recorder, SMALL);
        feed(t, "data: ");
        for (int i = 0; i < 1000; i++)
        {
            feed(t, "0123456789");
            assertTrue(t.retainedBytes() <= 3 * 32 + 64 + 32, "retained " + t.retainedBytes());
        }
        feed(t, "\ndata: more\n\ndata: fine\n\n");
        assertEquals(List.of("fine"), recorder.events.stream().map(e -> e.data).toList());
        assertEquals(List.of(ErrorKind.LINE_TOO_LONG), recorder.errors.stream().map(StreamError::kind).toList());
        assertEquals(0, recorder.errors.get(0).byteOffset());
    }

    @Test
    void longCommentWithoutSseListenerCountsAgainstTheLineLimit()
    {
        final List<String> data = new ArrayList<>();
        final List<ErrorKind> errors = new ArrayList<>();
        final SseTokenizer t = new SseTokenizer(new FrameListener()
        {
            @Override
            public void onFrame(final Frame frame)
            {
                data.add(frame.payloadAsString());
            }

            @Override
            public void onError(final StreamError error)
            {
                errors.add(error.kind());
            }
        }, SMALL);
        feed(t, ":" + "c".repeat(20));
        feed(t, "c".repeat(11));
        assertEquals(List.of(), errors, "32 bytes is within the limit");
        feed(t, "\ndata: a\n\n:" + "c".repeat(20));
        feed(t, "c".repeat(12) + "\ndata: skipped\n\ndata: b\n\n");
        assertEquals(List.of("a", "b"), data);
        assertEquals(List.of(ErrorKind.LINE_TOO_LONG), errors);
    }

    @Test
    void eventTooLargeReportsAndSkips()
    {
        final SseTokenizer t = new SseTokenizer(recorder, SMALL);
        final String line = "data: " + "y".repeat(20) + "\n";
        feed(t, "event: big\n" + line + line + line + line + "\ndata: small\n\n");
        assertEquals(List.of("small"), recorder.events.stream().map(e -> e.data).toList());
        assertEquals(1, recorder.errors.size());
        assertEquals(ErrorKind.FRAME_TOO_LARGE, recorder.errors.get(0).kind());
        assertEquals(0, recorder.errors.get(0).byteOffset(), "offset of the event");
        // Exactly at the limit is accepted: 3 lines of 20 joined by 2 LFs = 62, plus type "ab" = 64.
        feed(t, "event: ab\n" + line + line + line + "\n");
        assertEquals(2, recorder.events.size());
        assertEquals(64, recorder.events.get(1).data.length() + recorder.events.get(1).type.length());
    }

    @Test
    void endDropsTheUnterminatedEventAndReportsTruncation()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        feed(t, "data: 1\n\ndata: 2\n");
        t.end();
        feed(t, "\n");
        assertEquals(List.of("1"), recorder.events.stream().map(e -> e.data).toList());
        assertEquals(List.of(ErrorKind.TRUNCATED), recorder.errors.stream().map(StreamError::kind).toList());
        assertEquals(9, recorder.errors.get(0).byteOffset());
    }

    @Test
    void aDataLineCarriedAcrossSlicesOutlivesTheNextCarriedLine()
    {
        // The carried data line is viewed in the line buffer, not copied: each later line carried before the blank
        // line (another data line, an event line, an id) reuses that buffer, and must not change the event's data.
        final String first = "a".repeat(50);
        final String second = "b".repeat(70);
        final String[] pieces = {"data: " + first.substring(0, 20), first.substring(20) + "\nevent: x", "yz\nid: 7",
            "\ndata: " + second.substring(0, 30), second.substring(30) + "\ndata: c", "\n\ndata: " + first.substring(0, 10),
            first.substring(10) + "\n", "\n"};
        final SseTokenizer t = new SseTokenizer(recorder);
        for (final String piece : pieces)
        {
            feed(t, piece);
        }
        final SseRecorder whole = new SseRecorder();
        feed(new SseTokenizer(whole), String.join("", pieces));
        assertEquals(List.of(first + "\n" + second + "\nc", first), recorder.events.stream().map(e -> e.data).toList());
        assertEquals(whole.events, recorder.events);
        assertEquals("xyz", recorder.events.get(0).type);
    }

    @Test
    void resetKeepsTheCapacityOrdinaryEventsNeed()
    {
        // A pooled framer meeting a 20 KB event split across slices on every stream must not grow again each time.
        final SseTokenizer t = new SseTokenizer(recorder);
        final byte[] event = bytes("data: " + "y".repeat(20_000) + "\n\n");
        t.feed(event, 0, 10_000);
        t.feed(event, 10_000, event.length - 10_000);
        final long grown = t.retainedBytes();
        assertTrue(grown > 20_000, "grown " + grown);
        t.reset();
        assertEquals(grown, t.retainedBytes());
        recorder.clear();
        t.feed(event, 0, 10_000);
        t.feed(event, 10_000, event.length - 10_000);
        assertEquals(grown, t.retainedBytes());
        assertEquals(1, recorder.events.size());
        assertEquals(20_000, recorder.events.get(0).data.length());
    }

    @Test
    void resetReturnsToACleanState()
    {
        final SseTokenizer t = new SseTokenizer(recorder);
        final byte[] big = bytes("data: " + "z".repeat(100_000));
        feed(t, "\uFEFFid: 3\nretry: 10\n\n\u00EF");
        t.feed(big, 0, big.length);
        assertTrue(t.retainedBytes() > 100_000);
        t.reset();
        assertTrue(t.retainedBytes() < 10_000, "large buffers released: " + t.retainedBytes());
        assertNull(t.lastEventId());
        assertEquals(-1, t.reconnectionTime());
        assertEquals(0, t.bytesFed());
        recorder.clear();
        // A BOM is dropped again at the new stream's offset 0; nothing of the old partial line remains.
        final byte[] again = bytes("\uFEFFdata: fresh\n\n");
        t.feed(again, 0, 2);
        t.feed(again, 2, again.length - 2);
        assertEquals(List.of(event("message", "fresh", null, 3)), recorder.events);
        assertEquals(1, t.framesDelivered());
    }

    @Test
    void directBufferFeedIsZeroCopy()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes("xxdata: d\n\nyy"));
        final SseTokenizer t = new SseTokenizer(frame ->
        {
            assertSame(buffer, frame.buffer());
            assertEquals(8, frame.offset());
        });
        t.feed(buffer, 2, 9);
        assertEquals(1, t.framesDelivered());
    }

    @Test
    void heldIdIsNotAViewOfTheCallersBytes()
    {
        final byte[] input = bytes("id: abc\ndata: 1\n\n");
        final List<Boolean> idInInput = new ArrayList<>();
        final SseTokenizer t = new SseTokenizer(frame -> idInInput.add(frame.idBuffer().byteArray() == input));
        t.feed(input, 0, input.length);
        assertEquals(List.of(false), idInInput);
        assertFalse(idInInput.isEmpty());
        assertNotSame(null, t.lastEventId());
    }
}
