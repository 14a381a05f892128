package io.streamfold.parser.internal;

import static io.streamfold.parser.FrameLog.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.Framer;
import io.streamfold.parser.composite.SniffingFramer;
import io.streamfold.testkit.EventStreamEncoder;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.ndjson.NdjsonFramer;
import io.streamfold.parser.sse.SseTokenizer;

/**
 * Every framer frames through all three feed entry points (array, heap and direct {@link ByteBuffer}) on
 * whichever buffers this JVM allows. The build runs it twice: with Agrona's JVM flag, and in a surefire
 * execution without it, where the system property {@code streamfold.expectSafeBuffers} makes it also check
 * that the flag-free buffers were chosen (and so that nothing threw {@link IllegalAccessError}).
 */
class NoJvmFlagTest
{
    @Test
    void buffersMatchTheJvmFlag()
    {
        if (Boolean.getBoolean("streamfold.expectSafeBuffers"))
        {
            assertFalse(Buffers.UNSAFE, "no --add-exports: the flag-free buffers must be chosen");
            assertTrue(Buffers.newView() instanceof SafeBuffer);
        }
        else
        {
            assertEquals(!Boolean.getBoolean(Buffers.SAFE_PROPERTY), Buffers.UNSAFE);
        }
    }

    @Test
    void sse()
    {
        check(SseTokenizer::new, "event: a\r\ndata: x\n\n: comment\ndata: {\"y\":1}\ndata: 2\n\n",
            List.of("x", "{\"y\":1}\n2"));
    }

    @Test
    void ndjson()
    {
        check(NdjsonFramer::new, "\uFEFF{\"a\":1}\r\n\n  {\"b\":\"\u00e9\"}\n{\"c\":3}", List.of("{\"a\":1}", "{\"b\":\"\u00e9\"}", "{\"c\":3}"));
    }

    @Test
    void jsonArray()
    {
        check(JsonArrayFramer::new, "[{\"a\":\"]\\\"\"},\r\n{\"b\":[1,2]}, 3]", List.of("{\"a\":\"]\\\"\"}", "{\"b\":[1,2]}", "3"));
    }

    @Test
    void sniffing()
    {
        check(listener -> new SniffingFramer((byte)'[', new JsonArrayFramer(listener), new SseTokenizer(listener)),
            " [{\"a\":1}]", List.of("{\"a\":1}"));
    }

    @Test
    void eventStream()
    {
        final byte[] data = EventStreamEncoder.concat(
            EventStreamEncoder.event("contentBlockDelta", "{\"delta\":1}"),
            new EventStreamEncoder().string(":message-type", "exception").string(":exception-type", "throttlingException")
                .string(":error-message", "slow").encode(utf8("{}")));
        final FrameLog log = check(EventStreamFramer::new, data, List.of("{\"delta\":1}", "{}"));
        assertEquals(List.of("contentBlockDelta", "throttlingException"), log.types);
    }

    private static FrameLog check(final Function<FrameListener, Framer> factory, final String text, final List<String> expected)
    {
        return check(factory, utf8(text), expected);
    }

    private static FrameLog check(final Function<FrameListener, Framer> factory, final byte[] data, final List<String> expected)
    {
        final FrameLog arrays = FrameLog.assertSplitInvariant(factory, data);
        assertEquals(expected, arrays.payloadStrings());
        assertTrue(arrays.errors.isEmpty(), arrays.errors.toString());

        final FrameLog heap = new FrameLog();
        final Framer heapFramer = factory.apply(heap);
        final ByteBuffer heapBuffer = ByteBuffer.allocate(data.length + 8);
        heapBuffer.position(3);
        heapBuffer.put(data).flip().position(3);
        heapFramer.feed(heapBuffer);
        heapFramer.end();
        assertEquals(expected, heap.payloadStrings());

        final FrameLog direct = new FrameLog();
        final Framer directFramer = factory.apply(direct);
        final ByteBuffer directBuffer = ByteBuffer.allocateDirect(data.length);
        directBuffer.put(data).flip();
        final int half = data.length / 2;
        directFramer.feed(directBuffer.duplicate().limit(half));
        directFramer.feed(directBuffer.position(half));
        directFramer.end();
        assertEquals(expected, direct.payloadStrings());
        assertEquals(arrays.offsets, direct.offsets);
        return arrays;
    }
}
