package io.streamfold.jmh;

import java.util.function.LongSupplier;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time each side of a paired benchmark took in an iteration, the sides run back to back in every invocation. A ratio of
 * two benchmark methods compares runs seconds apart, and on a host whose speed drifts (a shared VM: the same fold in
 * three fresh JVMs has taken 47, 56 and 80 µs within an hour) it moves with the drift; here the sides meet the same
 * drift within microseconds, so their ratio holds still. Each side also runs colder than in a loop of its own (the
 * other's code and data pass through the caches in between), as in a process that does other work between streams:
 * a paired ratio is its own reading, not the same as the ratio of the methods' scores.
 *
 * <p>JMH reports the sums; each iteration's ratios are printed as it ends (in the fork's output).
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class PairedTimes
{
    /** Time streamfold spent on the benchmark's stream. */
    public long streamfoldNanos;
    /** Time the peer spent on the same bytes (Jackson tokenize-only, an SDK's accumulator). */
    public long peerNanos;
    /** Time streamfold spent folding the OpenAI chat text stream beside it, when the benchmark compares with that. */
    public long chatTextNanos;
    private long streamfoldBytes;
    private long chatTextBytes;
    private long invocations;

    /** JMH reads the counters per iteration. */
    @Setup(Level.Iteration)
    public void clear()
    {
        streamfoldNanos = 0;
        peerNanos = 0;
        chatTextNanos = 0;
        streamfoldBytes = 0;
        chatTextBytes = 0;
    }

    /**
     * One invocation of a two-sided benchmark: streamfold and the peer on the same bytes, back to back, each first
     * every other time.
     *
     * @return both sides' results, for the benchmark to return.
     */
    long time(final LongSupplier streamfold, final LongSupplier peer)
    {
        if ((invocations++ & 1) == 0)
        {
            return timeStreamfold(streamfold, 0) + timePeer(peer);
        }
        return timePeer(peer) + timeStreamfold(streamfold, 0);
    }

    /**
     * One invocation of a benchmark compared with the chat text fold too: the peer (an SDK) first, then streamfold on
     * the benchmark's {@code bytes} and the chat text fold in turn, so that each fold follows the SDK (whose garbage
     * and code pass through the caches) every other time and neither is always the colder one.
     *
     * @return every side's result, for the benchmark to return.
     */
    long timeWithChatText(final LongSupplier streamfold, final int bytes, final LongSupplier peer,
        final ChatAggregationBenchmark.ChatText chatText)
    {
        final long sink = timePeer(peer);
        if ((invocations++ & 1) == 0)
        {
            return sink + timeStreamfold(streamfold, bytes) + timeChatText(chatText);
        }
        return sink + timeChatText(chatText) + timeStreamfold(streamfold, bytes);
    }

    private long timeStreamfold(final LongSupplier streamfold, final int bytes)
    {
        final long t0 = System.nanoTime();
        final long sink = streamfold.getAsLong();
        streamfoldNanos += System.nanoTime() - t0;
        streamfoldBytes += bytes;
        return sink;
    }

    private long timePeer(final LongSupplier peer)
    {
        final long t0 = System.nanoTime();
        final long sink = peer.getAsLong();
        peerNanos += System.nanoTime() - t0;
        return sink;
    }

    private long timeChatText(final ChatAggregationBenchmark.ChatText chatText)
    {
        final long t0 = System.nanoTime();
        final long sink = chatText.fold().choices().size();
        chatTextNanos += System.nanoTime() - t0;
        chatTextBytes += chatText.bytes.length;
        return sink;
    }

    /**
     * Prints the iteration's ratios: how many times faster streamfold ran than the peer, and its rate in bytes as a
     * share of the chat text fold's.
     */
    @TearDown(Level.Iteration)
    public void print()
    {
        if (streamfoldNanos > 0 && peerNanos > 0)
        {
            System.out.printf(" [paired %.2fx the peer] ", (double)peerNanos / streamfoldNanos);
        }
        if (streamfoldNanos > 0 && chatTextNanos > 0)
        {
            System.out.printf(" [paired %.1f%% of chat text] ",
                100.0 * ((double)streamfoldBytes / streamfoldNanos) / ((double)chatTextBytes / chatTextNanos));
        }
    }
}
