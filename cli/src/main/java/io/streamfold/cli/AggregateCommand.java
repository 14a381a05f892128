package io.streamfold.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;

import io.streamfold.aggregator.Format;
import io.streamfold.aggregator.Outcome;
import io.streamfold.aggregator.StreamAggregator;
import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.aggregator.model.Aggregate;
import io.streamfold.parser.StreamError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamfold aggregate}: fold one stream and print the complete response JSON. */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Folds one streamed response into the complete response and prints it as JSON: by default the provider's "
            + "own non-streaming response shape, or with --normalized one shape for every provider.",
        "FILE may hold raw SSE, NDJSON, a streamed JSON array, or a recorded cassette (a JSON object whose "
            + "response.body lists the chunks under __data__). With '-' it reads stdin as the bytes arrive, so "
            + "'curl -N ... | streamfold aggregate -' works on a live stream."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the stream is complete",
        "2:unusable input (missing or empty file, unsupported format, nothing recognisable); one line on stderr",
        "3:truncated or errored stream; what was rebuilt is still printed, one line per error on stderr"
    })
final class AggregateCommand implements Callable<Integer>
{
    private final Terminal terminal;

    @Option(
        names = {"-f", "--format"},
        paramLabel = "FORMAT",
        defaultValue = "auto",
        converter = FormatOption.class,
        completionCandidates = FormatOption.Names.class,
        description = "Wire format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, detected from the first event).")
    private Format format;

    @Option(names = {"-n", "--normalized"}, description = "Print the provider-independent normalized view instead.")
    private boolean normalized;

    @Option(names = {"-p", "--pretty"}, description = "Indent the JSON for humans.")
    private boolean pretty;

    @Option(names = "--strict", description = "Stop at the first malformed event or framing error instead of skipping it.")
    private boolean strict;

    @Parameters(index = "0", paramLabel = "FILE", description = "The stream to read, or '-' for stdin.")
    private String file;

    @Mixin
    private LimitsOption limits = new LimitsOption();

    AggregateCommand(final Terminal terminal)
    {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException
    {
        try
        {
            return aggregate();
        }
        catch (final UnusableInputException | LimitsOption.BadLimit e)
        {
            terminal.out.flush();
            terminal.err.println("streamfold: " + e.getMessage());
            return Main.EXIT_UNUSABLE;
        }
    }

    private int aggregate() throws IOException, UnusableInputException
    {
        final StreamAggregator aggregator = build();
        long bytesRead;
        String readError = null;
        try (InputStream in = Input.open(file, terminal))
        {
            final CountingSink sink = new CountingSink(aggregator);
            try
            {
                bytesRead = Input.pump(in, sink, limits.framing());
            }
            catch (final IOException e)
            {
                // Keep what arrived before the pipe broke: it is folded and printed like a truncated stream.
                bytesRead = sink.bytesFed;
                readError = e instanceof Cassette.CassetteException ?
                    "cassette " + ((Cassette.CassetteException)e).kind() + ": " + Input.firstLine(e.getMessage()) :
                    "read failed after " + bytesRead + " bytes: " + Input.firstLine(e.getMessage());
            }
            if (bytesRead == 0 && readError == null)
            {
                throw new UnusableInputException(describeInput() + ": empty input");
            }
            aggregator.end();
        }
        catch (final IllegalArgumentException e)
        {
            // Dialects.create: the detected format has no dialect yet.
            throw new UnusableInputException(describeInput() + ": " + e.getMessage());
        }

        final Aggregate result = aggregator.result();
        if (nothingFolded(result))
        {
            throw new UnusableInputException(describeInput() + ": nothing recognisable as " + formatName(result) +
                " in " + bytesRead + " bytes (" + aggregator.framesDelivered() + " events" + firstError(result, aggregator.framesDelivered()) + ")");
        }

        if (normalized)
        {
            result.writeNormalizedJson(terminal.out, pretty);
        }
        else
        {
            result.writeJson(terminal.out, pretty);
        }
        terminal.out.write('\n');
        terminal.out.flush();

        for (final StreamError error : result.errors())
        {
            terminal.err.println("streamfold: " + FormatOption.describe(error));
        }
        if (result.droppedErrors() > 0)
        {
            terminal.err.println("streamfold: " + result.droppedErrors() + " more errors not kept");
        }
        if (readError != null)
        {
            terminal.err.println("streamfold: " + readError);
        }
        final boolean incomplete = result.outcome() != Outcome.COMPLETE || !result.errors().isEmpty() || readError != null;
        if (incomplete && result.errors().isEmpty() && readError == null)
        {
            terminal.err.println("streamfold: outcome " + result.outcome());
        }
        return incomplete ? Main.EXIT_INCOMPLETE : Main.EXIT_OK;
    }

    private StreamAggregator build() throws UnusableInputException
    {
        try
        {
            return StreamAggregator.builder().format(format).strict(strict).limits(limits.aggregation()).build();
        }
        catch (final LimitsOption.BadLimit e)
        {
            throw e;
        }
        catch (final IllegalArgumentException e)
        {
            throw new UnusableInputException(e.getMessage());
        }
    }

    /** True when not one event was understood: no metadata, choice, usage or provider error. */
    private static boolean nothingFolded(final Aggregate result)
    {
        return result.meta().size() == 0 && result.choices().isEmpty() && !result.usage().isPresent() &&
            result.providerError().isNullish();
    }

    private String describeInput()
    {
        return "-".equals(file) ? "stdin" : file;
    }

    private static String formatName(final Aggregate result)
    {
        return result.format() == null ? "a stream" : result.format().cliName();
    }

    private static String firstError(final Aggregate result, final long frames)
    {
        // With no event at all, a lone error is the end-of-input verdict, which says nothing new.
        return result.errors().isEmpty() || (frames == 0 && result.errors().size() == 1) ? "" : "; first: " + FormatOption.describe(result.errors().get(0));
    }

    /** Feeds each slice as it is read; stops reading once the provider's terminal event has arrived. */
    private static final class CountingSink implements Input.Sink
    {
        private final StreamAggregator aggregator;
        private long bytesFed;

        CountingSink(final StreamAggregator aggregator)
        {
            this.aggregator = aggregator;
        }

        @Override
        public void accept(final byte[] bytes, final int offset, final int length)
        {
            bytesFed += length;
            aggregator.feed(bytes, offset, length);
        }

        @Override
        public boolean isDone()
        {
            return aggregator.isDone();
        }
    }
}
