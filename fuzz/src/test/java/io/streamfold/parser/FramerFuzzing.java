package io.streamfold.parser;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.streamfold.parser.eventstream.EventStreamFramer;
import io.streamfold.parser.jsonarray.JsonArrayFramer;
import io.streamfold.parser.ndjson.NdjsonFramer;
import io.streamfold.parser.sse.SseTokenizer;

/**
 * The checks every framer fuzz target makes on one input: the bytes are fed whole to one framer and in
 * the slices the fuzzer chose to another (every other slice off the heap). Both must log the same frames and errors; neither may throw;
 * after every feed the bytes each retains stay under a bound derived from the small limits used here;
 * no delivered frame is larger than the frame limit; counters agree with what was delivered.
 */
final class FramerFuzzing
{
    /** Small limits so the fuzzer reaches every limit path with short inputs. */
    static final FramingLimits LIMITS = FramingLimits.builder()
        .maxLineBytes(64)
        .maxFrameBytes(256)
        .maxNestingDepth(8)
        .build();

    private FramerFuzzing()
    {
    }

    /**
     * @param data    the fuzzer's input: a few bytes choose the cut points, the rest is the stream.
     * @param factory makes a framer delivering to the given listener.
     * @param bound   most bytes a framer under {@link #LIMITS} may retain between feeds.
     */
    static void check(final FuzzedDataProvider data, final Function<FrameListener, Framer> factory, final long bound)
    {
        final int[] cuts = cuts(data);
        final byte[] stream = data.consumeRemainingAsBytes();
        checkStream(stream, cuts, factory, bound);
    }

    static int[] cuts(final FuzzedDataProvider data)
    {
        final int count = data.consumeInt(0, 16);
        final int[] cuts = new int[count];
        for (int i = 0; i < count; i++)
        {
            cuts[i] = data.consumeInt(0, 1 << 16);
        }
        return cuts;
    }

    static void checkStream(final byte[] stream, final int[] cuts, final Function<FrameListener, Framer> factory,
        final long bound)
    {
        checkStream(stream, cuts, factory, bound, false);
    }

    /**
     * As above; {@code listenerMaySkip}: the factory puts a listener of its own before the log that turns some frames
     * into errors ({@code InvokeChunks}), so the framer may count more frames delivered than the log got.
     */
    static void checkStream(final byte[] stream, final int[] cuts, final Function<FrameListener, Framer> factory,
        final long bound, final boolean listenerMaySkip)
    {
        final Log whole = new Log();
        whole.maySkip = listenerMaySkip;
        final Framer a = factory.apply(whole);
        a.feed(stream, 0, stream.length);
        a.end();
        whole.checkCounters(a, stream.length);

        final Log sliced = new Log();
        sliced.maySkip = listenerMaySkip;
        final Framer b = factory.apply(sliced);
        final int[] bounds = slices(cuts, stream.length);
        int from = 0;
        boolean offHeap = false;
        for (final int to : bounds)
        {
            // A private copy per slice, scribbled over afterwards: a framer keeping a view of old bytes fails. Every
            // other slice lies off the heap, where framers read through the buffer instead of its array.
            final byte[] slice = Arrays.copyOfRange(stream, from, to);
            if (offHeap)
            {
                final ByteBuffer direct = ByteBuffer.allocateDirect(slice.length).put(slice).flip();
                b.feed(direct);
                direct.clear();
                while (direct.hasRemaining())
                {
                    direct.put((byte)'#');
                }
            }
            else
            {
                b.feed(slice, 0, slice.length);
                Arrays.fill(slice, (byte)'#');
            }
            offHeap = !offHeap;
            final long retained = retainedBytes(b);
            if (retained > bound)
            {
                throw new AssertionError("retains " + retained + " bytes > bound " + bound + " after " + to + " bytes");
            }
            from = to;
        }
        b.end();
        sliced.checkCounters(b, stream.length);

        if (!whole.events.equals(sliced.events))
        {
            throw new AssertionError("fed whole vs in slices " + Arrays.toString(bounds) + ":\n" +
                whole.events + "\n" + sliced.events);
        }

        // Reset makes the framer as new: the same bytes give the same log again.
        final Log again = new Log();
        again.maySkip = listenerMaySkip;
        final Framer c = factory.apply(again);
        c.feed(stream, 0, Math.min(stream.length, 7));
        c.reset();
        again.events.clear();
        again.frames = 0;
        again.nextIndex = 0;
        c.feed(stream, 0, stream.length);
        c.end();
        if (!whole.events.equals(again.events))
        {
            throw new AssertionError("after reset:\n" + whole.events + "\n" + again.events);
        }
    }

    /** Sorted, distinct slice ends inside (0, length], the last one being length. */
    static int[] slices(final int[] cuts, final int length)
    {
        final int[] ends = new int[cuts.length + 1];
        int n = 0;
        for (final int cut : cuts)
        {
            if (length > 0)
            {
                ends[n++] = cut % length;
            }
        }
        ends[n++] = length;
        final int[] sorted = Arrays.copyOf(ends, n);
        Arrays.sort(sorted);
        final int[] distinct = new int[n];
        int m = 0;
        for (final int e : sorted)
        {
            if (e > 0 && (m == 0 || distinct[m - 1] != e))
            {
                distinct[m++] = e;
            }
        }
        return Arrays.copyOf(distinct, m);
    }

    /** Bytes held by a framer's reusable buffers, whatever its kind. */
    static long retainedBytes(final Framer framer)
    {
        if (framer instanceof SseTokenizer)
        {
            return ((SseTokenizer)framer).retainedBytes();
        }
        if (framer instanceof NdjsonFramer)
        {
            return ((NdjsonFramer)framer).retainedBytes();
        }
        if (framer instanceof JsonArrayFramer)
        {
            return ((JsonArrayFramer)framer).retainedBytes();
        }
        if (framer instanceof EventStreamFramer)
        {
            return ((EventStreamFramer)framer).retainedBytes();
        }
        throw new IllegalArgumentException("unknown framer " + framer.getClass());
    }

    /** Records frames and errors as text, copied out of the flyweight, and checks each frame as it comes. */
    static final class Log implements FrameListener
    {
        final List<String> events = new ArrayList<>();
        long frames;
        /** The framer may count frames a listener before this one turned into errors. */
        boolean maySkip;
        private long nextIndex;

        @Override
        public void onFrame(final Frame frame)
        {
            if (maySkip ? frame.index() < nextIndex : frame.index() != frames)
            {
                throw new AssertionError("frame index " + frame.index() + ", expected " + (maySkip ? "at least " + nextIndex : frames));
            }
            nextIndex = frame.index() + 1;
            if (frame.length() > LIMITS.maxFrameBytes())
            {
                throw new AssertionError("frame of " + frame.length() + " bytes passed the frame limit");
            }
            frames++;
            final byte[] type = new byte[frame.typeLength()];
            if (type.length > 0)
            {
                frame.typeBuffer().getBytes(frame.typeOffset(), type);
            }
            final byte[] id = new byte[frame.hasId() ? frame.idLength() : 0];
            if (id.length > 0)
            {
                frame.idBuffer().getBytes(frame.idOffset(), id);
            }
            events.add("frame #" + frame.index() + " @" + frame.streamOffset() + " type=" + Arrays.toString(type) +
                " id=" + frame.hasId() + Arrays.toString(id) + " payload=" + Arrays.toString(frame.payloadBytes()));
        }

        @Override
        public void onError(final StreamError error)
        {
            events.add("error " + error.kind() + " #" + error.eventNumber() + " @" + error.byteOffset());
        }

        void checkCounters(final Framer framer, final long length)
        {
            if (maySkip ? framer.framesDelivered() < frames : framer.framesDelivered() != frames)
            {
                throw new AssertionError("framesDelivered " + framer.framesDelivered() + " but " + frames + " delivered");
            }
            if (framer.bytesFed() != length)
            {
                throw new AssertionError("bytesFed " + framer.bytesFed() + " but " + length + " fed");
            }
        }
    }
}
