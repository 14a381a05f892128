package io.streamfold.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code streamfold bench}: how fast streams fold on this machine, end to end through the public API, with the
 * inputs already in memory. A quick check from the terminal; the JMH benchmarks are the careful measurement.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Aggregates the files again and again from memory for about --seconds after a short warm-up, feeding "
            + "each in --chunk byte slices and reusing one aggregator per format (reset between streams).",
        "The last line is 'MB/s <number> events/s <number>': bytes fed (10^6 per MB; cassettes count as the SSE "
            + "they record) and SSE events (frames) delivered per second of wall time."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:measured",
        "2:unusable input (a missing or empty file, an unsupported format, nothing recognisable)"
    })
final class BenchCommand implements Callable<Integer>
{
    private final Terminal terminal;

    @Option(names = {"-s", "--seconds"}, paramLabel = "S", description = "Seconds to measure (default: ${DEFAULT-VALUE}).")
    private double seconds = 5;

    @Option(
        names = {"-f", "--format"},
        paramLabel = "FORMAT",
        defaultValue = "auto",
        converter = FormatOption.class,
        completionCandidates = FormatOption.Names.class,
        description = "Wire format of every file: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: each "
            + "file's format is detected once, before measuring).")
    private Format format;

    @Option(names = {"-c", "--chunk"}, paramLabel = "N", description = "Bytes per feed call (default: ${DEFAULT-VALUE}).")
    private int chunk = Input.READ_BYTES;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Streams to aggregate (as for 'aggregate').")
    private List<String> files;

    BenchCommand(final Terminal terminal)
    {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException
    {
        if (!(seconds > 0) || chunk < 1)
        {
            terminal.err.println("streamfold bench: --seconds must be above 0 and --chunk at least 1");
            return Main.EXIT_UNUSABLE;
        }
        final int count = files.size();
        final byte[][] streams = new byte[count][];
        final StreamAggregator[] aggregators = new StreamAggregator[count];
        final Map<Format, StreamAggregator> byFormat = new EnumMap<>(Format.class);
        long bytesPerPass = 0;
        long eventsPerPass = 0;
        try
        {
            for (int i = 0; i < count; i++)
            {
                final String file = files.get(i);
                streams[i] = Input.readStream(file, terminal);
                if (streams[i].length == 0)
                {
                    throw new UnusableInputException(file + ": empty input");
                }
                final Format fileFormat = detect(file, streams[i]);
                aggregators[i] = byFormat.computeIfAbsent(fileFormat, StreamAggregator::create);
                eventsPerPass += aggregate(aggregators[i], streams[i]);
                bytesPerPass += streams[i].length;
            }
        }
        catch (final UnusableInputException e)
        {
            terminal.err.println("streamfold: " + e.getMessage());
            return Main.EXIT_UNUSABLE;
        }

        final long warmUpNanos = (long)(Math.min(2.0, Math.max(0.5, seconds / 5)) * 1e9);
        run(streams, aggregators, warmUpNanos);
        final long[] measured = run(streams, aggregators, (long)(seconds * 1e9));
        final long passes = measured[0];
        final double elapsed = measured[1] / 1e9;
        final long events = measured[2];

        final StringBuilder formats = new StringBuilder();
        for (final Format f : byFormat.keySet())
        {
            formats.append(formats.length() == 0 ? "" : ",").append(f.cliName());
        }
        terminal.out.write(String.format(Locale.ROOT,
            "files %d (%s), %d bytes and %d events per pass, chunk %d; warm-up %.1f s, %d passes in %.2f s%n",
            count, formats, bytesPerPass, eventsPerPass, chunk, warmUpNanos / 1e9, passes, elapsed)
            .getBytes(StandardCharsets.UTF_8));
        terminal.out.write(String.format(Locale.ROOT, "MB/s %.1f events/s %.0f%n",
            passes * bytesPerPass / 1e6 / elapsed, events / elapsed)
            .getBytes(StandardCharsets.UTF_8));
        terminal.out.flush();
        return Main.EXIT_OK;
    }

    /** Reads a file once to learn its format and to refuse, before measuring, what cannot be aggregated. */
    private Format detect(final String file, final byte[] stream) throws UnusableInputException
    {
        final StreamAggregator probe;
        try
        {
            probe = StreamAggregator.create(format);
            aggregate(probe, stream);
        }
        catch (final IllegalArgumentException e)
        {
            throw new UnusableInputException(file + ": " + e.getMessage());
        }
        if (probe.framesDelivered() == 0)
        {
            throw new UnusableInputException(file + ": nothing recognisable (no events)");
        }
        if (probe.result().outcome() != Outcome.COMPLETE || !probe.result().errors().isEmpty())
        {
            // Still worth measuring (error paths are paths too), but nobody should mistake it for a clean stream.
            terminal.err.println("streamfold: " + file + ": outcome " + probe.result().outcome() + ", " +
                probe.result().errors().size() + " errors; measured as is");
        }
        return probe.format();
    }

    /** @return frames delivered. */
    private long aggregate(final StreamAggregator aggregator, final byte[] stream)
    {
        aggregator.reset();
        for (int offset = 0; offset < stream.length; offset += chunk)
        {
            aggregator.feed(stream, offset, Math.min(chunk, stream.length - offset));
        }
        aggregator.end();
        return aggregator.framesDelivered();
    }

    /** @return passes over all streams, the nanoseconds they took (at least {@code nanos}), and frames delivered. */
    private long[] run(final byte[][] streams, final StreamAggregator[] aggregators, final long nanos)
    {
        final long start = System.nanoTime();
        long now;
        long passes = 0;
        long events = 0;
        do
        {
            for (int i = 0; i < streams.length; i++)
            {
                events += aggregate(aggregators[i], streams[i]);
            }
            passes++;
            now = System.nanoTime();
        }
        while (now - start < nanos);
        return new long[]{passes, now - start, events};
    }
}
