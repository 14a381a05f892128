package io.streamfold.parser.internal;

import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.FramingLimits;

/** Continuing another framer's stream with bare JSON values, as SSE-then-JSON does. */
class JsonValuesFramerTest
{
    @Test
    void continuesAnotherFramersOffsetsAndIndexes()
    {
        final FrameLog log = new FrameLog();
        final JsonValuesFramer framer = new JsonValuesFramer(log, FramingLimits.DEFAULT);
        framer.continueBare(99, 5);
        final byte[] data = utf8("{\"a\":1},\n{\"b\":2}");
        framer.feed(data, 0, 10);
        framer.feed(data, 10, data.length - 10);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), log.payloadStrings());
        assertEquals(List.of(99L, 108L), log.offsets);
        assertTrue(log.events.get(1).startsWith("frame #6 @108"), log.events.toString());
        assertEquals(99 + data.length, framer.bytesFed());
        assertEquals(7, framer.framesDelivered());
        framer.end();
        assertEquals(List.of(), log.errors, "no closing bracket is expected after bare values");

        framer.reset();
        assertEquals(0, framer.bytesFed());
        assertEquals(0, framer.framesDelivered());
        framer.feed(utf8("["), 0, 1);
        assertThrows(IllegalStateException.class, () -> framer.continueBare(1, 1));
    }

    @Test
    void aBareValueCutOffIsTruncatedAtItsStart()
    {
        final FrameLog log = new FrameLog();
        final JsonValuesFramer framer = new JsonValuesFramer(log, FramingLimits.DEFAULT);
        framer.continueBare(10, 2);
        final byte[] data = utf8("{\"a\":1}\n{\"error\": {");
        framer.feed(data, 0, data.length);
        framer.end();
        assertEquals(1, log.errors.size(), log.errors.toString());
        assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind(), "values need a comma, as array elements");

        final FrameLog cut = new FrameLog();
        final JsonValuesFramer other = new JsonValuesFramer(cut, FramingLimits.DEFAULT);
        other.continueBare(10, 2);
        final byte[] open = utf8("  {\"error\": {\"code\": 500");
        other.feed(open, 0, open.length);
        other.end();
        assertEquals(ErrorKind.TRUNCATED, cut.errors.get(0).kind());
        assertEquals(12, cut.errors.get(0).byteOffset());
        assertEquals(2, cut.errors.get(0).eventNumber());
    }
}
