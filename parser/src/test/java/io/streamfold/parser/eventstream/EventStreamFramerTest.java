package io.streamfold.parser.eventstream;

import static io.streamfold.parser.FrameLog.assertSplitInvariant;
import static io.streamfold.parser.FrameLog.utf8;
import static io.streamfold.testkit.EventStreamEncoder.concat;
import static io.streamfold.testkit.EventStreamEncoder.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.streamfold.testkit.EventStreamEncoder;
import org.junit.jupiter.api.Test;
import io.streamfold.parser.ErrorKind;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FrameLog;
import io.streamfold.parser.Framer;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.StreamError;

class EventStreamFramerTest
{
    private static final Function<FrameListener, Framer> DEFAULT = factory(FramingLimits.DEFAULT);

    /** Builds framers whose frames also log the message type and {@code :error-message}, seen during the callback. */
    static Function<FrameListener, Framer> factory(final FramingLimits limits)
    {
        return listener ->
        {
            return new EventStreamFramer(new FrameListener()
            {
                @Override
                public void onFrame(final Frame frame)
                {
                    listener.onFrame(frame);
                    if (listener instanceof FrameLog)
                    {
                        ((FrameLog)listener).events.add("messageType=" + messageType(frame) +
                            " error-message=" + frame.stringHeader(":error-message") +
                            " headersLength=" + frame.headersLength());
                    }
                }

                @Override
                public void onError(final StreamError error)
                {
                    listener.onError(error);
                }
            }, limits);
        };
    }

    private static String messageType(final Frame frame)
    {
        return frame.headerEquals(":message-type", "event") ? "EVENT" :
            frame.headerEquals(":message-type", "exception") ? "EXCEPTION" :
            frame.headerEquals(":message-type", "error") ? "ERROR" : "OTHER";
    }

    private static List<String> messageTypes(final FrameLog log)
    {
        return log.events.stream().filter(e -> e.startsWith("messageType="))
            .map(e -> e.substring("messageType=".length(), e.indexOf(' '))).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void deliversPayloadAndEventTypeOfEachMessageAtEverySplit()
    {
        final byte[] first = event("contentBlockDelta", "{\"delta\":{\"text\":\"Hi\"},\"contentBlockIndex\":0}");
        final byte[] second = event("messageStop", "{\"stopReason\":\"end_turn\"}");
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(first, second));
        assertEquals(List.of("contentBlockDelta", "messageStop"), log.types);
        assertEquals(List.of("{\"delta\":{\"text\":\"Hi\"},\"contentBlockIndex\":0}", "{\"stopReason\":\"end_turn\"}"),
            log.payloadStrings());
        assertEquals(List.of(0L, (long)first.length), log.offsets);
        assertEquals(List.of("EVENT", "EVENT"), messageTypes(log));
        assertTrue(log.errors.isEmpty());
    }

    @Test
    void exceptionAndErrorMessagesTakeTheirTypeFromTheirOwnHeaders()
    {
        final byte[] exception = new EventStreamEncoder()
            .string(":exception-type", "throttlingException")
            .string(":content-type", "application/json")
            .string(":message-type", "exception")
            .encode(utf8("{\"message\":\"slow down\"}"));
        final byte[] error = new EventStreamEncoder()
            .string(":error-code", "InternalFailure")
            .string(":error-message", "boom \u00e9")
            .string(":message-type", "error")
            .encode(new byte[0]);
        final byte[] noMessageType = new EventStreamEncoder().string(":event-type", "ping").encode(utf8("{}"));
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(exception, error, noMessageType));
        assertEquals(List.of("throttlingException", "InternalFailure", "ping"), log.types);
        assertEquals(List.of("{\"message\":\"slow down\"}", "", "{}"), log.payloadStrings());
        assertEquals(List.of("EXCEPTION", "ERROR", "OTHER"), messageTypes(log));
        assertTrue(log.events.contains("messageType=ERROR error-message=boom \u00e9 headersLength=" +
            (error.length - 16)));
    }

    @Test
    void aHeaderGivenTwiceCountsTheFirstTimeForTheTypeAndTheLookups()
    {
        final byte[] twice = new EventStreamEncoder()
            .string(":message-type", "exception")
            .string(":exception-type", "validationException")
            .string(":event-type", "contentBlockDelta")
            .string(":message-type", "event")
            .string(":exception-type", "throttlingException")
            .encode(utf8("{}"));
        final FrameLog log = assertSplitInvariant(DEFAULT, twice);
        assertEquals(List.of("validationException"), log.types);
        assertEquals(List.of("EXCEPTION"), messageTypes(log));
    }

    @Test
    void messagesRepeatingTheHeadersOfTheLastOneAreTypedAsIfReadAfresh()
    {
        // Same header bytes (reused findings), then headers of the same length that differ in one value byte,
        // then an exception among events, then the first headers again: every frame typed from its own bytes.
        final byte[] delta = event("contentBlockDelta", "{\"n\":1}");
        final byte[] start = event("contentBlockStart", "{\"n\":2}");
        final byte[] exception = EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow\"}");
        final byte[] noType = new EventStreamEncoder().string(":content-type", "application/json").encode(utf8("{}"));
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(delta, delta, start, start, exception, exception, delta,
            noType, noType, delta));
        assertEquals(List.of("contentBlockDelta", "contentBlockDelta", "contentBlockStart", "contentBlockStart",
            "throttlingException", "throttlingException", "contentBlockDelta", "", "", "contentBlockDelta"),
            log.types);
        assertEquals(List.of("EVENT", "EVENT", "EVENT", "EVENT", "EXCEPTION", "EXCEPTION", "EVENT", "OTHER", "OTHER", "EVENT"),
            messageTypes(log));
        assertTrue(log.errors.isEmpty());
    }

    @Test
    void headersTooLongToKeepAreWalkedEveryTime()
    {
        final EventStreamEncoder encoder = new EventStreamEncoder().string(":event-type", "metadata");
        encoder.string("x-padding", "p".repeat(300));
        final byte[] long1 = encoder.string(":message-type", "event").encode(utf8("{}"));
        final byte[] exception = new EventStreamEncoder().string(":exception-type", "modelStreamErrorException")
            .string("x-padding", "p".repeat(300)).string(":message-type", "exception").encode(utf8("{}"));
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(long1, long1, exception, long1));
        assertEquals(List.of("metadata", "metadata", "modelStreamErrorException", "metadata"), log.types);
        assertEquals(List.of("EVENT", "EVENT", "EXCEPTION", "EVENT"), messageTypes(log));
    }

    @Test
    void readsPastHeadersOfEveryValueType()
    {
        final byte[] message = new EventStreamEncoder()
            .bool("t", true)
            .bool("f", false)
            .int8("b", (byte)-1)
            .int16("s", (short)-2)
            .int32("i", -3)
            .int64("l", -4L)
            .bytes("bytes", new byte[]{0, 7, (byte)0xFF})
            .timestamp("ts", 1_700_000_000_000L)
            .uuid("u", -1L, -1L)
            .string("", "")
            .string(":event-type", "metadata")
            .string(":message-type", "event")
            .encode(utf8("{\"usage\":{}}"));
        final FrameLog log = assertSplitInvariant(DEFAULT, message);
        assertEquals(List.of("metadata"), log.types);
        assertEquals(List.of("{\"usage\":{}}"), log.payloadStrings());
        assertTrue(log.errors.isEmpty());
    }

    @Test
    void messageInsideOneSliceIsAViewOfTheCallersBytes()
    {
        final byte[] first = event("a", "{\"x\":1}");
        final byte[] data = concat(first, event("b", "{\"y\":2}"));
        assertEquals(List.of(true, true), FrameLog.whole(DEFAULT, data).viewsOfCaller);

        final FrameLog log = new FrameLog();
        log.callerArray = data;
        final Framer framer = DEFAULT.apply(log);
        framer.feed(data, 0, first.length + 20);
        framer.feed(data, first.length + 20, data.length - first.length - 20);
        framer.end();
        assertEquals(List.of(true, false), log.viewsOfCaller);
        assertEquals(List.of("{\"x\":1}", "{\"y\":2}"), log.payloadStrings());
    }

    @Test
    void largeMessagesThroughOffHeapBuffersCheckTheirCrc()
    {
        final char[] text = new char[5000];
        Arrays.fill(text, 'z');
        final byte[] data = concat(event("big", new String(text)), event("small", "{}"));
        final FrameLog log = FrameLog.randomDirect(DEFAULT, data, 7);
        assertEquals(List.of("big", "small"), log.types);
        assertEquals(new String(text), log.payloadStrings().get(0));

        final FrameLog oneDirect = new FrameLog();
        final Framer framer = DEFAULT.apply(oneDirect);
        final java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(data.length);
        direct.put(data).flip();
        framer.feed(direct);
        framer.end();
        assertEquals(List.of("big", "small"), oneDirect.types);
        assertTrue(oneDirect.errors.isEmpty());
    }

    @Test
    void badMessageCrcDropsOnlyThatMessage()
    {
        final byte[] a = event("a", "{}");
        final byte[] b = event("b", "{\"k\":1}");
        final byte[] c = event("c", "{}");
        b[b.length - 6] ^= 1;
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(a, b, c));
        assertEquals(List.of("a", "c"), log.types);
        assertEquals(1, log.errors.size());
        assertEquals(ErrorKind.CHECKSUM_MISMATCH, log.errors.get(0).kind());
        assertEquals(a.length, log.errors.get(0).byteOffset());
        assertEquals(1, log.errors.get(0).eventNumber());
    }

    @Test
    void badPreludeCrcStopsTheStream()
    {
        final byte[] a = event("a", "{}");
        final byte[] b = event("b", "{}");
        b[3] ^= 1;
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(a, b, event("c", "{}")));
        assertEquals(List.of("a"), log.types);
        assertEquals(1, log.errors.size(), "no TRUNCATED after framing was given up: " + log.errors);
        assertEquals(ErrorKind.CHECKSUM_MISMATCH, log.errors.get(0).kind());
        assertEquals(a.length, log.errors.get(0).byteOffset());
    }

    @Test
    void impossiblePreludeLengthsAreMalformedAndStopTheStream()
    {
        final byte[] a = event("a", "{}");
        for (final byte[] prelude : new byte[][]{
            EventStreamEncoder.prelude(15, 0), EventStreamEncoder.prelude(20, 5), EventStreamEncoder.prelude(-1, -1)})
        {
            final FrameLog log = assertSplitInvariant(DEFAULT, concat(a, prelude, new byte[8], a));
            assertEquals(List.of("a"), log.types);
            assertEquals(1, log.errors.size());
            assertEquals(ErrorKind.MALFORMED_FRAMING, log.errors.get(0).kind(), log.errors.toString());
            assertEquals(a.length, log.errors.get(0).byteOffset());
        }
    }

    @Test
    void tooLargeMessageIsSkippedWithoutBufferingAndFramingGoesOn()
    {
        final FramingLimits limits = FramingLimits.builder().maxFrameBytes(120).build();
        final char[] text = new char[300];
        Arrays.fill(text, 'q');
        final byte[] a = event("a", "{}");
        final byte[] big = event("big", new String(text));
        final FrameLog log = assertSplitInvariant(factory(limits), concat(a, big, a));
        assertEquals(List.of("a", "a"), log.types);
        assertEquals(1, log.errors.size());
        assertEquals(ErrorKind.FRAME_TOO_LARGE, log.errors.get(0).kind());
        assertEquals(a.length, log.errors.get(0).byteOffset());

        final FrameLog cut = assertSplitInvariant(factory(limits), concat(a, Arrays.copyOf(big, 100)));
        assertEquals(List.of(ErrorKind.FRAME_TOO_LARGE, ErrorKind.TRUNCATED),
            cut.errors.stream().map(StreamError::kind).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void headersThatDoNotParseDropTheMessage()
    {
        final byte[] a = event("a", "{}");
        final byte[] unknownType = new EventStreamEncoder().raw("x", 10, new byte[0]).string(":event-type", "u")
            .encode(utf8("{}"));
        final byte[] overrun = new EventStreamEncoder().raw(":event-type", 7, new byte[]{0, 100, 'a'}).encode(utf8("{}"));
        final byte[] nameOverrun = new EventStreamEncoder().headerBytes((byte)50, (byte)'a').encode(utf8("{}"));
        final FrameLog log = assertSplitInvariant(DEFAULT, concat(a, unknownType, a, overrun, nameOverrun, a));
        assertEquals(List.of("a", "a", "a"), log.types);
        assertEquals(3, log.errors.size());
        for (final StreamError error : log.errors)
        {
            assertEquals(ErrorKind.MALFORMED_FRAMING, error.kind());
        }
        assertEquals(a.length, log.errors.get(0).byteOffset());
    }

    @Test
    void endInsideAMessageIsTruncated()
    {
        final byte[] a = event("a", "{}");
        for (final int keep : new int[]{1, 11, 12, 13, a.length - 1})
        {
            final FrameLog log = assertSplitInvariant(DEFAULT, concat(a, Arrays.copyOf(a, keep)));
            assertEquals(List.of("a"), log.types, "keep " + keep);
            assertEquals(1, log.errors.size());
            assertEquals(ErrorKind.TRUNCATED, log.errors.get(0).kind());
            assertEquals(a.length, log.errors.get(0).byteOffset());
        }
        assertTrue(FrameLog.whole(DEFAULT, a).errors.isEmpty());
    }

    @Test
    void resetDropsAPartialMessage()
    {
        final byte[] a = event("a", "{\"n\":1}");
        final FrameLog log = new FrameLog();
        final Framer framer = DEFAULT.apply(log);
        framer.feed(a, 0, 20);
        framer.reset();
        framer.feed(a, 0, a.length);
        framer.end();
        assertEquals(List.of("a"), log.types);
        assertEquals(List.of(0L), log.offsets);
        assertTrue(log.errors.isEmpty());

        framer.reset();
        final byte[] broken = a.clone();
        broken[0] ^= 1;
        framer.feed(broken, 0, broken.length);
        framer.reset();
        framer.feed(a, 0, a.length);
        assertEquals(2, log.types.size(), "a stopped stream recovers on reset");
    }
}
