package io.streamfold.parser.composite;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.Framer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.sse.SseTokenizer;

class SniffingFramerTest
{
    private static final Function<FrameListener, Framer> GEMINI =
        listener -> new SniffingFramer((byte)'[', new JsonArrayFramer(listener), new SseTokenizer(listener));

    @Test
    void arrayWhenTheFirstSignificantByteIsTheMarker()
    {
        final byte[] data = FrameLog.utf8("\uFEFF \r\n [{\"a\":1}\r\n,\r\n{\"b\":2}]");
        final FrameLog log = FrameLog.assertSplitInvariant(GEMINI, data);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), log.payloadStrings());
        // Offsets count the held-back prefix: the chosen framer saw the exact stream.
        assertEquals(List.of(8L, 20L), log.offsets);
        assertEquals(List.of(), log.errors);
    }

    @Test
    void sseOtherwise()
    {
        final byte[] data = FrameLog.utf8("\r\ndata: {\"a\":1}\r\n\r\n: comment\r\ndata: x\r\n\r\n");
        final FrameLog log = FrameLog.assertSplitInvariant(GEMINI, data);
        assertEquals(List.of("{\"a\":1}", "x"), log.payloadStrings());
        assertEquals(List.of(), log.errors);
    }

    @Test
    void undecidedUntilASignificantByteAndResetForgetsTheChoice()
    {
        final FrameLog log = new FrameLog();
        final JsonArrayFramer array = new JsonArrayFramer(log);
        final SseTokenizer sse = new SseTokenizer(log);
        final SniffingFramer framer = new SniffingFramer((byte)'[', array, sse);
        framer.feed(FrameLog.utf8("  \n"), 0, 3);
        assertNull(framer.chosen());
        assertEquals(3, framer.bytesFed());
        framer.feed(FrameLog.utf8("[1]"), 0, 3);
        assertSame(array, framer.chosen());
        assertEquals(6, framer.bytesFed());
        assertEquals(1, framer.framesDelivered());
        framer.reset();
        assertNull(framer.chosen());
        framer.feed(FrameLog.utf8("data: y\n\n"), 0, 9);
        assertSame(sse, framer.chosen());
        assertEquals(List.of("1", "y"), log.payloadStrings());
    }

    @Test
    void emptyOrWhitespaceOnlyStreamGoesToTheOtherFramer()
    {
        final FrameLog log = new FrameLog();
        final SseTokenizer sse = new SseTokenizer(log);
        final SniffingFramer framer = new SniffingFramer((byte)'[', new JsonArrayFramer(log), sse);
        framer.feed(FrameLog.utf8(" \n"), 0, 2);
        framer.end();
        assertSame(sse, framer.chosen());
        assertEquals(List.of(), log.events);
    }

    @Test
    void aPrefixLongerThanTheBoundIsGivenToTheOtherFramer()
    {
        final byte[] data = new byte[SniffingFramer.MAX_HELD_BYTES + 10];
        java.util.Arrays.fill(data, (byte)' ');
        data[data.length - 1] = '[';
        final FrameLog log = new FrameLog();
        final SseTokenizer sse = new SseTokenizer(log);
        final SniffingFramer framer = new SniffingFramer((byte)'[', new JsonArrayFramer(log), sse);
        for (int i = 0; i < data.length; i += 100)
        {
            framer.feed(data, i, Math.min(100, data.length - i));
        }
        assertSame(sse, framer.chosen());
        assertEquals(data.length, framer.bytesFed());
    }
}
