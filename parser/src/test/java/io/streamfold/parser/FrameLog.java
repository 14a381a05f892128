package io.streamfold.parser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Assertions;

/**
 * Test support for the framers: a listener that records frames (copied, since the flyweight is reused)
 * and errors in arrival order, and ways to feed the same bytes in different slicings.
 */
public final class FrameLog implements FrameListener
{
    /** Frames and errors, in order, rendered as text so two runs compare with one equals. */
    public final List<String> events = new ArrayList<>();
    public final List<byte[]> payloads = new ArrayList<>();
    public final List<String> types = new ArrayList<>();
    public final List<Long> offsets = new ArrayList<>();
    public final List<StreamError> errors = new ArrayList<>();
    /** For each frame: was its payload a view onto this array (set by the test before feeding). */
    public final List<Boolean> viewsOfCaller = new ArrayList<>();
    public byte[] callerArray;

    @Override
    public void onFrame(final Frame frame)
    {
        final byte[] payload = frame.payloadBytes();
        payloads.add(payload);
        types.add(new String(typeBytes(frame), StandardCharsets.UTF_8));
        offsets.add(frame.streamOffset());
        viewsOfCaller.add(callerArray != null && frame.buffer().byteArray() == callerArray);
        events.add("frame #" + frame.index() + " @" + frame.streamOffset() + " type=" + types.get(types.size() - 1) +
            " id=" + frame.hasId() + " payload=" + Arrays.toString(payload));
    }

    @Override
    public void onError(final StreamError error)
    {
        errors.add(error);
        events.add("error " + error);
    }

    public List<String> payloadStrings()
    {
        final List<String> result = new ArrayList<>();
        for (final byte[] payload : payloads)
        {
            result.add(new String(payload, StandardCharsets.UTF_8));
        }
        return result;
    }

    /** Asserts that every payload is one whole JSON object with nothing after it ({@code where} names the input). */
    public void assertPayloadsAreWholeObjects(final String where) throws IOException
    {
        final JsonFactory json = new JsonFactory();
        for (final byte[] payload : payloads)
        {
            try (JsonParser parser = json.createParser(payload))
            {
                Assertions.assertEquals(JsonToken.START_OBJECT, parser.nextToken(), where);
                parser.skipChildren();
                Assertions.assertNull(parser.nextToken(), "one whole value per frame in " + where);
            }
        }
    }

    private static byte[] typeBytes(final Frame frame)
    {
        final byte[] bytes = new byte[frame.typeLength()];
        if (bytes.length > 0)
        {
            frame.typeBuffer().getBytes(frame.typeOffset(), bytes);
        }
        return bytes;
    }

    public static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds everything in one slice (the caller's own array), then ends. */
    public static FrameLog whole(final Function<FrameListener, Framer> factory, final byte[] data)
    {
        final FrameLog log = new FrameLog();
        log.callerArray = data;
        final Framer framer = factory.apply(log);
        framer.feed(data, 0, data.length);
        framer.end();
        return log;
    }

    /**
     * Feeds the slices between the given cut points, each from a fresh array that is scribbled over once
     * the feed returns, so any view kept past its slice shows up as wrong bytes.
     */
    public static FrameLog sliced(final Function<FrameListener, Framer> factory, final byte[] data, final int... cuts)
    {
        final FrameLog log = new FrameLog();
        final Framer framer = factory.apply(log);
        int from = 0;
        for (int c = 0; c <= cuts.length; c++)
        {
            final int to = c < cuts.length ? cuts[c] : data.length;
            final byte[] slice = new byte[to - from + 2];
            System.arraycopy(data, from, slice, 1, to - from);
            framer.feed(slice, 1, to - from);
            Arrays.fill(slice, (byte)0x55);
            from = to;
        }
        framer.end();
        return log;
    }

    public static FrameLog byteByByte(final Function<FrameListener, Framer> factory, final byte[] data)
    {
        final FrameLog log = new FrameLog();
        final Framer framer = factory.apply(log);
        final byte[] one = new byte[1];
        for (final byte b : data)
        {
            one[0] = b;
            framer.feed(one, 0, 1);
            one[0] = 0x55;
        }
        framer.end();
        return log;
    }

    /** Feeds random slices through direct (off-heap) ByteBuffers. */
    public static FrameLog randomDirect(final Function<FrameListener, Framer> factory, final byte[] data, final long seed)
    {
        final FrameLog log = new FrameLog();
        final Framer framer = factory.apply(log);
        final Random random = new Random(seed);
        final ByteBuffer direct = ByteBuffer.allocateDirect(Math.max(1, data.length));
        int from = 0;
        while (from < data.length)
        {
            final int n = 1 + random.nextInt(Math.min(64, data.length - from));
            direct.clear();
            direct.put(data, from, n).flip();
            framer.feed(direct);
            from += n;
        }
        framer.end();
        return log;
    }

    /**
     * Asserts that every two-way split, byte-by-byte feeding and direct-buffer feeding give exactly the
     * frames and errors of one whole feed.
     *
     * @return the log of the whole feed.
     */
    public static FrameLog assertSplitInvariant(final Function<FrameListener, Framer> factory, final byte[] data)
    {
        final FrameLog whole = whole(factory, data);
        for (int cut = 1; cut < data.length; cut++)
        {
            final FrameLog split = sliced(factory, data, cut);
            if (!whole.events.equals(split.events))
            {
                Assertions.assertEquals(whole.events, split.events, "split at " + cut);
            }
        }
        Assertions.assertEquals(whole.events, byteByByte(factory, data).events, "byte by byte");
        Assertions.assertEquals(whole.events, randomDirect(factory, data, data.length).events, "direct buffers");
        return whole;
    }

    /** @return random ascending cut points in (0, length). */
    public static int[] randomCuts(final Random random, final int length, final int count)
    {
        if (length < 2)
        {
            return new int[0];
        }
        final int[] cuts = new int[count];
        for (int i = 0; i < count; i++)
        {
            cuts[i] = 1 + random.nextInt(length - 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }
}
