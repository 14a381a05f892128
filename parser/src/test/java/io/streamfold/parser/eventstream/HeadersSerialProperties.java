package io.streamfold.parser.eventstream;

import static io.streamfold.parser.FrameLog.utf8;
import static io.streamfold.testkit.EventStreamEncoder.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.StreamError;
import io.streamfold.testkit.EventStreamEncoder;

/**
 * {@link Frame#headersSerial()} is what listeners cache their reading of a message's headers on, so a serial must
 * never stand for two different header sections (from any framer, across resets, around dropped messages), and a
 * message repeating the last delivered one's header bytes keeps its serial (else the cache never pays).
 */
class HeadersSerialProperties
{
    /** Header sections that differ in a value byte, in length, in kind, or are too long to be kept for comparison. */
    private static final byte[][] MESSAGES = {
        event("contentBlockDelta", "{\"delta\":{\"text\":\"a\"}}"),
        event("contentBlockDelta", "{\"delta\":{\"text\":\"bc\"}}"),
        event("contentBlockDeltb", "{\"delta\":{\"text\":\"a\"}}"),
        event("contentBlockStart", "{}"),
        event("messageStop", "{\"stopReason\":\"end_turn\"}"),
        EventStreamEncoder.exception("throttlingException", "{\"message\":\"slow\"}"),
        new EventStreamEncoder().string(":event-type", "contentBlockDelta").string(":padding", "p".repeat(300))
            .encode(utf8("{}")),
        new EventStreamEncoder().string(":event-type", "contentBlockDelta").string(":padding", "q".repeat(300))
            .encode(utf8("{}")),
    };

    @Property(tries = 300)
    void aSerialStandsForOneHeaderSectionAndARepeatedSectionKeepsIt(@ForAll final long seed)
    {
        final Random r = new Random(seed);
        final List<byte[]> headers = new ArrayList<>();
        final List<Long> serials = new ArrayList<>();
        final List<Boolean> afterBreak = new ArrayList<>();
        final boolean[] broken = {true};
        final FrameListener listener = new FrameListener()
        {
            @Override
            public void onFrame(final Frame frame)
            {
                final byte[] h = new byte[frame.headersLength()];
                frame.headersBuffer().getBytes(frame.headersOffset(), h);
                headers.add(h);
                serials.add(frame.headersSerial());
                afterBreak.add(broken[0]);
                broken[0] = false;
            }

            @Override
            public void onError(final StreamError error)
            {
            }
        };
        // Two framers take turns at times: serials are compared across them too.
        final EventStreamFramer[] framers = {new EventStreamFramer(listener), new EventStreamFramer(listener)};
        int current = 0;
        for (int i = 0, n = 1 + r.nextInt(30); i < n; i++)
        {
            final int pick = r.nextInt(4);
            if (pick == 0 && i > 0)
            {
                framers[current].reset();
                broken[0] = true;
                if (r.nextBoolean())
                {
                    current ^= 1;
                }
            }
            byte[] message = MESSAGES[r.nextInt(r.nextBoolean() ? 2 : MESSAGES.length)];
            if (pick == 1)
            {
                // A damaged message is dropped: the one after it is compared with the last one delivered.
                message = message.clone();
                message[message.length - 5] ^= 1;
            }
            feedInSlices(framers[current], message, r);
        }

        for (int i = 0; i < serials.size(); i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (serials.get(i).equals(serials.get(j)))
                {
                    assertArrayEquals(headers.get(j), headers.get(i), "frames " + j + " and " + i + " share serial " + serials.get(i));
                }
            }
            assertNotEquals(0L, serials.get(i));
            if (i > 0 && !afterBreak.get(i) && Arrays.equals(headers.get(i - 1), headers.get(i)) && headers.get(i).length <= 256)
            {
                assertEquals(serials.get(i - 1), serials.get(i), "frame " + i + " repeats the headers of the one before");
            }
        }
    }

    private static void feedInSlices(final EventStreamFramer framer, final byte[] message, final Random r)
    {
        int at = 0;
        while (at < message.length)
        {
            final int n = Math.min(message.length - at, 1 + r.nextInt(r.nextBoolean() ? 8 : message.length));
            framer.feed(message, at, n);
            at += n;
        }
    }
}
