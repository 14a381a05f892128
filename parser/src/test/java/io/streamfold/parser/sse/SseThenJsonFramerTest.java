package io.streamfold.parser.sse;

import static io.streamfold.parser.FrameLog.assertSplitInvariant;
import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.FrameLog;

/** SSE events, then bare JSON values from the first line starting with '{', with stream offsets and indexes. */
class SseThenJsonFramerTest
{
    @Test
    void framesEventsThenBareValuesWithStreamOffsets()
    {
        final String sse = "\uFEFFdata: {\"a\":1}\r\n\r\ndata: {\"b\":2}\r\n";
        final String bare = "{\n  \"error\": {\"code\": 500, \"message\": \"}\"}\n}\n";
        final FrameLog log = assertSplitInvariant(SseThenJsonFramer::new, utf8(sse + bare));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}", bare.trim()), log.payloadStrings());
        assertEquals(List.of(3L, 20L, (long)utf8(sse).length), log.offsets);
        assertTrue(log.events.get(2).startsWith("frame #2 "), log.events.toString());
        assertEquals(List.of(), log.errors);
    }

    @Test
    void dispatchesAnUnterminatedLastEventAndReportsACutOffValue()
    {
        final FrameLog lenient = assertSplitInvariant(SseThenJsonFramer::new, utf8("data: x\n\ndata: y"));
        assertEquals(List.of("x", "y"), lenient.payloadStrings());
        assertEquals(List.of(), lenient.errors);

        final byte[] cut = utf8("data: x\n\n{\"error\": {\"code\"");
        final FrameLog truncated = assertSplitInvariant(SseThenJsonFramer::new, cut);
        assertEquals(List.of("x"), truncated.payloadStrings());
        assertEquals(ErrorKind.TRUNCATED, truncated.errors.get(0).kind());
        assertEquals(9, truncated.errors.get(0).byteOffset());
    }
}
