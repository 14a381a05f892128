package io.streamfold.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.streamfold.aggregator.internal.Cassette;
import io.streamfold.parser.Frame;
import io.streamfold.parser.FrameListener;
import io.streamfold.parser.FramingLimits;
import io.streamfold.parser.sse.SseTokenizer;
import io.streamfold.parser.StreamError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code streamfold events}: the SSE events of a stream, one JSON line each, as the tokenizer delivers them. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Prints one JSON line per Server-Sent Event: {\"event\":TYPE,\"data\":DATA,\"id\":ID}, where TYPE is "
            + "\"message\" when the event names none and ID is null until an id field is seen.",
        "A recorded cassette is converted to its SSE bytes first. '-' reads stdin; lines are flushed as each "
            + "read is processed, so a live stream shows its events as they come."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every event framed cleanly",
        "2:unusable input (missing or empty file, no events at all); one line on stderr",
        "3:framing errors (a truncated last event, a line or event over the limits); one line each on stderr"
    })
final class EventsCommand implements Callable<Integer>
{
    // Emoji and other astral characters print as themselves, not as a pair of escapes.
    private static final JsonFactory JSON = JsonFactory.builder()
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build()
        .setRootValueSeparator(null);

    private final Terminal terminal;

    @Option(
        names = {"-c", "--chunk"},
        paramLabel = "N",
        description = "Feed the tokenizer N bytes at a time (default: each read as it comes, up to 8 KiB).")
    private Integer chunk;

    @Parameters(index = "0", paramLabel = "FILE", description = "The SSE stream to read, or '-' for stdin.")
    private String file;

    @Mixin
    private LimitsOption limits = new LimitsOption();

    EventsCommand(final Terminal terminal)
    {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException
    {
        if (chunk != null && chunk < 1)
        {
            terminal.err.println("streamfold events: --chunk must be at least 1, got " + chunk);
            return Main.EXIT_UNUSABLE;
        }
        final FramingLimits framing;
        try
        {
            framing = limits.framing();
        }
        catch (final LimitsOption.BadLimit e)
        {
            terminal.err.println("streamfold events: " + e.getMessage());
            return Main.EXIT_UNUSABLE;
        }
        final long bytesRead;
        final EventPrinter printer;
        try (InputStream in = Input.open(file, terminal);
            JsonGenerator json = JSON.createGenerator(terminal.out, JsonEncoding.UTF8))
        {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            printer = new EventPrinter(json, terminal);
            final SseTokenizer tokenizer = new SseTokenizer(printer, framing);
            bytesRead = Input.pump(in, (bytes, offset, length) -> feed(tokenizer, bytes, offset, length, printer), framing);
            tokenizer.end();
            printer.flush();
        }
        catch (final UnusableInputException e)
        {
            terminal.out.flush();
            terminal.err.println("streamfold: " + e.getMessage());
            return Main.EXIT_UNUSABLE;
        }
        catch (final Cassette.CassetteException e)
        {
            // The events before it are printed; the cassette could not be read on.
            terminal.out.flush();
            terminal.err.println("streamfold: cassette " + e.kind() + ": " + Input.firstLine(e.getMessage()));
            return Main.EXIT_INCOMPLETE;
        }
        catch (final UncheckedIOException e)
        {
            throw e.getCause();
        }
        if (bytesRead == 0)
        {
            terminal.err.println("streamfold: " + ("-".equals(file) ? "stdin" : file) + ": empty input");
            return Main.EXIT_UNUSABLE;
        }
        if (printer.events == 0 && printer.errors == 0)
        {
            terminal.err.println("streamfold: " + ("-".equals(file) ? "stdin" : file) +
                ": no SSE events in " + bytesRead + " bytes");
            return Main.EXIT_UNUSABLE;
        }
        return printer.errors == 0 ? Main.EXIT_OK : Main.EXIT_INCOMPLETE;
    }

    private void feed(
        final SseTokenizer tokenizer, final byte[] bytes, final int offset, final int length, final EventPrinter printer)
    {
        final int step = chunk == null ? length : chunk;
        for (int at = offset, end = offset + length; at < end; at += step)
        {
            tokenizer.feed(bytes, at, Math.min(step, end - at));
        }
        printer.flush();
    }

    /** Writes each event as a JSON line; errors go to stderr after the lines before them. */
    private static final class EventPrinter implements FrameListener
    {
        private final JsonGenerator json;
        private final Terminal terminal;
        private long events;
        private long errors;

        EventPrinter(final JsonGenerator json, final Terminal terminal)
        {
            this.json = json;
            this.terminal = terminal;
        }

        @Override
        public void onFrame(final Frame frame)
        {
            events++;
            try
            {
                json.writeStartObject();
                json.writeStringField("event", frame.type());
                json.writeStringField("data", frame.payloadAsString());
                json.writeFieldName("id");
                final String id = frame.id();
                if (id == null)
                {
                    json.writeNull();
                }
                else
                {
                    json.writeString(id);
                }
                json.writeEndObject();
                json.writeRaw('\n');
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onError(final StreamError error)
        {
            errors++;
            flush();
            terminal.err.println("streamfold: " + FormatOption.describe(error));
        }

        void flush()
        {
            try
            {
                json.flush();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
    }
}
